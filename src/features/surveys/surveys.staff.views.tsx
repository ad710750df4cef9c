/** Staff page of surveys: the ward's surveys with their rounds, the form closing a round, the form creating one. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import type { Survey } from "./surveys.service.ts";

export const fieldLabel = (s: Pick<Survey, "field">) => s.field ?? "Tất cả dịch vụ hành chính công";

export interface StaffSurveyRow {
  survey: Survey;
  rounds: number;
  /** Responses not yet counted in a round. */
  pending: number;
  unitName: string | null;
}

/** The form that closes a survey's current round (and optionally the survey); its id carries errors. */
function CloseRoundForm({ row, csrf, state }: { row: StaffSurveyRow; csrf: string; state: FormState }) {
  const id = `ks-dot-${row.survey.id}`;
  return (
    <form method="post" action={`/quan-tri/khao-sat/${row.survey.id}/ket-thuc-dot`} id={id} novalidate>
      <CsrfField token={csrf} />
      <FieldError errors={state.errors} id={id} />
      {row.survey.open ? (
        <div class="checkbox">
          <input type="checkbox" id={`${id}-dong`} name="closeSurvey" value="1" />
          <label for={`${id}-dong`}>Đồng thời đóng phiếu (không nhận thêm đánh giá)</label>
        </div>
      ) : null}
      <button type="submit" aria-describedby={describedBy(state.errors, id)}>
        Kết thúc đợt khảo sát
      </button>
    </form>
  );
}

/** Staff: the ward's surveys and the form that creates one. */
export function SurveyStaffPage(props: {
  ward: Ward;
  session: ActiveSession;
  rows: StaffSurveyRow[];
  units: { id: number; name: string }[];
  defaultUnitId: number | null;
  state: FormState;
  saved?: string;
}) {
  const { ward, session, rows, state, units } = props;
  const chosenUnit = state.values.orgUnitId ?? (props.defaultUnitId == null ? "" : String(props.defaultUnitId));
  return (
    <Layout title="Khảo sát sự hài lòng" ward={ward} session={session} staff>
      <h1>Khảo sát sự hài lòng</h1>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      {rows.length === 0 ? (
        <p>Chưa có cuộc khảo sát nào.</p>
      ) : (
        <section class="table-wrap" aria-label="Các cuộc khảo sát" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Cuộc khảo sát</th>
                <th scope="col">Lĩnh vực</th>
                <th scope="col">Đơn vị thực hiện</th>
                <th scope="col">Ngày tạo</th>
                <th scope="col">Đợt đã kết thúc</th>
                <th scope="col">Phiếu chưa tổng hợp</th>
                <th scope="col">Liên kết</th>
                <th scope="col">Kết thúc đợt</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">
                    {r.survey.title}
                    {r.survey.open ? null : " (đã đóng)"}
                  </th>
                  <td>{fieldLabel(r.survey)}</td>
                  <td>{r.unitName ?? "Văn phòng (mặc định)"}</td>
                  <td>{formatDate(r.survey.created_at)}</td>
                  <td>{String(r.rounds)}</td>
                  <td>{String(r.pending)}</td>
                  <td>
                    <a href={`/khao-sat/${r.survey.id}`}>Phiếu</a> ·{" "}
                    <a href={`/khao-sat/${r.survey.id}/ket-qua`}>Kết quả</a>
                  </td>
                  <td>
                    {r.pending > 0 || r.survey.open ? (
                      <CloseRoundForm row={r} csrf={session.csrfToken} state={state} />
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <p class="hint">
        Kết thúc một đợt khảo sát tổng hợp các phiếu nhận được từ đợt trước và ghi một hoạt động “Khảo sát, đo lường sự
        hài lòng” vào sổ theo dõi của kế hoạch đang thực hiện, với số phiếu là số lượt người tham gia.
      </p>
      <h2>Tạo cuộc khảo sát</h2>
      <p>Cuộc khảo sát mới có sẵn 5 yếu tố, 22 tiêu chí theo phương pháp SIPAS.</p>
      <form method="post" action="/quan-tri/khao-sat" id="ks-new" novalidate>
        <CsrfField token={session.csrfToken} />
        <TextField id="ks-title" name="title" label="Tên cuộc khảo sát" state={state} />
        <TextField
          id="ks-field"
          name="field"
          label="Lĩnh vực dịch vụ"
          hint="Để trống nếu khảo sát mọi dịch vụ: người dân sẽ được hỏi lĩnh vực thủ tục họ vừa thực hiện."
          state={state}
        />
        <label for="ks-orgUnitId">Đơn vị thực hiện khảo sát</label>
        <FieldError errors={state.errors} id="ks-orgUnitId" />
        <select id="ks-orgUnitId" name="orgUnitId" aria-describedby={describedBy(state.errors, "ks-orgUnitId")}>
          {units.map((u) => (
            <option value={String(u.id)} selected={chosenUnit === String(u.id)}>
              {u.name}
            </option>
          ))}
        </select>
        <button type="submit">Tạo khảo sát</button>
      </form>
    </Layout>
  );
}
