/** Pages of the survey feature: the anonymous form, its thank-you page, the public results (the staff page: surveys.staff.views.tsx). */

import { CITIZEN_FORMS_CSS_PATH } from "../../core/web/citizen-forms-css.ts";
import type { Ward } from "../../core/web/context.ts";
import { describedBy, FieldError, type FormState } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { formatIndex, type Question, SCALE_LABELS } from "./sipas.ts";
import type { NamedProcedure } from "./surveys.about.ts";
import { IndexChart } from "./surveys.charts.tsx";
import type { SurveyResults } from "./surveys.results.ts";
import type { Survey } from "./surveys.service.ts";

const SCORES = [1, 2, 3, 4, 5] as const;

const monthLabel = (m: string) => `${m.slice(5, 7)}/${m.slice(0, 4)}`;

const fieldLabel = (s: Survey) => s.field ?? "Tất cả dịch vụ hành chính công";

/** Questions grouped by factor, in order. */
function byFactor(questions: readonly Question[]) {
  const out: { code: string; title: string; questions: Question[] }[] = [];
  for (const q of questions) {
    const last = out.at(-1);
    if (last && last.code === q.factor) last.questions.push(q);
    else out.push({ code: q.factor, title: q.factorTitle, questions: [q] });
  }
  return out;
}

/** The anonymous form: per criterion a group of five radios; all optional, at least one answer. */
export function SurveyFormPage(props: {
  ward: Ward;
  survey: Survey;
  questions: Question[];
  /** Fields to choose from (a survey of every service, no procedure named); empty: no choice asked. */
  fields: string[];
  procedure: NamedProcedure | null;
  state: FormState;
  token: string;
}) {
  const { ward, survey, questions, state, token, procedure, fields } = props;
  return (
    <Layout title={survey.title} ward={ward}>
      <link rel="stylesheet" href={CITIZEN_FORMS_CSS_PATH} />
      <h1>{survey.title}</h1>
      <p>Lĩnh vực: {fieldLabel(survey)}.</p>
      <p>
        Khảo sát không ghi tên, không hỏi thông tin cá nhân. Chọn mức hài lòng cho những tiêu chí bạn muốn đánh giá (ít
        nhất một tiêu chí), rồi bấm “Gửi đánh giá”.
      </p>
      <ErrorSummary errors={state.errors} />
      <form method="post" action={`${ward.base}/khao-sat/${survey.id}`} id="ks-form" novalidate>
        <input type="hidden" name="_form" value={token} />
        <div class="gy-hp" aria-hidden="true">
          <label for="ks-website">Để trống ô này</label>
          <input type="text" id="ks-website" name="website" value="" tabindex={-1} autocomplete="off" />
        </div>
        {procedure ? (
          <p>
            <input type="hidden" name="thu_tuc" value={procedure.code} />
            Thủ tục bạn đánh giá: <strong>{procedure.name}</strong> (lĩnh vực {procedure.field}).
          </p>
        ) : fields.length > 0 ? (
          <>
            <label for="ks-field">
              Lĩnh vực thủ tục bạn vừa thực hiện{" "}
              <span class="hint" id="ks-field-goi-y">
                Không bắt buộc; giúp phường biết lĩnh vực nào cần cải thiện.
              </span>
            </label>
            <FieldError errors={state.errors} id="ks-field" />
            <select
              id="ks-field"
              name="field"
              aria-describedby={describedBy(state.errors, "ks-field", "ks-field-goi-y")}
            >
              <option value="">— Không nêu —</option>
              {fields.map((f) => (
                <option value={f} selected={state.values.field === f}>
                  {f}
                </option>
              ))}
            </select>
          </>
        ) : null}
        {byFactor(questions).map((f, fi) => (
          <section aria-labelledby={`ks-f${fi}`}>
            <h2 id={`ks-f${fi}`}>{`${fi + 1}. ${f.title}`}</h2>
            {f.questions.map((q) => {
              const id = `ks-q${q.id}`;
              const chosen = state.values[`q${q.id}`];
              return (
                <fieldset id={id} aria-describedby={state.errors[id] ? `${id}-loi` : undefined}>
                  <legend>{q.text}</legend>
                  <FieldError errors={state.errors} id={id} />
                  {SCORES.map((s) => (
                    <div class="radio">
                      <input
                        type="radio"
                        id={`${id}-${s}`}
                        name={`q${q.id}`}
                        value={String(s)}
                        checked={chosen === String(s)}
                      />
                      <label for={`${id}-${s}`}>{`${s} — ${SCALE_LABELS[s]}`}</label>
                    </div>
                  ))}
                </fieldset>
              );
            })}
          </section>
        ))}
        <button type="submit">Gửi đánh giá</button>
      </form>
      <p>
        <a href={`${ward.base}/khao-sat/${survey.id}/ket-qua`}>Xem kết quả khảo sát</a>
      </p>
    </Layout>
  );
}

export function SurveyThanksPage({ ward, survey }: { ward: Ward; survey: Survey }) {
  return (
    <Layout title="Cảm ơn bạn đã đánh giá" ward={ward}>
      <h1>Cảm ơn bạn đã đánh giá</h1>
      <p>Ý kiến của bạn đã được ghi nhận, không kèm thông tin cá nhân nào.</p>
      <p>
        <a href={`${ward.base}/khao-sat/${survey.id}/ket-qua`}>Xem kết quả khảo sát</a> ·{" "}
        <a href={`${ward.base}/khao-sat`}>Các cuộc khảo sát khác</a>
      </p>
      <p>
        Có việc cụ thể cần phường xem xét? <a href={`${ward.base}/gop-y`}>Gửi phản ánh, kiến nghị</a>.
      </p>
    </Layout>
  );
}

