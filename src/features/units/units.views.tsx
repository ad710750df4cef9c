/**
 * Views of the ward's own units (staff side): the list, the new-unit form, and one unit's page with its forms
 * (rename, aliases, retire). Each form comes back with the errors beside the fields and what was typed.
 */
import { formatDate } from "../../core/text/vi.ts";
import {
  CsrfField,
  describedBy,
  EMPTY_FORM,
  FieldError,
  type FormState,
  SavedNotice,
  TextField,
} from "../../core/web/forms.tsx";
import { ErrorSummary } from "../../core/web/layout.tsx";
import type { OrgUnitView } from "./units.service.ts";

/** Where the units pages live. */
export const BASE = "/quan-tri/don-vi";

/** A unit page's forms: rename, add alias (or remove one), retire. */
export type UnitForm = "r" | "a" | "x";

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

/** The ward's units: those in force, then the retired ones. */
export function UnitsListPage({ units }: { units: OrgUnitView[] }) {
  const inForce = units.filter((u) => !u.retired);
  const retired = units.filter((u) => u.retired);
  return (
    <>
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
    </>
  );
}

// -------------------------------------------------------------------------------------------------------------
// New unit

/** The new-unit form. */
export function CreateForm({ csrf, state }: { csrf: string; state: FormState }) {
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <p class="small">
        <a href={BASE}>← Đơn vị của phường</a>
      </p>
      <h1>Thêm đơn vị</h1>
      <form method="post" action={`${BASE}/moi`} id="tao" tabindex={-1}>
        <CsrfField token={csrf} />
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

/** One unit's page: its facts and history, then its forms; `saved` is the `da-luu` of the redirect after a POST. */
export function UnitPage(props: {
  csrf: string;
  u: OrgUnitView;
  all: OrgUnitView[];
  state: FormState<UnitForm>;
  saved?: string;
}) {
  const { csrf, u, all, state, saved } = props;
  const s = (form: UnitForm): FormState<UnitForm> => (state.form === form ? state : EMPTY_FORM);
  const successors = all.filter((x) => x.id !== u.id && !x.retired);
  const x = s("x");
  const moveChecked = x.form ? x.values.moveAliases === "1" : true;
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <SavedNotice message={state.form || !saved ? undefined : SAVED[saved]} />
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
        <CsrfField token={csrf} />
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
              <CsrfField token={csrf} />
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
          <CsrfField token={csrf} />
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
          <CsrfField token={csrf} />
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
