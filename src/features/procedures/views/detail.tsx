/** One procedure as a citizen needs it: what to bring, how long, how much, where; then the rest and its history. */
import { formatDate } from "../../../core/text/vi.ts";
import type { Ward } from "../../../core/web/context.ts";
import { compareRecords } from "../procedure-diff.ts";
import { essentialsOf, mainPapers } from "../procedure-essentials.ts";
import { CHANNEL_LABELS } from "../procedure-record.ts";
import { updatedOnOf, type WardProcedure } from "../procedures.catalogue.ts";
import { type ChangeType, STATUS_OF } from "../procedures.service.ts";
import {
  Badge,
  ChannelFacts,
  DossierList,
  LegalBasesList,
  MainPapers,
  OriginalText,
  PlaceFacts,
  ProcedureStyles,
  procedurePath,
  Qr,
  STATUS_TEXT,
  StepsList,
} from "./shared.tsx";

const decisionText = (v: {
  decision_number: string | null;
  decision_date: string | null;
  decision_issuer: string | null;
}) =>
  v.decision_number
    ? `Quyết định ${v.decision_number}${v.decision_date ? ` ngày ${formatDate(v.decision_date)}` : ""}${v.decision_issuer ? ` của ${v.decision_issuer}` : ""}`
    : "";

/** "(thay đổi ngày dd/mm/yyyy)" beside a section the version in force changed. */
function Changed({ on, fields, keys }: { on: string | null; fields: Set<string>; keys: string[] }) {
  if (!on || !keys.some((k) => fields.has(k))) return null;
  return <span class="badge badge-amended">thay đổi ngày {formatDate(on)}</span>;
}

function StatusNotices({ p, base }: { p: WardProcedure; base: string }) {
  const cur = p.current;
  const next = p.upcoming[0];
  const successor = p.successors[0];
  return (
    <>
      {cur?.change_type === "abolished" ? (
        <div class="warning" role="status">
          <p>
            <strong>Thủ tục này đã bị bãi bỏ</strong> từ ngày {formatDate(cur.effective_from)}
            {decisionText(cur) ? ` theo ${decisionText(cur)}` : ""}.
          </p>
          {successor ? (
            <p>
              Được thay thế bằng thủ tục{" "}
              <a href={procedurePath(base, successor.code)}>
                {successor.name} (mã {successor.code})
              </a>
              , có hiệu lực từ ngày {formatDate(successor.effective_from)}.
            </p>
          ) : null}
          <p>Nội dung dưới đây là nội dung cuối cùng trước khi bãi bỏ, chỉ để tra cứu.</p>
        </div>
      ) : null}
      {!cur && next ? (
        <div class="notice" role="status">
          <p>
            <strong>Thủ tục này có hiệu lực từ {formatDate(next.effective_from)}</strong>
            {decisionText(next) ? ` theo ${decisionText(next)}` : ""}. Trước ngày đó, chưa thể thực hiện thủ tục này.
          </p>
        </div>
      ) : null}
      {cur && next ? (
        <div class="notice" role="status">
          <p>
            Sắp có thay đổi: <Badge type={next.change_type as ChangeType} />, có hiệu lực từ{" "}
            {formatDate(next.effective_from)}
            {decisionText(next) ? ` theo ${decisionText(next)}` : ""}.{" "}
            {next.change_type === "abolished" ? null : (
              <a href={`${procedurePath(base, p.procedure.code)}/so-sanh?tu=${cur.version_no}&den=${next.version_no}`}>
                Xem nội dung thay đổi
              </a>
            )}
          </p>
          <p>Hiện vẫn áp dụng nội dung dưới đây.</p>
        </div>
      ) : null}
    </>
  );
}

