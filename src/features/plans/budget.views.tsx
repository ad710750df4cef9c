/**
 * The budget on a plan's pages: planned lines and planned against spent (by channel, by unit) on the staff page, a
 * disclosure table on the public page (lines, and spent by channel: no names of people), and the staff edit page.
 */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, FieldError, type FormValues, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import type { BudgetComparison, PlanBudget } from "./budget.service.ts";
import type { BudgetDraft, ComparisonRow } from "./budget.ts";
import { CHANNEL_KINDS } from "./plan-draft.ts";
import { formatNumber } from "./progress.ts";

const money = (v: number | null) => (v === null ? "Chưa nêu" : formatNumber(v));

function LinesTable({ budget, caption }: { budget: PlanBudget; caption: string }) {
  return (
    <section class="table-wrap" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Nội dung chi</th>
            <th scope="col">Nguồn kinh phí</th>
            <th scope="col" class="num">
              Số tiền (đồng)
            </th>
          </tr>
        </thead>
        <tbody>
          {budget.lines.map((l) => (
            <tr>
              <th scope="row">{l.purpose}</th>
              <td>{l.source ?? "Chưa nêu"}</td>
              <td class="num">{money(l.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={2}>
              Tổng kinh phí theo kế hoạch
            </th>
            <td class="num">{money(budget.total)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function ComparisonTable({ rows, caption, first }: { rows: ComparisonRow[]; caption: string; first: string }) {
  return (
    <section class="table-wrap" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" class="num">
              Dự kiến (đồng)
            </th>
            <th scope="col" class="num">
              Đã chi (đồng)
            </th>
            <th scope="col" class="num">
              Số hoạt động
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td class="num">{r.planned === null ? "–" : formatNumber(r.planned)}</td>
              <td class="num">{formatNumber(r.spent)}</td>
              <td class="num">{formatNumber(r.activities)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const Totals = ({ c }: { c: BudgetComparison }) => (
  <p>
    Kinh phí theo kế hoạch: <strong>{c.planned === null ? "chưa nêu" : `${formatNumber(c.planned)} đồng`}</strong> · Đã
    chi (theo chi phí ghi nhận trên các hoạt động): <strong>{formatNumber(c.spent)} đồng</strong>
  </p>
);

/** The staff plan page's budget section. */
export function PlanBudgetSection(props: {
  planId: number;
  budget: PlanBudget;
  comparison: BudgetComparison;
  keepers: { id: number; name: string }[];
  mayEdit: boolean;
}) {
  const { budget, comparison } = props;
  return (
    <section aria-labelledby="kinh-phi">
      <h2 id="kinh-phi">Kinh phí và chi tiêu</h2>
      <Totals c={comparison} />
      {budget.lines.length ? (
        <LinesTable budget={budget} caption="Các dòng kinh phí của kế hoạch" />
      ) : (
        <p>Kế hoạch không nêu dòng kinh phí nào.</p>
      )}
      <ComparisonTable rows={comparison.byChannel} caption="Dự kiến và đã chi theo hình thức" first="Hình thức" />
      <ComparisonTable rows={comparison.byUnit} caption="Dự kiến và đã chi theo đơn vị" first="Đơn vị" />
      <p>
        {props.keepers.length
          ? `Đơn vị được giao bố trí kinh phí: ${props.keepers.map((k) => k.name).join(", ")}.`
          : "Kế hoạch không giao nhiệm vụ bố trí kinh phí cho đơn vị nào."}{" "}
        {props.mayEdit ? <a href={`/quan-tri/ke-hoach/${props.planId}/kinh-phi`}>Sửa kinh phí</a> : null}
      </p>
    </section>
  );
}

/** The public disclosure table: the planned lines and what was spent by channel; no person is named. */
export function BudgetDisclosure({ budget, comparison }: { budget: PlanBudget; comparison: BudgetComparison }) {
  if (budget.lines.length === 0 && comparison.spent === 0) return null;
  return (
    <section aria-labelledby="cong-khai-kinh-phi">
      <h2 id="cong-khai-kinh-phi">Công khai kinh phí</h2>
      <Totals c={comparison} />
      {budget.lines.length ? <LinesTable budget={budget} caption="Kinh phí theo kế hoạch" /> : null}
      <ComparisonTable rows={comparison.byChannel} caption="Kinh phí đã chi theo hình thức" first="Hình thức" />
    </section>
  );
}

export interface LineFormState {
  /** "moi" (add) or the id of the line being corrected. */
  form: string;
  values: FormValues;
  errors: FieldErrors;
}

function LineFields(props: { prefix: string; state: LineFormState | null; units: { id: number; name: string }[] }) {
  const { prefix, units } = props;
  const state = props.state ?? { form: prefix, values: {}, errors: {} };
  const v = state.values;
  const f = (name: string) => `${prefix}-${name}`;
  return (
    <>
      <TextField id={f("purpose")} name="purpose" label="Nội dung chi" state={{ values: v, errors: state.errors }} />
      <TextField
        id={f("amount")}
        name="amount"
        label="Số tiền (đồng)"
        hint="Số nguyên, ví dụ 15.000.000; để trống nếu kế hoạch chỉ nêu nguồn."
        inputmode="numeric"
        state={{ values: v, errors: state.errors }}
      />
      <TextField
        id={f("source")}
        name="source"
        label="Nguồn kinh phí"
        hint="Ví dụ: ngân sách phường năm 2025, nguồn xã hội hóa."
        state={{ values: v, errors: state.errors }}
      />
      <label for={f("channelKind")}>Hình thức tuyên truyền</label>
      <FieldError errors={state.errors} id={f("channelKind")} />
      <select id={f("channelKind")} name="channelKind">
        <option value="">Chung cho kế hoạch</option>
        {Object.entries(CHANNEL_KINDS).map(([code, label]) => (
          <option value={code} selected={v.channelKind === code}>
            {label}
          </option>
        ))}
      </select>
      <label for={f("orgUnitId")}>Đơn vị sử dụng</label>
      <FieldError errors={state.errors} id={f("orgUnitId")} />
      <select id={f("orgUnitId")} name="orgUnitId">
        <option value="">Không gắn đơn vị</option>
        {units.map((u) => (
          <option value={String(u.id)} selected={v.orgUnitId === String(u.id)}>
            {u.name}
          </option>
        ))}
      </select>
    </>
  );
}

/** The values a line's edit form starts with. */
export const lineValues = (l: PlanBudget["lines"][number]): FormValues => ({
  purpose: l.purpose,
  amount: l.amount === null ? "" : String(l.amount),
  source: l.source ?? "",
  channelKind: l.channelKind ?? "",
  orgUnitId: l.unit ? String(l.unit.id) : "",
});

/** The staff page that edits a plan's budget: the lines (correct, remove), a new line, the stated total. */
export function BudgetEditPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  plan: { id: number; number: string; title: string };
  budget: PlanBudget;
  units: { id: number; name: string }[];
  editing: number | null;
  state: LineFormState | null;
  totalState: { values: FormValues; errors: FieldErrors } | null;
  saved?: string;
}) {
  const { plan, budget, state, session } = props;
  const csrf = session?.csrfToken ?? "";
  const base = `/quan-tri/ke-hoach/${plan.id}/kinh-phi`;
  const editing = budget.lines.find((l) => l.id === props.editing) ?? null;
  const errors = { ...(state?.errors ?? {}), ...(props.totalState?.errors ?? {}) };
  return (
    <Layout title={`Kinh phí kế hoạch ${plan.number}`} ward={props.ward} session={session} staff>
      <p>
        <a href={`/quan-tri/ke-hoach/${plan.id}`}>← Kế hoạch {plan.number}</a>
      </p>
      <h1>Kinh phí kế hoạch {plan.number}</h1>
      <ErrorSummary errors={errors} />
      <SavedNotice message={props.saved} />
      {budget.lines.length ? (
        <section class="table-wrap" aria-label="Các dòng kinh phí" tabindex={0}>
          <table>
            <caption>Các dòng kinh phí</caption>
            <thead>
              <tr>
                <th scope="col">Nội dung chi</th>
                <th scope="col">Nguồn</th>
                <th scope="col" class="num">
                  Số tiền (đồng)
                </th>
                <th scope="col">Hình thức</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {budget.lines.map((l) => (
                <tr>
                  <th scope="row">{l.purpose}</th>
                  <td>{l.source ?? "Chưa nêu"}</td>
                  <td class="num">{money(l.amount)}</td>
                  <td>
                    {l.channelKind
                      ? (CHANNEL_KINDS[l.channelKind as keyof typeof CHANNEL_KINDS] ?? l.channelKind)
                      : "Chung"}
                  </td>
                  <td>{l.unit?.name ?? "–"}</td>
                  <td>
                    <a href={`${base}?sua=${l.id}#sua-${l.id}`}>Sửa</a>
                    <form method="post" action={`${base}/${l.id}/xoa`} class="inline">
                      <CsrfField token={csrf} />
                      <button type="submit" class="secondary">
                        Xóa
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p>Chưa có dòng kinh phí nào.</p>
      )}
      {editing ? (
        <form method="post" action={`${base}/${editing.id}`} id={`sua-${editing.id}`}>
          <h2>Sửa dòng “{editing.purpose}”</h2>
          <CsrfField token={csrf} />
          <LineFields
            prefix="sua"
            units={props.units}
            state={
              state && state.form === String(editing.id)
                ? state
                : { form: String(editing.id), values: lineValues(editing), errors: {} }
            }
          />
          <button type="submit">Lưu dòng kinh phí</button>
        </form>
      ) : null}
      <form method="post" action={base} id="moi">
        <h2>Thêm dòng kinh phí</h2>
        <CsrfField token={csrf} />
        <LineFields prefix="moi" units={props.units} state={state?.form === "moi" ? state : null} />
        <button type="submit">Thêm dòng kinh phí</button>
      </form>
      <form method="post" action={`${base}/tong`} id="tong">
        <h2>Tổng kinh phí kế hoạch nêu</h2>
        <CsrfField token={csrf} />
        <TextField
          id="tong-stated"
          name="stated"
          label="Tổng kinh phí (đồng)"
          hint="Để trống nếu kế hoạch không nêu tổng: khi đó tổng là tổng các dòng (nếu dòng nào cũng có số tiền)."
          inputmode="numeric"
          value={budget.stated === null ? "" : String(budget.stated)}
          state={props.totalState ?? { values: {}, errors: {} }}
        />
        <button type="submit">Lưu tổng kinh phí</button>
      </form>
    </Layout>
  );
}

/** What the import preview shows of the budget read from the text, before anything is saved. */
export function BudgetPreview({ budget }: { budget: BudgetDraft | null }) {
  return (
    <>
      <h2>Kinh phí</h2>
      {budget?.lines.length ? (
        <LinesTable
          budget={{
            stated: budget.stated,
            total: budget.total,
            lines: budget.lines.map((l, i) => ({ ...l, id: i, channelKind: null, unit: null })),
            editedAt: null,
          }}
          caption="Kinh phí đọc được từ kế hoạch"
        />
      ) : (
        <p>Kế hoạch không có mục kinh phí: sau khi lưu, Văn phòng hoặc đơn vị được giao bố trí kinh phí có thể nhập.</p>
      )}
    </>
  );
}
