/** Staff pages of the procedure catalogue: the overview (board changes, review reminders), decisions, local values. */
import { formatDate, formatDateTime, vnToday } from "../../../core/text/vi.ts";
import type { Ward } from "../../../core/web/context.ts";
import { ErrorSummary } from "../../../core/web/layout.tsx";
import type { boardChanges, reviewReminders, WardProcedure } from "../procedures.catalogue.ts";
import { BADGE_TEXT, ProcedureStyles, procedurePath, STATUS_TEXT } from "./shared.tsx";

type Changes = Awaited<ReturnType<typeof boardChanges>>;
type Reminders = Awaited<ReturnType<typeof reviewReminders>>;
export const REMINDERS_PER_PAGE = 30;

const changeWord = (t: string) => (t === "baseline" ? "công bố" : (BADGE_TEXT[t as keyof typeof BADGE_TEXT] ?? t));

function ReviewButton({ code, csrf, back }: { code: string; csrf: string; back: string }) {
  return (
    <form method="post" action={`/quan-tri/thu-tuc/${code}/ra-soat`} class="inline">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="tiep" value={back} />
      <button type="submit" class="btn secondary" aria-label={`Đánh dấu đã rà soát thủ tục ${code}`}>
        Đánh dấu đã rà soát
      </button>
    </form>
  );
}

