/** The import pages: upload with the announcing decision, then the dry run's report and the confirmation. */
import { ErrorSummary } from "../../../core/web/layout.tsx";
import type { ImportReport } from "../procedures.service.ts";

export interface ImportFormValues {
  decision?: string;
  decidedOn?: string;
  effectiveFrom?: string;
  issuer?: string;
  province?: string;
}

const OUTCOME = { new: "mới", changed: "thay đổi", unchanged: "không đổi" } as const;

/** "N mới, M thay đổi, K không đổi": the words of the report, shared with the command line. */
export const countsText = (c: ImportReport["counts"]) =>
  `${c.new} mới, ${c.changed} thay đổi, ${c.unchanged} không đổi`;

export function ImportForm(props: {
  csrf: string;
  values: ImportFormValues;
  errors: Record<string, string>;
  provinceName: string | null;
  maxMb: number;
}) {
  const { csrf, values, errors, provinceName, maxMb } = props;
  const input = (id: keyof ImportFormValues, label: string, hint: string, type = "text") => (
    <>
      <label for={id}>
        {label} <span class="hint">{hint}</span>
      </label>
      {errors[id] ? <span class="field-error">{errors[id]}</span> : null}
      <input type={type} id={id} name={id} value={values[id] ?? ""} />
    </>
  );
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1>Nhập danh mục thủ tục hành chính</h1>
      <p>
        Tải lên tệp thủ tục lấy từ Cổng Dịch vụ công quốc gia (JSON Lines, CSV hoặc Excel). Hệ thống kiểm tra trước và
        báo số thủ tục mới, thay đổi, không đổi cùng các dòng lỗi; chỉ khi bạn xác nhận mới ghi, và ghi tất cả hoặc
        không ghi gì.
      </p>
      <form method="post" action="/quan-tri/thu-tuc/nhap" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="file">
          Tệp thủ tục <span class="hint">Tối đa {maxMb} MB.</span>
        </label>
        {errors.file ? <span class="field-error">{errors.file}</span> : null}
        <input type="file" id="file" name="file" accept=".jsonl,.json,.ndjson,.csv,.xlsx" />
        <h2>Quyết định công bố (không bắt buộc)</h2>
        <p class="hint">
          Điền khi cả tệp thuộc một quyết định công bố: các thủ tục thay đổi được ghi là sửa đổi, bổ sung theo quyết
          định này, có hiệu lực từ ngày đã nêu.
        </p>
        {input("decision", "Số quyết định", "Ví dụ: 1234/QĐ-BTP")}
        {input("decidedOn", "Ngày ban hành", "", "date")}
        {input("effectiveFrom", "Có hiệu lực từ ngày", "Để trống: từ hôm nay.", "date")}
        {input("issuer", "Cơ quan ban hành", "")}
        <label for="province">
          Tỉnh công bố <span class="hint">Cho thủ tục do UBND tỉnh công bố (…/QĐ-UBND).</span>
        </label>
        <select id="province" name="province">
          <option value="">Nhận biết từ nội dung thủ tục</option>
          {provinceName ? (
            <option value="own" selected={values.province === "own"}>
              {provinceName}
            </option>
          ) : null}
        </select>
        <div>
          <button type="submit" class="btn">
            Kiểm tra tệp
          </button>
        </div>
      </form>
    </>
  );
}

export function ImportReportView({
  report,
  csrf,
  token,
  fileName,
}: {
  report: ImportReport;
  csrf: string;
  token: string | null;
  fileName: string;
}) {
  const changed = report.items.filter((i) => i.outcome !== "unchanged");
  return (
    <>
      <h1>Kết quả kiểm tra tệp</h1>
      <p>
        Tệp <strong>{fileName}</strong>: {countsText(report.counts)}
        {report.problems.length ? `, ${report.problems.length} dòng lỗi` : ""}.
      </p>
      {report.problems.length ? (
        <div class="error-summary" role="alert">
          <h2>Không thể nhập tệp này</h2>
          <p>Tệp có dòng lỗi nên không thủ tục nào được ghi. Hãy sửa các dòng sau rồi tải lên lại.</p>
          <ul>
            {report.problems.map((p) => (
              <li>
                Dòng {p.line}
                {p.code ? ` (mã ${p.code})` : ""}: {p.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {changed.length ? (
        <>
          <h2>Thủ tục mới và thay đổi</h2>
          <ul class="items">
            {changed.slice(0, 200).map((i) => (
              <li>
                {i.name} ({i.code}) — {OUTCOME[i.outcome]}
              </li>
            ))}
          </ul>
          {changed.length > 200 ? <p>và {changed.length - 200} thủ tục khác.</p> : null}
        </>
      ) : null}
      {token ? (
        <form method="post" action="/quan-tri/thu-tuc/nhap/xac-nhan">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="btn">
            Xác nhận và nhập
          </button>
          <a class="btn secondary" href="/quan-tri/thu-tuc/nhap">
            Hủy
          </a>
        </form>
      ) : (
        <p>
          {report.problems.length ? null : "Không có gì để nhập. "}
          <a href="/quan-tri/thu-tuc/nhap">Chọn tệp khác</a>
        </p>
      )}
    </>
  );
}