export function SurveyClosedPage({ ward, survey }: { ward: Ward; survey: Survey }) {
  return (
    <Layout title={survey.title} ward={ward}>
      <h1>{survey.title}</h1>
      <p>Cuộc khảo sát này đã kết thúc.</p>
      <p>
        <a href={`${ward.base}/khao-sat/${survey.id}/ket-qua`}>Xem kết quả khảo sát</a>
      </p>
    </Layout>
  );
}

const NO_FIELD = "Không nêu lĩnh vực";

/** Each field's index per factor and overall, with how many answers it rests on. */
function FieldFactorTable({ fields }: { fields: SurveyResults["fields"] }) {
  const factors = fields[0]?.result.factors ?? [];
  const cell = (x: number | null) => (x === null ? "—" : formatIndex(x));
  return (
    <section class="table-wrap" aria-label="Chỉ số theo lĩnh vực và yếu tố" tabindex={0}>
      <table>
        <caption>Chỉ số hài lòng (%) theo lĩnh vực và yếu tố</caption>
        <thead>
          <tr>
            <th scope="col">Lĩnh vực</th>
            <th scope="col">Số câu trả lời</th>
            {factors.map((f, i) => (
              <th scope="col">{`${i + 1}. ${f.title}`}</th>
            ))}
            <th scope="col">Chỉ số chung</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr>
              <th scope="row">{f.field ?? NO_FIELD}</th>
              <td>{String(f.result.answers)}</td>
              {f.result.factors.map((x) => (
                <td>{cell(x.index)}</td>
              ))}
              <td>{cell(f.result.overall)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Public results: anonymous figures only. */
export function SurveyResultsPage({ ward, results }: { ward: Ward; results: SurveyResults }) {
  const { survey, index, months, responses, fields } = results;
  return (
    <Layout title={`Kết quả: ${survey.title}`} ward={ward}>
      <h1>Kết quả khảo sát: {survey.title}</h1>
      <p>Lĩnh vực: {fieldLabel(survey)}.</p>
      <p>
        Số phiếu đã nhận: <strong>{String(responses)}</strong>. Chỉ số hài lòng chung:{" "}
        <strong id="ks-overall">{index.overall === null ? "chưa có" : `${formatIndex(index.overall)}%`}</strong>
      </p>
      <details>
        <summary>Cách tính</summary>
        <p>
          Chỉ số của một tiêu chí là tỷ lệ phần trăm câu trả lời “Hài lòng” (4) hoặc “Rất hài lòng” (5) trên tổng số câu
          trả lời tiêu chí đó. Chỉ số của một yếu tố là trung bình cộng chỉ số các tiêu chí có trả lời của yếu tố đó.
          Chỉ số chung là trung bình cộng chỉ số các yếu tố có trả lời.
        </p>
      </details>
      {index.missingFactors.length > 0 && index.overall !== null ? (
        <p class="notice" role="note">
          Chưa có trả lời cho {String(index.missingFactors.length)} yếu tố; chỉ số chung chỉ tính các yếu tố đã có trả
          lời.
        </p>
      ) : null}
      <h2>Theo yếu tố</h2>
      <IndexChart
        caption="Chỉ số hài lòng theo yếu tố"
        head="Yếu tố"
        rows={index.factors.map((f, i) => ({ label: `${i + 1}. ${f.title}`, index: f.index }))}
      />
      <h2>Theo tháng</h2>
      <IndexChart
        caption="Chỉ số hài lòng chung theo tháng"
        head="Tháng"
        rows={months.map((m) => ({ label: `Tháng ${monthLabel(m.month)}`, index: m.result.overall }))}
      />
      <h2>Theo lĩnh vực</h2>
      <p>Lĩnh vực của thủ tục mà người trả lời đã thực hiện; mỗi lĩnh vực tính riêng theo cùng một cách.</p>
      <IndexChart
        caption="Chỉ số hài lòng chung theo lĩnh vực"
        head="Lĩnh vực"
        rows={fields.map((f) => ({ label: f.field ?? NO_FIELD, index: f.result.overall }))}
      />
      {fields.length > 0 ? <FieldFactorTable fields={fields} /> : null}
      <h2>Theo tiêu chí</h2>
      <section class="table-wrap" aria-label="Chỉ số theo tiêu chí" tabindex={0}>
        <table>
          <caption>Chỉ số hài lòng theo tiêu chí</caption>
          <thead>
            <tr>
              <th scope="col">Tiêu chí</th>
              <th scope="col">Số câu trả lời</th>
              <th scope="col">Hài lòng, rất hài lòng</th>
              <th scope="col">Chỉ số (%)</th>
            </tr>
          </thead>
          {index.factors.map((f, i) => (
            <tbody>
              <tr>
                <th scope="colgroup" colspan={3}>{`${i + 1}. ${f.title}`}</th>
                <td>{f.index === null ? "Chưa có trả lời" : formatIndex(f.index)}</td>
              </tr>
              {f.criteria.map((c) => (
                <tr>
                  <th scope="row">{c.text}</th>
                  <td>{String(c.answers)}</td>
                  <td>{String(c.satisfied)}</td>
                  <td>{c.index === null ? "—" : formatIndex(c.index)}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </section>
      {survey.open ? (
        <p>
          <a href={`${ward.base}/khao-sat/${survey.id}`}>Tham gia đánh giá</a>
        </p>
      ) : null}
    </Layout>
  );
}
