/** Pieces shared by the procedure pages: badges, status words, the stylesheet link, QR codes, the dossier list. */
import { readFileSync } from "node:fs";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { foldWords } from "../../../core/text/vi.ts";
import { CSS_TYPE, staticAsset } from "../../../core/web/assets.ts";
import type { Essentials, PaperSummary } from "../procedure-essentials.ts";
import type { DossierGroup, ProcedureRecord } from "../procedure-record.ts";
import type { ChangeType, ProcedureStatus } from "../procedures.service.ts";

/** The feature's stylesheet: screen styles and the A4 print styles of every procedure page. */
export const PROCEDURES_CSS_ASSET = staticAsset(
  "/thu-tuc/thu-tuc.css",
  CSS_TYPE,
  readFileSync(new URL("./procedures.css", import.meta.url)),
);

/**
 * Linked from the page body: the shared layout has no slot in <head>, and a stylesheet link is allowed in
 * the body (CSP forbids inline styles, so it cannot be a <style> element).
 */
export const ProcedureStyles = () => <link rel="stylesheet" href={PROCEDURES_CSS_ASSET.href} />;

/** Badge words for recent changes, as the decisions announce them. */
export const BADGE_TEXT: Record<ChangeType, string> = {
  baseline: "công bố",
  new: "mới",
  amended: "sửa đổi, bổ sung",
  replaced: "thay thế",
  abolished: "bãi bỏ",
};

export const STATUS_TEXT: Record<ProcedureStatus, string> = {
  in_force: "Đang có hiệu lực",
  amended: "Đang có hiệu lực (đã được sửa đổi, bổ sung)",
  replaced: "Đang có hiệu lực (thay thế thủ tục trước đây)",
  abolished: "Đã bãi bỏ",
};

export function Badge({ type }: { type: ChangeType | null }) {
  if (!type || type === "baseline") return null;
  return <span class={`badge badge-${type}`}>{BADGE_TEXT[type]}</span>;
}

/** A page anchor for a field (lĩnh vực): ASCII, stable across renders. */
export const fieldAnchor = (field: string) => `lv-${foldWords(field).replace(/ /g, "-") || "khac"}`;

export const procedurePath = (base: string, code: string) => `${base}/thu-tuc/${code}`;

/** The shape `qrcode` produces for SVG: an svg element holding path elements, nothing else. */
const QR_SVG =
  /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="[\d .]+" shape-rendering="crispEdges">(<path (?:fill|stroke)="#[0-9a-f]{6}" d="[MmHhVvZz\d .-]+"\/>)+<\/svg>\s*$/;

/**
 * A QR code of `url` as inline SVG. The library's output is checked against its known shape before it is
 * inserted unescaped: nothing else (no script, no attribute carrying the URL) can reach the page.
 */
export async function qrSvg(url: string, label: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  const svg = await QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  if (!QR_SVG.test(svg)) throw new Error("unexpected QR code output");
  const safeLabel = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return svg.trim().replace("<svg ", `<svg role="img" aria-label="${safeLabel}" focusable="false" `);
}

/** Inline a QR code made by `qrSvg`. */
export const Qr = ({ svg }: { svg: string }) => <span class="qr">{raw(svg)}</span>;

function copiesText(originals: number | null, copies: number | null): string {
  const parts: string[] = [];
  if (originals) parts.push(`${originals} bản chính`);
  if (copies) parts.push(`${copies} bản sao`);
  return parts.join(", ");
}

/** Where the portal's table could not be split with confidence: its words as published, folded away. */
export function OriginalText({ text }: { text: string }) {
  if (!text) return null;
  return (
    <details class="no-print">
      <summary>Nguyên văn trên Cổng Dịch vụ công quốc gia</summary>
      <p class="pre small">{text}</p>
    </details>
  );
}