export function StaffOverview(props: {
  csrf: string;
  flash: string | null;
  board: Changes;
  reminders: Reminders;
  months: number;
  page: number;
  /** The user may change national and provincial procedures (a deployment operator): import and decisions. */
  national: boolean;
}) {
  const { csrf, flash, board, reminders, months, page } = props;
  const back = `/quan-tri/thu-tuc?thang=${months}&trang=${page}`;
  const pages = Math.max(1, Math.ceil(reminders.stale.length / REMINDERS_PER_PAGE));
  const shown = reminders.stale.slice((page - 1) * REMINDERS_PER_PAGE, page * REMINDERS_PER_PAGE);
  return (
    <>
      <ProcedureStyles />
      {flash ? (
        <div class="notice" role="status">
          {flash}
        </div>
      ) : null}
      <h1>Thủ tục hành chính</h1>
      <ul class="items">
        {props.national ? (
          <>
            <li>
              <a href="/quan-tri/thu-tuc/nhap">Nhập danh mục thủ tục (tệp của Cổng Dịch vụ công)</a>
            </li>
            <li>
              <a href="/quan-tri/thu-tuc/quyet-dinh">Áp dụng quyết định công bố (bãi bỏ, thay thế)</a>
            </li>
          </>
        ) : (
          <li class="muted">
            Danh mục thủ tục do cấp trên công bố; người vận hành hệ thống nhập và áp dụng quyết định. Phường ghi phí,
            địa chỉ, giờ tiếp nhận riêng và đánh dấu rà soát.
          </li>
        )}
        <li>
          <a href="/thu-tuc">Danh mục công khai</a> · <a href="/thu-tuc/bang-niem-yet">Bảng niêm yết (bản in)</a>
        </li>
      </ul>
      <form method="get" action="/quan-tri/thu-tuc">
        <label for="ma">
          Mở thủ tục theo mã <span class="hint">Để nhập phí, địa chỉ, giờ tiếp nhận riêng của phường.</span>
        </label>
        <input type="text" id="ma" name="ma" inputmode="decimal" placeholder="1.000253" />
        <div>
          <button type="submit" class="btn secondary">
            Mở
          </button>
        </div>
      </form>

      <h2>Bảng niêm yết</h2>
      {board.lastPrint ? (
        <p>Lần in gần nhất: {formatDateTime(board.lastPrint)}.</p>
      ) : (
        <p>Chưa ghi nhận lần in bảng niêm yết nào.</p>
      )}
      {board.lastPrint && board.changes.length === 0 ? <p>Không có thay đổi nào từ lần in gần nhất.</p> : null}
      {board.changes.length ? (
        <>
          <p>
            {board.changes.length} thay đổi từ lần in gần nhất: cần in lại các trang này.{" "}
            <a href={`/thu-tuc/bang-niem-yet?tu-ngay=${board.lastPrint ? vnToday(new Date(board.lastPrint)) : ""}`}>
              In các trang thay đổi
            </a>
          </p>
          <ul class="items">
            {board.changes.map((v) => (
              <li>
                <a href={`/quan-tri/thu-tuc/${v.code}`}>{v.name}</a> ({v.code}) — {changeWord(v.change_type)}, hiệu lực
                từ {formatDate(v.effective_from)}
                {v.decision_number ? `, Quyết định ${v.decision_number}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <form method="post" action="/quan-tri/thu-tuc/da-in">
        <input type="hidden" name="_csrf" value={csrf} />
        <button type="submit" class="btn">
          Đã in bảng niêm yết
        </button>
      </form>

      <h2>Rà soát thủ tục</h2>
      <h3>Thay đổi theo quyết định từ lần in gần nhất</h3>
      {reminders.changed.length === 0 ? (
        <p>Không có thủ tục nào cần rà soát do thay đổi.</p>
      ) : (
        <ul class="items">
          {reminders.changed.map((v) => (
            <li>
              <a href={`/quan-tri/thu-tuc/${v.code}`}>{v.name}</a> ({v.code}) — {changeWord(v.change_type)}, hiệu lực từ{" "}
              {formatDate(v.effective_from)}
              {v.decision_number ? `, Quyết định ${v.decision_number}` : ""}
              <ReviewButton code={v.code} csrf={csrf} back={back} />
            </li>
          ))}
        </ul>
      )}
      <h3>Chưa rà soát trong {months} tháng</h3>
      <form method="get" action="/quan-tri/thu-tuc">
        <label for="thang">Số tháng</label>
        <input type="number" id="thang" name="thang" min="1" max="60" value={String(months)} />
        <div>
          <button type="submit" class="btn secondary">
            Xem
          </button>
        </div>
      </form>
      <p>
        {reminders.stale.length} thủ tục chưa được rà soát trong {months} tháng qua.
      </p>
      <ul class="items">
        {shown.map((x) => (
          <li>
            <a href={`/quan-tri/thu-tuc/${x.entry.code}`}>{x.entry.name}</a> ({x.entry.code}) —{" "}
            {x.reviewedAt ? `rà soát lần cuối ${formatDate(x.reviewedAt)}` : "chưa rà soát lần nào"}
            <ReviewButton code={x.entry.code} csrf={csrf} back={back} />
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav aria-label="Trang danh sách rà soát">
          <p>
            Trang {page}/{pages}.{" "}
            {page > 1 ? <a href={`/quan-tri/thu-tuc?thang=${months}&trang=${page - 1}`}>Trang trước</a> : null}{" "}
            {page < pages ? <a href={`/quan-tri/thu-tuc?thang=${months}&trang=${page + 1}`}>Trang sau</a> : null}
          </p>
        </nav>
      ) : null}
    </>
  );
}

export interface DecisionFormValues {
  number?: string;
  decidedOn?: string;
  effectiveFrom?: string;
  issuer?: string;
  summary?: string;
  abolish?: string;
  replace?: string;
}

function Field(props: {
  id: keyof DecisionFormValues;
  label: string;
  hint?: string;
  type?: string;
  v: DecisionFormValues;
  errors: Record<string, string>;
}) {
  const { id, label, hint, type, v, errors } = props;
  return (
    <>
      <label for={id}>
        {label} {hint ? <span class="hint">{hint}</span> : null}
      </label>
      {errors[id] ? <span class="field-error">{errors[id]}</span> : null}
      {type === "textarea" ? (
        <textarea id={id} name={id} rows={4}>
          {v[id] ?? ""}
        </textarea>
      ) : (
        <input type={type ?? "text"} id={id} name={id} value={v[id] ?? ""} />
      )}
    </>
  );
}

export function DecisionForm({
  csrf,
  values,
  errors,
}: {
  csrf: string;
  values: DecisionFormValues;
  errors: Record<string, string>;
}) {
  const f = { v: values, errors };
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1>Áp dụng quyết định công bố</h1>
      <p>
        Ghi nhận một quyết định công bố bãi bỏ hoặc thay thế thủ tục hành chính. Thủ tục mới hoặc được sửa đổi, bổ sung
        có nội dung: <a href="/quan-tri/thu-tuc/nhap">nhập tệp thủ tục kèm số quyết định</a>.
      </p>
      <form method="post" action="/quan-tri/thu-tuc/quyet-dinh">
        <input type="hidden" name="_csrf" value={csrf} />
        <Field id="number" label="Số quyết định" hint="Ví dụ: 1234/QĐ-UBND" {...f} />
        <Field id="decidedOn" label="Ngày ban hành" type="date" {...f} />
        <Field id="effectiveFrom" label="Có hiệu lực từ ngày" type="date" {...f} />
        <Field id="issuer" label="Cơ quan ban hành" hint="Ví dụ: Chủ tịch UBND tỉnh Quảng Ngãi" {...f} />
        <Field id="summary" label="Trích yếu" type="textarea" {...f} />
        <Field id="abolish" label="Thủ tục bị bãi bỏ" hint="Mã thủ tục, mỗi mã một dòng." type="textarea" {...f} />
        <Field
          id="replace"
          label="Thủ tục bị thay thế"
          hint="Mỗi dòng: mã cũ → mã mới, ví dụ 1.000001 → 1.000002. Thủ tục mới phải được nhập trước."
          type="textarea"
          {...f}
        />
        <div>
          <button type="submit" class="btn">
            Áp dụng quyết định
          </button>
          <a class="btn secondary" href="/quan-tri/thu-tuc">
            Hủy
          </a>
        </div>
      </form>
    </>
  );
}

export interface OverrideValues {
  fee?: string;
  receivingAddress?: string;
  openingHours?: string;
  note?: string;
}

export function StaffProcedure(props: {
  p: WardProcedure;
  ward: Ward;
  csrf: string;
  values: OverrideValues;
  errors: Record<string, string>;
  flash: string | null;
}) {
  const { p, ward, csrf, values, errors, flash } = props;
  const code = p.procedure.code;
  const v = p.current ?? p.versions.at(-1);
  const r = p.versions.find((x) => x.version_no === v?.version_no)?.record;
  const text = (id: keyof OverrideValues, label: string, hint: string, area = false) => (
    <>
      <label for={id}>
        {label} <span class="hint">{hint}</span>
      </label>
      {errors[id] ? <span class="field-error">{errors[id]}</span> : null}
      {area ? (
        <textarea id={id} name={id} rows={3}>
          {values[id] ?? ""}
        </textarea>
      ) : (
        <input type="text" id={id} name={id} value={values[id] ?? ""} />
      )}
    </>
  );
  return (
    <>
      <ErrorSummary errors={errors} />
      {flash ? (
        <div class="notice" role="status">
          {flash}
        </div>
      ) : null}
      <p class="muted small">Mã thủ tục: {code}</p>
      <h1>{r?.name ?? code}</h1>
      <p>
        {p.current ? STATUS_TEXT[p.current.change_type === "abolished" ? "abolished" : "in_force"] : "Chưa có hiệu lực"}{" "}
        · <a href={procedurePath(ward.base, code)}>Xem trang công khai</a>
      </p>
      <ReviewButton code={code} csrf={csrf} back={`/quan-tri/thu-tuc/${code}`} />
      <h2>Thông tin riêng của {ward.unit.name}</h2>
      <p>
        Điền khi phường áp dụng khác với nội dung công bố: trang công khai và bảng niêm yết hiển thị thông tin này thay
        cho thông tin chung. Để trống để dùng thông tin chung.
      </p>
      <dl class="facts">
        <dt>Phí, lệ phí (chung)</dt>
        <dd>
          {r?.channels
            .map((c) => c.fee)
            .filter(Boolean)
            .join("; ") || "—"}
        </dd>
        <dt>Địa chỉ tiếp nhận (chung)</dt>
        <dd>{r?.receivingAddress || "—"}</dd>
      </dl>
      <form method="post" action={`/quan-tri/thu-tuc/${code}/thong-tin-rieng`}>
        <input type="hidden" name="_csrf" value={csrf} />
        {text("fee", "Phí, lệ phí", "Ví dụ: 8.000 đồng/bản")}
        {text("receivingAddress", "Địa chỉ tiếp nhận hồ sơ", "Ví dụ: Bộ phận Một cửa, UBND phường, số 1 …")}
        {text("openingHours", "Thời gian tiếp nhận", "Ví dụ: Sáng 7h30–11h30, chiều 13h30–17h, thứ Hai đến thứ Sáu")}
        {text("note", "Ghi chú", "Hiển thị trên trang thủ tục.", true)}
        <div>
          <button type="submit" class="btn">
            Lưu thông tin riêng
          </button>
        </div>
      </form>
    </>
  );
}
