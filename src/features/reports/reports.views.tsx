/** The report pages: the period form and the draft's preview (its figures as tables, its sections, the downloads). */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { AdminDocument, Block } from "../../core/documents/admin-document.ts";
import type { Ward } from "../../core/web/context.ts";
import { describedBy, FieldError, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import { PERIOD_KINDS, type PeriodKind } from "./periods.ts";
import type { ReportFigures } from "./report-figures.ts";

export function ReportFormPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  values: Record<string, string>;
  errors: FieldErrors;
  today: string;
}) {
  const { values, errors } = props;
  const state = { values, errors };
  const kind = (values.loai ?? "quarter") as PeriodKind;
  const year = values.nam ?? props.today.slice(0, 4);
  return (
    <Layout title="Báo cáo kết quả thực hiện" ward={props.ward} session={props.session} staff>
      <h1>Báo cáo kết quả tuyên truyền cải cách hành chính</h1>
      <ErrorSummary errors={errors} />
      <p>
        Mọi số liệu của báo cáo được tính từ dữ liệu đã ghi nhận (hoạt động, nhiệm vụ, phản ánh, hỏi đáp), không nhập
        tay. Kỳ báo cáo định kỳ theo Nghị định 09/2019/NĐ-CP: từ ngày 15 tháng cuối kỳ trước đến ngày 14 tháng cuối kỳ.
      </p>
      <form method="get" action="/quan-tri/bao-cao/du-thao" novalidate>
        <label for="loai">Loại kỳ báo cáo</label>
        <FieldError errors={errors} id="loai" />
        <select id="loai" name="loai" aria-describedby={describedBy(errors, "loai")}>
          {Object.entries(PERIOD_KINDS).map(([k, label]) => (
            <option value={k} selected={k === kind}>
              {label}
            </option>
          ))}
        </select>
        <TextField id="nam" name="nam" label="Năm" state={state} value={year} inputmode="numeric" />
        <label for="quy">Quý (khi chọn báo cáo quý)</label>
        <FieldError errors={errors} id="quy" />
        <select id="quy" name="quy" aria-describedby={describedBy(errors, "quy")}>
          {["1", "2", "3", "4"].map((q) => (
            <option value={q} selected={(values.quy ?? "1") === q}>
              Quý {["I", "II", "III", "IV"][Number(q) - 1]}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>Báo cáo đột xuất: từ ngày … đến ngày …</legend>
          <TextField id="tu" name="tu" label="Từ ngày" type="date" state={state} />
          <TextField id="den" name="den" label="Đến ngày" type="date" state={state} />
        </fieldset>
        <button type="submit">Xem số liệu và dự thảo</button>
      </form>
    </Layout>
  );
}

const n = (x: number) => x.toLocaleString("vi-VN");

function BlockView({ b }: { b: Block }) {
  switch (b.kind) {
    case "heading":
      return b.level === 1 ? <h3>{b.text}</h3> : <h4>{b.text}</h4>;
    case "paragraph":
      return <p>{b.text}</p>;
    case "bullet":
      return <p>- {b.text}</p>;
    case "table":
      return (
        <section class="table-wrap" aria-label={b.caption ?? "Bảng số liệu"} tabindex={0}>
          <table>
            {b.caption ? <caption>{b.caption}</caption> : null}
            <thead>
              <tr>
                {b.header.map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => (
                <tr>
                  {r.map((v, i) =>
                    i === 0 ? <th scope="row">{v}</th> : <td class="num">{typeof v === "number" ? n(v) : v}</td>,
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      );
  }
}

export function ReportPreviewPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  figures: ReportFigures;
  document: AdminDocument;
  periodText: string;
  search: string;
}) {
  const { figures: f, document: d } = props;
  return (
    <Layout title="Dự thảo báo cáo" ward={props.ward} session={props.session} staff>
      <h1>Dự thảo báo cáo {props.periodText}</h1>
      <p>
        <a href={`/quan-tri/bao-cao/du-thao.docx?${props.search}`}>Tải bản Word (DOCX)</a> ·{" "}
        <a href={`/quan-tri/bao-cao/du-thao.pdf?${props.search}`}>Tải bản PDF</a> ·{" "}
        <a href="/quan-tri/bao-cao">Chọn kỳ khác</a>
      </p>
      <p class="muted">
        Số liệu tính lúc {f.computedAt.slice(11, 16)} UTC từ dữ liệu đã ghi nhận
        {f.plan ? `; kế hoạch có hiệu lực: ${f.plan.number}` : "; chưa có kế hoạch có hiệu lực trong kỳ"}. Dự thảo chưa
        có số, ngày ban hành và chữ ký.
      </p>
      <h2>
        {d.type} {d.title}
      </h2>
      {d.addressees.length ? <p>Kính gửi: {d.addressees.join("; ")}.</p> : null}
      {d.body.map((b) => (
        <BlockView b={b} />
      ))}
    </Layout>
  );
}
