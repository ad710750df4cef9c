/**
 * Staff (administrator, coordinator; `search.manage`): `/quan-tri/uu-tien-tim-kiem`, beside the synonym table — the
 * search prior (issue 11 §3): how much each field of the catalogue, or one procedure, is something citizens commonly
 * do at the ward, from −1 (rarely: customs, enterprise tax) to 1 (often: civil status, certified copies). It acts
 * only among results whose lexical evidence is close and never buries an exact official match (core/search/prior.ts).
 * The national weights (reviewed defaults) are shared by every ward: only a deployment operator changes them; a
 * province account sets its province's own, a ward's account its ward's own, read on top of the nation's
 * (core/auth/owners.ts). Also shown: what was learned from opened results (capped), with a button to recompute it
 * now. Every change audited, CSRF, zod at the edge, Vietnamese messages. Server-rendered, no JavaScript.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { audit } from "../../core/audit.ts";
import { isOperator, isProvinceAccount, mayChange, NATION, type Owner, unitOwner } from "../../core/auth/owners.ts";
import { LEARNED_CAP, MAX_WEIGHT, ORGANISATIONS_ONLY } from "../../core/search/prior.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden } from "../../core/web/errors.ts";
import { CsrfField, describedBy, FieldError, readFormValues, SavedNotice } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { NATIONAL_ONLY, requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf } from "../../core/web/staff.ts";
import { type FieldErrors, oneLine, validate } from "../../core/web/validation.ts";
import {
  type LearnedRow,
  listLearned,
  listPriors,
  MAX_NOTE_CHARS,
  type PriorRow,
  removePrior,
  scheduleLearning,
  setPrior,
  weighable,
} from "./search-prior.service.ts";

type C = Context<AppEnv>;

export const PRIOR_PATH = "/quan-tri/uu-tien-tim-kiem";
const LEARNED_SHOWN = 30;

const weightMessage = `Mức ưu tiên là một số từ −${MAX_WEIGHT} đến ${MAX_WEIGHT} (ví dụ 0,5 hoặc -0,8).`;

/** The form, at the edge: what is weighed, the weight (a comma or a dot as decimal mark), a note. */
const priorForm = z
  .object({
    "pham-vi": z.enum(["ca-nuoc", "rieng"], { error: "Chọn phạm vi áp dụng." }).default("rieng"),
    target: z.enum(["field", "procedure", "audience"], { error: "Chọn lĩnh vực, một thủ tục hoặc đối tượng." }),
    field: z.preprocess(oneLine, z.string().max(300, "Lĩnh vực không hợp lệ.").default("")),
    code: z.preprocess(oneLine, z.string().max(40, "Mã thủ tục tối đa 40 ký tự.").default("")),
    weight: z.preprocess(
      (v) =>
        typeof v === "string" && /^\s*[-−]?\d+([.,]\d+)?\s*$/.test(v)
          ? Number(v.trim().replace("−", "-").replace(",", "."))
          : v,
      z.number({ error: weightMessage }).min(-MAX_WEIGHT, weightMessage).max(MAX_WEIGHT, weightMessage),
    ),
    note: z.preprocess(oneLine, z.string().max(MAX_NOTE_CHARS, `Ghi chú tối đa ${MAX_NOTE_CHARS} ký tự.`).default("")),
  })
  .superRefine((v, ctx) => {
    if (v.target === "field" && !v.field) ctx.addIssue({ code: "custom", path: ["field"], message: "Chọn lĩnh vực." });
    if (v.target === "procedure" && !v.code)
      ctx.addIssue({ code: "custom", path: ["code"], message: "Nhập mã thủ tục, ví dụ 1.001193." });
  });

const removeForm = z.object({
  id: z.preprocess((v) => (typeof v === "string" ? Number(v) : v), z.number().int().positive()),
});

/** What an audience key means (core/search/prior.ts `audienceOf`). */
const AUDIENCE_LABELS: Record<string, string> = {
  [ORGANISATIONS_ONLY]: "Thủ tục chỉ tổ chức, doanh nghiệp, cơ quan thực hiện (mức này là mức cao nhất của lĩnh vực)",
};

const fmt = (w: number) => (w > 0 ? `+${w}` : String(w)).replace(".", ",").replace("-", "−");

