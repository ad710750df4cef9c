/**
 * Staff pages of the ward's own units (administrator and coordinator): the list, a new unit, and one unit's page
 * with its forms (rename, aliases, retire). Thin handlers: read the form, call one service function, then redirect,
 * or re-render with the errors and what was typed. Works without JavaScript; every POST carries the CSRF token.
 */
import { type Context, Hono } from "hono";
import type { Actor } from "../../core/audit.ts";
import { formatDate, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { type FieldErrors, formFields } from "../../core/web/validation.ts";
import {
  addAlias,
  createUnit,
  type Failure,
  listOrgUnits,
  type OrgUnitView,
  removeAlias,
  renameUnit,
  retireUnit,
} from "./org-units.service.ts";

type C = Context<AppEnv>;
type Values = Record<string, string>;
interface FormState {
  /** Which form on the page was sent (its field ids carry this prefix). */
  form?: "r" | "a" | "x";
  values: Values;
  errors: FieldErrors;
}
const EMPTY: FormState = { values: {}, errors: {} };
const BASE = "/quan-tri/don-vi";
const manage = requireAction("units.manage");

function sessionOf(c: C) {
  const s = c.get("session");
  if (!s) throw new AppError(401, "unauthenticated", "Cần đăng nhập.");
  return s;
}
const actorOf = (c: C): Actor => {
  const u = sessionOf(c).user;
  return { userId: u.id, name: u.username, wardId: u.ward_id };
};
const wardIdOf = (c: C) => sessionOf(c).user.ward_id;
const todayOf = (c: C) => vnToday(c.get("deps").clock());

async function readForm(c: C): Promise<Values> {
  const values = formFields(await c.req.parseBody());
  delete values._csrf;
  return values;
}

const FieldError = ({ errors, id }: { errors: FieldErrors; id: string }) =>
  errors[id] ? (
    <span class="field-error" id={`${id}-loi`}>
      {errors[id]}
    </span>
  ) : null;
const describedBy = (errors: FieldErrors, id: string, hint?: string) =>
  [hint, errors[id] ? `${id}-loi` : undefined].filter(Boolean).join(" ") || undefined;

function TextField(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  state: FormState;
  value?: string;
}) {
  const { id, name, label, hint, state } = props;
  const hintId = hint ? `${id}-goi-y` : undefined;
  return (
    <>
      <label for={id}>
        {label}{" "}
        {hint ? (
          <span class="hint" id={hintId}>
            {hint}
          </span>
        ) : null}
      </label>
      <FieldError errors={state.errors} id={id} />
      <input
        type="text"
        id={id}
        name={name}
        value={state.values[name] ?? props.value ?? ""}
        aria-describedby={describedBy(state.errors, id, hintId)}
        aria-invalid={state.errors[id] ? "true" : undefined}
      />
    </>
  );
}

/** Service errors → this page's field ids; errors about the whole form point at the form. */
function pageErrors(errors: FieldErrors, prefix: string, formId: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) out[k === "_" ? formId : prefix ? `${prefix}-${k}` : k] ??= v;
  return out;
}

const Csrf = ({ c }: { c: C }) => <input type="hidden" name="_csrf" value={sessionOf(c).csrfToken} />;
const dateText = (d: string | null) => (d ? formatDate(d) : "—");
const otherNames = (u: OrgUnitView) =>
  u.aliases
    .filter((a) => !a.isName)
    .map((a) => a.alias)
    .join("; ");

// -------------------------------------------------------------------------------------------------------------
// List

const SAVED: Record<string, string> = {
  tao: "Đã thêm đơn vị.",
  "doi-ten": "Đã đổi tên đơn vị.",
  "ten-goi": "Đã thêm tên gọi.",
  "xoa-ten-goi": "Đã xóa tên gọi.",
  "thoi-hoat-dong": "Đã ghi nhận đơn vị thôi hoạt động.",
};