export function DetailPage({
  p,
  ward,
  today,
  qr,
  pageUrl,
}: {
  p: WardProcedure;
  ward: Ward;
  today: string;
  /** Null while PUBLIC_URL is unset: no QR code, and the print says so. */
  qr: string | null;
  pageUrl: string | null;
}) {
  const base = ward.base;
  const shownNo = (p.current ?? p.upcoming[0])?.version_no;
  const version = p.versions.find((v) => v.version_no === shownNo);
  if (!version) return null;
  const r = version.record;
  const o = p.override;
  const previous = p.versions.filter((v) => v.version_no < version.version_no && v.change_type !== "abolished").at(-1);
  const changed = new Set(
    previous && version.change_type !== "baseline" ? compareRecords(previous.record, r).map((c) => c.field) : [],
  );
  const on = changed.size ? version.effective_from : null;
  const status = STATUS_OF[version.change_type as ChangeType];
  // An abolished version repeats the last content; the decision that announced that content is the one before.
  const announcing = version.change_type === "abolished" && previous ? previous : version;
  const updatedOn = updatedOnOf(version.effective_from, o);
  const e = essentialsOf(r, o, ward.contact);
  const papers = mainPapers(r.dossier, { maxItems: 5, maxCases: 3, maxChars: 100 });
  const paperCount = r.dossier.reduce((n, g) => n + g.items.length, 0);
  return (
    <>
      <ProcedureStyles />
      <article class="procedure">
        <p class="print-only">
          {ward.unit.name}
          {ward.province ? `, ${ward.province.name}` : ""} · Thủ tục hành chính
        </p>
        <p class="procedure-meta small">
          Lĩnh vực: {r.field} · Mã thủ tục: {p.procedure.code}
        </p>
        <h1>{r.name}</h1>
        <p>
          {p.current ? STATUS_TEXT[status] : `Có hiệu lực từ ${formatDate(version.effective_from)}`}{" "}
          <Badge type={version.change_type === "abolished" ? null : (version.change_type as ChangeType)} />
          {version.change_type !== "baseline" && version.change_type !== "abolished" && p.current ? (
            <span class="muted small"> · thay đổi ngày {formatDate(version.effective_from)}</span>
          ) : null}
        </p>
        <StatusNotices p={p} base={base} />

        <section aria-labelledby="thoi-han" class="essential">
          <h2 id="thoi-han">
            Thời hạn và phí, lệ phí <Changed on={on} fields={changed} keys={["channelsView"]} />
          </h2>
          <ChannelFacts e={e} wardName={ward.unit.name} />
        </section>
        <section aria-labelledby="noi-nop" class="essential">
          <h2 id="noi-nop">
            Nộp hồ sơ ở đâu, khi nào <Changed on={on} fields={changed} keys={["receivingAddress", "channelsView"]} />
          </h2>
          <PlaceFacts e={e} />
          {o?.note ? <p class="pre">{o.note}</p> : null}
        </section>
        <p class="no-print ask-links">
          <a href={`${base}/hoi-dap/hoi?thu-tuc=${encodeURIComponent(p.procedure.code)}`}>Hỏi về trường hợp của bạn</a>
          {" · "}
          <a href={`${base}/gop-y?thu-tuc=${encodeURIComponent(p.procedure.code)}`}>Góp ý về thủ tục này</a>
        </p>

        <section aria-labelledby="can-mang" class="essential">
          <h2 id="can-mang">
            Giấy tờ chính cần mang theo <Changed on={on} fields={changed} keys={["dossierView"]} />
          </h2>
          <MainPapers papers={papers} more={<a href="#giay-to">Xem đầy đủ giấy tờ, số bản, mẫu đơn</a>} />
        </section>
        <h2 class="details-heading">Chi tiết thủ tục</h2>
        <details id="giay-to">
          <summary>
            Giấy tờ đầy đủ ({paperCount} giấy tờ
            {r.dossier.length > 1 ? `, ${r.dossier.length} trường hợp` : ""}){" "}
            <Changed on={on} fields={changed} keys={["dossierView"]} />
          </summary>
          <DossierList dossier={r.dossier} text={r.dossierText} />
        </details>
        <details>
          <summary>
            Cách nộp hồ sơ <Changed on={on} fields={changed} keys={["channelsView"]} />
          </summary>
          <ul class="items">
            {r.channels.map((c) => (
              <li>
                <strong>{CHANNEL_LABELS[c.channel]}</strong>
                {c.description ? <span class="pre">: {c.description}</span> : null}
              </li>
            ))}
          </ul>
          <OriginalText text={r.channels.length ? r.channelsText : ""} />
        </details>
        <details>
          <summary>
            Các bước thực hiện <Changed on={on} fields={changed} keys={["stepsText"]} />
          </summary>
          <StepsList r={r} />
        </details>
        {r.requirements ? (
          <details>
            <summary>
              Yêu cầu, điều kiện <Changed on={on} fields={changed} keys={["requirements"]} />
            </summary>
            <p class="pre">{r.requirements}</p>
          </details>
        ) : null}
        <details>
          <summary>
            Căn cứ pháp lý <Changed on={on} fields={changed} keys={["legalBases"]} />
          </summary>
          <LegalBasesList r={r} />
        </details>
        <details>
          <summary>
            Kết quả <Changed on={on} fields={changed} keys={["results"]} />
          </summary>
          <ul class="items">
            {r.results.map((x) => (
              <li>
                {x.name}
                {x.code ? <span class="muted small"> (mã {x.code})</span> : null}
              </li>
            ))}
          </ul>
        </details>
        <details>
          <summary>Thông tin khác</summary>
          <dl class="facts">
            <dt>Đối tượng thực hiện</dt>
            <dd>{r.subjects.join(", ") || "—"}</dd>
            <dt>Cơ quan thực hiện</dt>
            <dd>{r.implementingAgency || "—"}</dd>
            <dt>Cơ quan có thẩm quyền</dt>
            <dd>{r.competentAgency || "—"}</dd>
            <dt>Cấp thực hiện</dt>
            <dd>{r.levels.join(", ") || "—"}</dd>
            <dt>Loại thủ tục</dt>
            <dd>{r.type || "—"}</dd>
            <dt>Quyết định công bố</dt>
            <dd>{decisionText(announcing) || r.decisionNumber || "—"}</dd>
          </dl>
          {r.sourceUrl.startsWith("https://") ? (
            <p class="no-print">
              <a href={r.sourceUrl} rel="noopener">
                Xem trên Cổng Dịch vụ công quốc gia
              </a>
            </p>
          ) : null}
        </details>
        <History p={p} base={base} today={today} />
        <p class="no-print">
          <a href={`${base}/thu-tuc`}>Danh mục thủ tục</a>
        </p>
        <div class="print-only sheet-foot">
          {qr ? <Qr svg={qr} /> : null}
          <p>
            {pageUrl
              ? `Quét mã QR để xem thủ tục này trên cổng thông tin: ${pageUrl}`
              : `Xem thủ tục này trên cổng thông tin của ${ward.unit.name}, mục Thủ tục hành chính, mã ${p.procedure.code}.`}
            <br />
            Cập nhật ngày {formatDate(updatedOn)}
          </p>
        </div>
      </article>
    </>
  );
}