/** Which level an account writes at for "its own" weights: a province's account its province, else its ward. */
const ownLevel = (user: { ward_id: number; owner_scope: string | null }) =>
  isProvinceAccount(user) ? ("province" as const) : ("ward" as const);

function PriorTable(props: {
  csrf: string;
  rows: PriorRow[];
  label: string;
  editable: boolean;
  names: Map<string, string>;
}) {
  const { csrf, rows, editable } = props;
  if (rows.length === 0) return <p class="muted">Chưa có mục nào.</p>;
  return (
    <section class="table-wrap" aria-label={props.label} tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Lĩnh vực / thủ tục</th>
            <th scope="col">Mức ưu tiên</th>
            <th scope="col">Ghi chú</th>
            {editable ? <th scope="col">Xóa</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                {r.target === "field"
                  ? `Lĩnh vực: ${r.key}`
                  : r.target === "audience"
                    ? `Đối tượng: ${AUDIENCE_LABELS[r.key] ?? r.key}`
                    : `Thủ tục ${r.key}${props.names.has(r.key) ? `: ${props.names.get(r.key)}` : ""}`}
              </td>
              <td>{fmt(r.weight)}</td>
              <td>
                {r.note}
                {r.origin === "default" ? <span class="muted"> (mặc định đã rà soát)</span> : null}
              </td>
              {editable ? (
                <td>
                  <form method="post" action={`${PRIOR_PATH}/xoa`}>
                    <CsrfField token={csrf} />
                    <input type="hidden" name="id" value={String(r.id)} />
                    <button type="submit" class="btn secondary" aria-label={`Xóa mức ưu tiên của «${r.key}»`}>
                      Xóa
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function LearnedTable({ rows, titles }: { rows: LearnedRow[]; titles: Map<string, string> }) {
  if (rows.length === 0) return <p class="muted">Chưa có kết quả nào được mở từ trang tìm kiếm.</p>;
  return (
    <section class="table-wrap" aria-label="Mức ưu tiên học từ lượt mở" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Kết quả</th>
            <th scope="col">Lượt mở</th>
            <th scope="col">Cộng thêm</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{titles.get(r.docKey) ?? r.docKey}</td>
              <td>{r.opens}</td>
              <td>{fmt(r.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

async function renderPrior(
  c: C,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
  status: 200 | 400 = 200,
) {
  const { db } = c.get("deps");
  const session = sessionOf(c);
  const user = session.user;
  const ward = c.get("ward");
  const national = isOperator(user);
  const own = unitOwner(user.ward_id);
  const province = ward.province && ward.province.id !== user.ward_id ? unitOwner(ward.province.id) : null;
  const { fields, procedures } = await weighable(db, ward, national);
  const names = new Map([...procedures].map(([code, p]) => [code, p.name]));
  const learned = await listLearned(db, LEARNED_SHOWN);
  const titles = new Map(learned.map((r) => [r.docKey, names.get(r.docKey.replace(/^procedure:/, "")) ?? r.docKey]));
  const q = c.req.query();
  const saved = q["da-luu"]
    ? `Đã lưu mức ưu tiên của «${q["da-luu"]}».`
    : q["da-xoa"]
      ? `Đã xóa mức ưu tiên của «${q["da-xoa"]}».`
      : q["da-hoc"] !== undefined
        ? "Đã xếp lịch tính lại từ lượt mở; kết quả có trong ít phút."
        : q["khong-con"] !== undefined
          ? "Mục này không còn trong danh sách."
          : undefined;
  const state = values;
  const target = state.target === "procedure" || state.target === "audience" ? state.target : "field";
  const scope = state["pham-vi"] ?? (national ? "ca-nuoc" : "rieng");
  const csrf = session.csrfToken;
  c.status(status);
  return c.html(
    <Layout title="Ưu tiên trong tìm kiếm" ward={ward} session={session} staff>
      <ErrorSummary errors={errors} />
      <h1>Ưu tiên trong tìm kiếm</h1>
      <p>
        Khi nhiều kết quả khớp gần như nhau, trang tìm kiếm xếp trước những việc người dân hay làm ở phường, xã (hộ
        tịch, chứng thực, cư trú…) và sau những thủ tục hiếm khi làm ở cấp xã (hải quan, thuế của doanh nghiệp…). Mức từ
        −1 (hiếm khi làm) đến 1 (người dân hay làm); không đặt là 0. Mức của một thủ tục thay cho mức của lĩnh vực của
        nó. Ưu tiên không bao giờ đẩy xuống kết quả khớp đúng từ người dân gõ, và có tác dụng ngay với mọi lượt tìm.
      </p>
      <SavedNotice message={saved} />
      <form method="post" action={PRIOR_PATH} id="them" tabindex={-1}>
        <CsrfField token={csrf} />
        <h2>Đặt mức ưu tiên</h2>
        {national ? (
          <fieldset>
            <legend>Áp dụng cho</legend>
            <div class="radio">
              <input type="radio" id="pham-vi-ca-nuoc" name="pham-vi" value="ca-nuoc" checked={scope === "ca-nuoc"} />
              <label for="pham-vi-ca-nuoc">Mức chung (mọi phường, xã)</label>
            </div>
            <div class="radio">
              <input type="radio" id="pham-vi-rieng" name="pham-vi" value="rieng" checked={scope !== "ca-nuoc"} />
              <label for="pham-vi-rieng">Riêng {ward.unit.name}</label>
            </div>
          </fieldset>
        ) : null}
        <fieldset>
          <legend>Đặt cho</legend>
          <FieldError errors={errors} id="target" />
          <div class="radio">
            <input type="radio" id="target-field" name="target" value="field" checked={target === "field"} />
            <label for="target-field">Một lĩnh vực</label>
          </div>
          <div class="radio">
            <input
              type="radio"
              id="target-procedure"
              name="target"
              value="procedure"
              checked={target === "procedure"}
            />
            <label for="target-procedure">Một thủ tục (theo mã)</label>
          </div>
          <div class="radio">
            <input type="radio" id="target-audience" name="target" value="audience" checked={target === "audience"} />
            <label for="target-audience">{AUDIENCE_LABELS[ORGANISATIONS_ONLY]}</label>
          </div>
        </fieldset>
        <label for="field">Lĩnh vực</label>
        <FieldError errors={errors} id="field" />
        <select
          id="field"
          name="field"
          aria-describedby={describedBy(errors, "field")}
          aria-invalid={errors.field ? "true" : undefined}
        >
          <option value="">— Chọn lĩnh vực —</option>
          {fields.map((f) => (
            <option value={f} selected={state.field === f}>
              {f}
            </option>
          ))}
        </select>
        <label for="code">
          Mã thủ tục{" "}
          <span class="hint" id="code-goi-y">
            Khi đặt cho một thủ tục, ví dụ 1.001193.
          </span>
        </label>
        <FieldError errors={errors} id="code" />
        <input
          type="text"
          id="code"
          name="code"
          value={state.code ?? ""}
          aria-describedby={describedBy(errors, "code", "code-goi-y")}
          aria-invalid={errors.code ? "true" : undefined}
        />
        <label for="weight">
          Mức ưu tiên{" "}
          <span class="hint" id="weight-goi-y">
            Từ −1 đến 1, ví dụ 0,8 (người dân hay làm) hoặc -0,6 (hiếm khi làm ở phường).
          </span>
        </label>
        <FieldError errors={errors} id="weight" />
        <input
          type="text"
          inputmode="decimal"
          id="weight"
          name="weight"
          value={state.weight ?? ""}
          aria-describedby={describedBy(errors, "weight", "weight-goi-y")}
          aria-invalid={errors.weight ? "true" : undefined}
        />
        <label for="note">Ghi chú (lý do, nguồn)</label>
        <FieldError errors={errors} id="note" />
        <input
          type="text"
          id="note"
          name="note"
          value={state.note ?? ""}
          aria-describedby={describedBy(errors, "note")}
          aria-invalid={errors.note ? "true" : undefined}
        />
        <div>
          <button type="submit" class="btn">
            Lưu
          </button>
        </div>
      </form>
      <h2>Riêng của {ward.unit.name}</h2>
      <PriorTable csrf={csrf} rows={await listPriors(db, [own])} label="Mức ưu tiên riêng" editable names={names} />
      {province ? (
        <>
          <h2>Của tỉnh, thành phố</h2>
          <p class="hint">Do tài khoản của tỉnh, thành phố quản lý; áp dụng cho mọi phường, xã của tỉnh.</p>
          <PriorTable
            csrf={csrf}
            rows={await listPriors(db, [province])}
            label="Mức ưu tiên của tỉnh, thành phố"
            editable={false}
            names={names}
          />
        </>
      ) : null}
      <h2>Mức chung</h2>
      {national ? null : (
        <p class="hint">Mức chung do người vận hành hệ thống quản lý; đặt mức riêng ở trên để thay cho mức chung.</p>
      )}
      <PriorTable
        csrf={csrf}
        rows={await listPriors(db, [NATION])}
        label="Mức ưu tiên chung"
        editable={national}
        names={names}
      />
      <h2>Học từ lượt mở kết quả</h2>
      <p>
        Mỗi ngày, hệ thống đếm số lần mỗi kết quả được mở từ trang tìm kiếm (mọi phường, xã; trong thời gian lưu nhật
        ký) và cộng thêm tối đa {fmt(LEARNED_CAP)} vào mức ưu tiên, tăng chậm theo số lượt mở, để kết quả được mở nhiều
        không lấn át mãi.
      </p>
      <form method="post" action={`${PRIOR_PATH}/hoc`}>
        <CsrfField token={csrf} />
        <button type="submit" class="btn secondary">
          Tính lại ngay
        </button>
      </form>
      <LearnedTable rows={learned} titles={titles} />
    </Layout>,
  );
}

/** Routes under /quan-tri: `app.route("/quan-tri", searchPriorRoutes())`. Each route checks login, CSRF and role. */
export function searchPriorRoutes() {
  const app = new Hono<AppEnv>();
  const manage = requireAction("search.manage");

  app.get("/uu-tien-tim-kiem", requireStaff, requireCsrf, manage, (c) => renderPrior(c));

  app.post("/uu-tien-tim-kiem", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const values = await readFormValues(c);
    const user = sessionOf(c).user;
    const v = validate(priorForm, values);
    if (!v.ok) return renderPrior(c, values, v.errors, 400);
    const { target, field, code, weight, note } = v.value;
    const owner: Owner = v.value["pham-vi"] === "ca-nuoc" ? NATION : unitOwner(user.ward_id);
    // The nation's weights are shared by every ward: only an operator; a province's by its own accounts.
    if (!mayChange(user, owner === NATION ? "nation" : ownLevel(user), owner)) throw forbidden(NATIONAL_ONLY);
    const { fields, procedures } = await weighable(db, c.get("ward"), owner === NATION);
    const key = target === "field" ? field : target === "procedure" ? code : ORGANISATIONS_ONLY;
    if (target === "field" && !fields.includes(key))
      return renderPrior(c, values, { field: "Lĩnh vực này không có trong danh mục thủ tục." }, 400);
    if (target === "procedure" && !procedures.has(key))
      return renderPrior(c, values, { code: "Không có thủ tục mang mã này trong danh mục của phường." }, 400);
    await setPrior(db, actorOf(c), owner, { target, key, weight, note }, clock());
    return c.redirect(`${PRIOR_PATH}?da-luu=${encodeURIComponent(key)}`, 303);
  });

  app.post("/uu-tien-tim-kiem/xoa", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const v = validate(removeForm, await readFormValues(c));
    const user = sessionOf(c).user;
    const mine = (owner: string) =>
      owner === NATION ? mayChange(user, "nation", NATION) : mayChange(user, ownLevel(user), owner as Owner);
    const key = v.ok ? await removePrior(db, actorOf(c), v.value.id, mine, clock()) : null;
    if (key === "forbidden") throw forbidden(NATIONAL_ONLY);
    return c.redirect(
      key === null ? `${PRIOR_PATH}?khong-con` : `${PRIOR_PATH}?da-xoa=${encodeURIComponent(key)}`,
      303,
    );
  });

  // Recompute the learned weights now (a background job; the daily run goes on).
  app.post("/uu-tien-tim-kiem/hoc", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const now = clock();
    await scheduleLearning(db, now, { replace: true });
    await audit(db.kysely, actorOf(c), { action: "search.prior.learn", entity: "search_prior", entityId: null }, now);
    return c.redirect(`${PRIOR_PATH}?da-hoc`, 303);
  });

  return app;
}