/** What to bring: the dossier groups (one per case) with counts and forms. */
export function DossierList({ dossier, text }: { dossier: DossierGroup[]; text: string }) {
  if (dossier.length === 0) return text ? <p class="pre">{text}</p> : <p>Không yêu cầu giấy tờ.</p>;
  return (
    <>
      {dossier.map((g) => (
        <div class="dossier-group">
          {g.caseName ? <h3>{g.caseName}</h3> : null}
          <ol class="items">
            {g.items.map((i) => (
              <li>
                {i.name || i.form}
                {copiesText(i.originals, i.copies) ? (
                  <span class="copies">{copiesText(i.originals, i.copies)}</span>
                ) : null}
                {i.form && i.name ? <span class="copies">Mẫu đơn, tờ khai: {i.form}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      ))}
      <OriginalText text={text} />
    </>
  );
}

/** The main papers to bring, shortened (procedure-essentials.ts `mainPapers`); `more` is where the full list is. */
export function MainPapers({ papers, more }: { papers: PaperSummary; more: Child }) {
  if (papers.groups.length === 0) return <p>Không yêu cầu giấy tờ.</p>;
  return (
    <>
      {papers.groups.map((g) => (
        <>
          {g.caseName ? <p class="case-name">{g.caseName}</p> : null}
          <ul class="items">
            {g.items.map((name) => (
              <li>{name}</li>
            ))}
            {g.moreItems ? <li class="muted">và {g.moreItems} giấy tờ khác</li> : null}
          </ul>
        </>
      ))}
      {papers.moreCases ? <p class="muted">Và {papers.moreCases} trường hợp khác.</p> : null}
      {papers.truncated ? <p class="see-all">{more}</p> : null}
    </>
  );
}

/** The time limit and fee of each way of submitting, as the essentials give them. */
export function ChannelFacts({ e, wardName }: { e: Essentials; wardName: string }) {
  return (
    <>
      {e.channels.length ? (
        <ul class="items">
          {e.channels.map((c) => (
            <li>
              <strong>{c.label}:</strong> {c.time}
              {e.localFee ? null : `; phí, lệ phí: ${c.fee}`}
            </li>
          ))}
        </ul>
      ) : (
        <p>Nguồn không ghi thời hạn giải quyết.</p>
      )}
      {e.localFee ? (
        <p>
          <span class="local">Phí, lệ phí tại {wardName}:</span> {e.localFee}
        </p>
      ) : null}
    </>
  );
}

/** Where and when to submit, and whether it can be done online. */
export function PlaceFacts({ e }: { e: Essentials }) {
  const p = e.place;
  return (
    <dl class="facts">
      <dt>Nơi tiếp nhận</dt>
      <dd>
        {p.local ? <span class="local">{p.where}</span> : p.where || "Nguồn không ghi nơi tiếp nhận."}
        {p.sourceWhere ? <span class="copies">Theo Cổng Dịch vụ công quốc gia: {p.sourceWhere}</span> : null}
      </dd>
      {p.when ? (
        <>
          <dt>Thời gian</dt>
          <dd class="pre">{p.when}</dd>
        </>
      ) : null}
      <dt>Nộp trực tuyến</dt>
      <dd>{e.online ? "Có (Cổng Dịch vụ công quốc gia)" : "Không"}</dd>
    </dl>
  );
}

/** The steps of a procedure: numbered when the source splits them, else its text as written. */
export function StepsList({ r }: { r: ProcedureRecord }) {
  return r.steps.length > 1 ? (
    <ol class="items">
      {r.steps.map((step) => (
        <li class="pre">
          {step.label ? <strong>{step.label}: </strong> : null}
          {step.text}
        </li>
      ))}
    </ol>
  ) : (
    <p class="pre">{r.stepsText || "Không có thông tin."}</p>
  );
}

/** The legal bases of a procedure, each with its number when known. */
export function LegalBasesList({ r }: { r: ProcedureRecord }) {
  return (
    <ul class="items">
      {r.legalBases.map((b) => (
        <li>
          {b.title}
          {b.number ? ` (${b.number})` : ""}
        </li>
      ))}
    </ul>
  );
}