function UnitsTable({ units, retired }: { units: OrgUnitView[]; retired: boolean }) {
  return (
    <section
      class="table-wrap"
      aria-label={retired ? "Đơn vị đã thôi hoạt động" : "Đơn vị đang hoạt động"}
      tabindex={0}
    >
      <table>
        <thead>
          <tr>
            <th scope="col">Đơn vị</th>
            <th scope="col">Mã</th>
            <th scope="col">Hoạt động từ</th>
            <th scope="col">{retired ? "Đến hết ngày" : "Đến"}</th>
            {retired ? <th scope="col">Đơn vị kế thừa</th> : null}
            <th scope="col">Tên gọi khác trong văn bản</th>
            <th scope="col">Nhiệm vụ</th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr>
              <td>
                <a href={`${BASE}/${u.id}`}>{u.name}</a>
              </td>
              <td>{u.code ?? ""}</td>
              <td>{dateText(u.validFrom)}</td>
              <td>{u.validTo ? formatDate(u.validTo) : "nay"}</td>
              {retired ? (
                <td>{u.successor ? <a href={`${BASE}/${u.successor.id}`}>{u.successor.name}</a> : "—"}</td>
              ) : null}
              <td class="small">{otherNames(u)}</td>
              <td>{u.taskCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// -------------------------------------------------------------------------------------------------------------
// New unit

function CreateForm({ c, state }: { c: C; state: FormState }) {
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <p class="small">
        <a href={BASE}>← Đơn vị của phường</a>
      </p>
      <h1>Thêm đơn vị</h1>
      <form method="post" action={`${BASE}/moi`} id="tao" tabindex={-1}>
        <Csrf c={c} />
        <TextField id="name" name="name" label="Tên đơn vị" hint="Ví dụ: Ban Chỉ huy Quân sự." state={state} />
        <TextField
          id="code"
          name="code"
          label="Mã đơn vị (không bắt buộc)"
          hint="Mã ngắn dùng khi nhập dữ liệu, ví dụ: quan_su."
          state={state}
        />
        <label for="aliases">
          Tên gọi khác trong văn bản (không bắt buộc){" "}
          <span class="hint" id="aliases-goi-y">
            Mỗi dòng một tên, như các kế hoạch vẫn ghi: “BCH Quân sự”, “Ban CHQS”. Dùng để nhận ra đơn vị khi nhập kế
            hoạch.
          </span>
        </label>
        <FieldError errors={state.errors} id="aliases" />
        <textarea
          id="aliases"
          name="aliases"
          rows={5}
          aria-describedby={describedBy(state.errors, "aliases", "aliases-goi-y")}
        >
          {state.values.aliases ?? ""}
        </textarea>
        <TextField
          id="validFrom"
          name="validFrom"
          label="Hoạt động từ ngày (không bắt buộc)"
          hint="Ngày/tháng/năm, ví dụ 01/07/2025."
          state={state}
        />
        <div>
          <button type="submit" class="btn">
            Thêm đơn vị
          </button>
        </div>
      </form>
    </>
  );
}

// -------------------------------------------------------------------------------------------------------------
// One unit

function UnitPage({ c, u, all, state }: { c: C; u: OrgUnitView; all: OrgUnitView[]; state: FormState }) {
  const s = (form: FormState["form"]): FormState => (state.form === form ? state : EMPTY);
  const successors = all.filter((x) => x.id !== u.id && !x.retired);
  const x = s("x");
  const moveChecked = x.form ? x.values.moveAliases === "1" : true;
  const saved = c.req.query("da-luu");
  return (
    <>
      <ErrorSummary errors={state.errors} />
      {!state.form && saved && SAVED[saved] ? (
        <div class="notice" role="status">
          {SAVED[saved]}
        </div>
      ) : null}
      <p class="small">
        <a href={BASE}>← Đơn vị của phường</a>
      </p>
      <h1>{u.name}</h1>
      {u.retired ? (
        <div class="warning">
          Đơn vị đã thôi hoạt động sau ngày {dateText(u.validTo)}
          {u.successor ? `; đơn vị kế thừa: ${u.successor.name}` : ""}. Các nhiệm vụ và hoạt động cũ vẫn gắn với đơn vị
          này; đơn vị không còn được nhận ra khi nhập kế hoạch và không còn trong danh sách chọn.
        </div>
      ) : null}
      <dl class="facts">
        <dt>Mã</dt>
        <dd>{u.code ?? "—"}</dd>
        <dt>Hoạt động</dt>
        <dd>
          {u.validFrom ? `từ ${formatDate(u.validFrom)} ` : ""}
          {u.validTo ? `đến hết ngày ${formatDate(u.validTo)}` : u.validFrom ? "đến nay" : "đang hoạt động"}
        </dd>
        {u.successor ? (
          <>
            <dt>Đơn vị kế thừa</dt>
            <dd>
              <a href={`${BASE}/${u.successor.id}`}>{u.successor.name}</a>
            </dd>
          </>
        ) : null}
        {u.predecessors.length ? (
          <>
            <dt>Kế thừa từ</dt>
            <dd>
              {u.predecessors.map((p, i) => (
                <>
                  {i > 0 ? ", " : ""}
                  <a href={`${BASE}/${p.id}`}>{p.name}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Nhiệm vụ đã giao</dt>
        <dd>{u.taskCount}</dd>
        <dt>Tài khoản đang hoạt động</dt>
        <dd>{u.activeUsers}</dd>
      </dl>

      <form method="post" action={`${BASE}/${u.id}/doi-ten`} id="doi-ten" tabindex={-1}>
        <h2>Đổi tên</h2>
        <Csrf c={c} />
        <TextField
          id="r-name"
          name="name"
          label="Tên mới"
          hint="Tên cũ vẫn được giữ làm tên gọi khác, vì các văn bản đã ban hành vẫn dùng tên đó."
          state={s("r")}
          value={u.name}
        />
        <div>
          <button type="submit" class="btn">
            Đổi tên
          </button>
        </div>
      </form>

      <h2 id="ten-goi">Tên gọi trong văn bản</h2>
      <p class="hint">
        Khi nhập kế hoạch, nhóm nhiệm vụ có tiêu đề trùng một tên gọi dưới đây được giao cho đơn vị này.
      </p>
      <FieldError errors={state.errors} id="a-aliases" />
      <ul class="items" id="a-aliases">
        {u.aliases.map((a) => (
          <li>
            <form method="post" action={`${BASE}/${u.id}/ten-goi/${a.id}/xoa`}>
              <Csrf c={c} />
              {a.alias} {a.isName ? <span class="muted small">(tên đơn vị)</span> : null}{" "}
              {a.isName && !u.retired ? null : (
                <button type="submit" class="btn secondary">
                  Xóa<span class="skip"> tên gọi “{a.alias}”</span>
                </button>
              )}
            </form>
          </li>
        ))}
      </ul>
      {u.retired ? null : (
        <form method="post" action={`${BASE}/${u.id}/ten-goi`} id="them-ten-goi" tabindex={-1}>
          <Csrf c={c} />
          <TextField
            id="a-alias"
            name="alias"
            label="Thêm tên gọi"
            hint="Một tên gọi chỉ dùng cho một đơn vị."
            state={s("a")}
          />
          <div>
            <button type="submit" class="btn">
              Thêm tên gọi
            </button>
          </div>
        </form>
      )}

      {u.validTo ? null : (
        <form method="post" action={`${BASE}/${u.id}/thoi-hoat-dong`} id="thoi-hoat-dong" tabindex={-1}>
          <h2>Thôi hoạt động</h2>
          <p class="hint">
            Khi phường sắp xếp lại bộ máy. Nhiệm vụ và hoạt động đã ghi nhận vẫn gắn với đơn vị này để giữ lịch sử.
            {u.activeUsers
              ? ` ${u.activeUsers} tài khoản vẫn thuộc đơn vị này: hãy chuyển họ sang đơn vị mới trong trang Tài khoản.`
              : ""}
          </p>
          <Csrf c={c} />
          <TextField
            id="x-validTo"
            name="validTo"
            label="Ngày cuối cùng còn hoạt động"
            hint="Ngày/tháng/năm, ví dụ 30/06/2025. Từ ngày hôm sau, đơn vị không còn được chọn."
            state={x}
          />
          <label for="x-successorId">Đơn vị kế thừa (không bắt buộc)</label>
          <FieldError errors={x.errors} id="x-successorId" />
          <select id="x-successorId" name="successorId" aria-describedby={describedBy(x.errors, "x-successorId")}>
            <option value="">— Không có —</option>
            {successors.map((o) => (
              <option value={String(o.id)} selected={x.values.successorId === String(o.id)}>
                {o.name}
              </option>
            ))}
          </select>
          <label for="x-moveAliases" class="hint">
            <input type="checkbox" id="x-moveAliases" name="moveAliases" value="1" checked={moveChecked} /> Chuyển các
            tên gọi sang đơn vị kế thừa, để văn bản ghi tên cũ được nhận ra là đơn vị kế thừa
          </label>
          <div>
            <button type="submit" class="btn">
              Ghi nhận thôi hoạt động
            </button>
          </div>
        </form>
      )}
    </>
  );
}

async function renderUnit(c: C, unitId: number, state: FormState = EMPTY, status: 200 | 400 | 409 = 200) {
  const all = await listOrgUnits(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
  const u = all.find((x) => x.id === unitId);
  if (!u) throw notFound("Không tìm thấy đơn vị.");
  c.status(status);
  return c.html(
    <Layout title={u.name} ward={c.get("ward")} session={sessionOf(c)} staff>
      <UnitPage c={c} u={u} all={all} state={state} />
    </Layout>,
  );
}

/** A failed use case on a unit's page: a missing unit goes to the error page, the rest re-render the form. */
function onFailure(c: C, unitId: number, r: Failure, form: "r" | "a" | "x", formId: string, values: Values) {
  if (r.status === 404) throw notFound(r.errors._);
  return renderUnit(c, unitId, { form, values, errors: pageErrors(r.errors, form, formId) }, r.status);
}

// -------------------------------------------------------------------------------------------------------------
// Routes

/** Routes under /quan-tri: `app.route("/quan-tri", orgUnitsStaffRoutes())`. Each route checks login, CSRF and role. */
export function orgUnitsStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/don-vi", requireStaff, requireCsrf, manage, async (c) => {
    const all = await listOrgUnits(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
    const inForce = all.filter((u) => !u.retired);
    const retired = all.filter((u) => u.retired);
    return c.html(
      <Layout title="Đơn vị" ward={c.get("ward")} session={sessionOf(c)} staff>
        <h1>Đơn vị của phường</h1>
        <p>
          Các bộ phận, ngành, đoàn thể được giao nhiệm vụ trong kế hoạch. Tên gọi khác giúp nhận ra đơn vị khi nhập văn
          bản.
        </p>
        <p>
          <a class="btn" href={`${BASE}/moi`}>
            Thêm đơn vị
          </a>
        </p>
        <h2>Đang hoạt động ({inForce.length})</h2>
        <UnitsTable units={inForce} retired={false} />
        {retired.length ? (
          <>
            <h2>Đã thôi hoạt động ({retired.length})</h2>
            <UnitsTable units={retired} retired />
          </>
        ) : null}
      </Layout>,
    );
  });

  app.get("/don-vi/moi", requireStaff, requireCsrf, manage, (c) =>
    c.html(
      <Layout title="Thêm đơn vị" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreateForm c={c} state={EMPTY} />
      </Layout>,
    ),
  );

  app.post("/don-vi/moi", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readForm(c);
    const r = await createUnit(
      c.get("deps").db.kysely,
      actorOf(c),
      {
        wardId: wardIdOf(c),
        name: values.name ?? "",
        code: values.code ?? null,
        aliases: values.aliases ?? "",
        validFrom: values.validFrom ?? null,
      },
      c.get("deps").clock(),
    );
    if (r.ok) return c.redirect(`${BASE}/${r.value.id}?da-luu=tao`, 303);
    c.status(r.status === 404 ? 400 : r.status);
    return c.html(
      <Layout title="Thêm đơn vị" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreateForm c={c} state={{ values, errors: pageErrors(r.errors, "", "tao") }} />
      </Layout>,
    );
  });

  app.get("/don-vi/:id{[0-9]+}", requireStaff, requireCsrf, manage, (c) => renderUnit(c, Number(c.req.param("id"))));

  app.post("/don-vi/:id{[0-9]+}/doi-ten", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const values = await readForm(c);
    const { db, clock } = c.get("deps");
    const r = await renameUnit(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), unitId, name: values.name ?? "" },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "r", "doi-ten", values);
    return c.redirect(`${BASE}/${unitId}?da-luu=doi-ten`, 303);
  });

  app.post("/don-vi/:id{[0-9]+}/ten-goi", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const values = await readForm(c);
    const { db, clock } = c.get("deps");
    const r = await addAlias(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), unitId, alias: values.alias ?? "" },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "a", "them-ten-goi", values);
    return c.redirect(`${BASE}/${unitId}?da-luu=ten-goi`, 303);
  });

  app.post("/don-vi/:id{[0-9]+}/ten-goi/:aliasId{[0-9]+}/xoa", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const { db, clock } = c.get("deps");
    const r = await removeAlias(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), unitId, aliasId: c.req.param("aliasId") },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "a", "ten-goi", {});
    return c.redirect(`${BASE}/${unitId}?da-luu=xoa-ten-goi`, 303);
  });

  app.post("/don-vi/:id{[0-9]+}/thoi-hoat-dong", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const values = await readForm(c);
    const { db, clock } = c.get("deps");
    const r = await retireUnit(
      db.kysely,
      actorOf(c),
      {
        wardId: wardIdOf(c),
        unitId,
        validTo: values.validTo ?? "",
        successorId: values.successorId ?? null,
        moveAliases: values.moveAliases === "1",
      },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "x", "thoi-hoat-dong", values);
    return c.redirect(`${BASE}/${unitId}?da-luu=thoi-hoat-dong`, 303);
  });

  return app;
}
