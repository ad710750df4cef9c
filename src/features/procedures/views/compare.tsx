/** A readable comparison of two versions of a procedure: each changed field, old and new text side by side. */
import { formatDate } from "../../../core/text/vi.ts";
import type { Ward } from "../../../core/web/context.ts";
import type { FieldChange } from "../procedure-diff.ts";
import type { WardProcedure } from "../procedures.catalogue.ts";
import type { ChangeType } from "../procedures.service.ts";
import { BADGE_TEXT, ProcedureStyles, procedurePath } from "./shared.tsx";

type Version = WardProcedure["versions"][number];

const describe = (v: Version) =>
  `phiên bản ${v.version_no} (${v.change_type === "baseline" ? "công bố" : BADGE_TEXT[v.change_type as ChangeType]}, hiệu lực từ ${formatDate(v.effective_from)}${v.decision_number ? `, Quyết định ${v.decision_number}` : ""})`;

export function ComparePage({
  p,
  ward,
  from,
  to,
  changes,
}: {
  p: WardProcedure;
  ward: Ward;
  from: Version;
  to: Version;
  changes: FieldChange[];
}) {
  const path = procedurePath(ward.base, p.procedure.code);
  return (
    <>
      <ProcedureStyles />
      <p class="procedure-meta small">
        <a href={path}>{to.record.name}</a> · Mã thủ tục: {p.procedure.code}
      </p>
      <h1>So sánh hai phiên bản của thủ tục</h1>
      <p>
        Trước: {describe(from)}.<br />
        Sau: {describe(to)}.
      </p>
      <form method="get" action={`${path}/so-sanh`} class="no-print">
        <label for="tu">So sánh từ phiên bản</label>
        <select id="tu" name="tu">
          {p.versions.map((v) => (
            <option value={String(v.version_no)} selected={v.version_no === from.version_no}>
              {v.version_no} — hiệu lực từ {formatDate(v.effective_from)}
            </option>
          ))}
        </select>
        <label for="den">đến phiên bản</label>
        <select id="den" name="den">
          {p.versions.map((v) => (
            <option value={String(v.version_no)} selected={v.version_no === to.version_no}>
              {v.version_no} — hiệu lực từ {formatDate(v.effective_from)}
            </option>
          ))}
        </select>
        <div>
          <button type="submit" class="btn secondary">
            So sánh
          </button>
        </div>
      </form>
      {changes.length === 0 ? (
        <p>Hai phiên bản có nội dung giống nhau.</p>
      ) : (
        <>
          <p>
            Có {changes.length} mục thay đổi: {changes.map((c) => c.label).join(", ")}.
          </p>
          {changes.map((c) => (
            <section class="diff" aria-labelledby={`thay-doi-${c.field}`}>
              <h2 id={`thay-doi-${c.field}`}>{c.label}</h2>
              <div class="diff-cols">
                <div class="diff-before">
                  <h3>Trước (phiên bản {from.version_no})</h3>
                  <p class="pre">{c.before || "(không có)"}</p>
                </div>
                <div class="diff-after">
                  <h3>Sau (phiên bản {to.version_no})</h3>
                  <p class="pre">{c.after || "(không có)"}</p>
                </div>
              </div>
            </section>
          ))}
        </>
      )}
      <p>
        <a href={path}>Về trang thủ tục</a>
      </p>
    </>
  );
}
