/** The printable notice board (bảng niêm yết): one A4 sheet per procedure in force, each with a QR code to its page. */
import { formatDate } from "../../../core/text/vi.ts";
import type { Ward } from "../../../core/web/context.ts";
import { InSlices } from "../../../core/web/slices.tsx";
import { CHANNEL_LABELS, type ProcedureRecord } from "../procedure-record.ts";
import type { CatalogueEntry, LocalOverride } from "../procedures.catalogue.ts";
import { DossierList, ProcedureStyles, Qr } from "./shared.tsx";

export interface BoardSheet {
  entry: CatalogueEntry;
  record: ProcedureRecord;
  override: LocalOverride | null;
  updatedOn: string;
  /** Absolute address of the procedure's page, encoded in the QR code. */
  url: string;
  qr: string;
}

function Sheet({ s, ward }: { s: BoardSheet; ward: Ward }) {
  const r = s.record;
  const o = s.override;
  const id = `tt-${s.entry.code.replace(".", "-")}`;
  return (
    <article class="sheet" aria-labelledby={id}>
      <p class="procedure-meta small">
        {ward.unit.name} · Bảng niêm yết thủ tục hành chính · Lĩnh vực: {r.field}
      </p>
      <h2 id={id}>{r.name}</h2>
      <p class="procedure-meta small">Mã thủ tục: {r.code}</p>
      <h3>Giấy tờ cần nộp</h3>
      <DossierList dossier={r.dossier} text={r.dossierText} />
      <h3>Thời hạn giải quyết, phí, lệ phí</h3>
      {r.channels.length ? (
        <ul class="items">
          {r.channels.map((c) => (
            <li>
              {CHANNEL_LABELS[c.channel]}: {c.timeLimit || "không quy định thời hạn"}
              {o?.fee ? null : `; phí, lệ phí: ${c.fee || "không có"}`}
            </li>
          ))}
        </ul>
      ) : (
        <p class="pre">{r.channelsText || "Không có thông tin."}</p>
      )}
      {o?.fee ? <p>Phí, lệ phí: {o.fee}</p> : null}
      <h3>Nơi tiếp nhận hồ sơ</h3>
      <p>{o?.receivingAddress || r.receivingAddress || r.implementingAgency || "Không có thông tin."}</p>
      {o?.openingHours ? <p>Thời gian tiếp nhận: {o.openingHours}</p> : null}
      <div class="sheet-foot">
        <Qr svg={s.qr} />
        <p>
          Quét mã QR để xem đầy đủ trình tự, điều kiện, căn cứ pháp lý: {s.url}
          <br />
          Cập nhật ngày {formatDate(s.updatedOn)}
        </p>
      </div>
    </article>
  );
}

export function BoardPage({ ward, sheets, today }: { ward: Ward; sheets: BoardSheet[]; today: string }) {
  return (
    <>
      <ProcedureStyles />
      <div class="no-print">
        <h1>Bảng niêm yết thủ tục hành chính</h1>
        <p>
          {sheets.length} thủ tục hành chính đang có hiệu lực tại {ward.unit.name} ngày {formatDate(today)}. Mỗi thủ tục
          in trên một trang A4, kèm mã QR dẫn đến trang thủ tục trên cổng thông tin. Dùng chức năng In của trình duyệt
          (khổ A4, dọc).
        </p>
        <p>
          <a href={`${ward.base}/thu-tuc`}>Về danh mục thủ tục</a>
        </p>
      </div>
      <InSlices items={sheets} render={(s) => <Sheet s={s} ward={ward} />} />
    </>
  );
}