function History({ p, base, today }: { p: WardProcedure; base: string; today: string }) {
  const path = procedurePath(base, p.procedure.code);
  return (
    <details class="no-print">
      <summary>Lịch sử thay đổi ({p.versions.length} phiên bản)</summary>
      <section class="table-wrap" aria-label="Các phiên bản của thủ tục" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Phiên bản</th>
              <th scope="col">Nội dung</th>
              <th scope="col">Hiệu lực từ</th>
              <th scope="col">Quyết định</th>
            </tr>
          </thead>
          <tbody>
            {p.versions.map((v, i) => {
              const prev = p.versions[i - 1];
              return (
                <tr>
                  <td>{v.version_no}</td>
                  <td>
                    {v.change_type === "baseline" ? "Công bố" : <Badge type={v.change_type as ChangeType} />}
                    {v.effective_from > today ? <span class="muted small"> (sắp có hiệu lực)</span> : null}
                    {prev && v.change_type !== "abolished" ? (
                      <>
                        {" "}
                        <a href={`${path}/so-sanh?tu=${prev.version_no}&den=${v.version_no}`}>
                          So sánh với phiên bản {prev.version_no}
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>{formatDate(v.effective_from)}</td>
                  <td>
                    {v.decision_number ?? "—"}
                    {v.decision_date ? ` ngày ${formatDate(v.decision_date)}` : ""}
                    {v.decision_summary ? <span class="muted small pre"> — {v.decision_summary}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </details>
  );
}
