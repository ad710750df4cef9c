/**
 * The printable notice board (bảng niêm yết), in two prints: a one-sheet summary per procedure (the essentials, a
 * QR code to its full page) to pin on a wall, and the full text; both for one field or all, and for only what
 * changed since a date. On screen: the choice of print and the warning when QR codes cannot be made.
 */
import { formatDate } from "../../../core/text/vi.ts";
import type { Ward } from "../../../core/web/context.ts";
import { InSlices } from "../../../core/web/slices.tsx";
import { essentialsOf, mainPapers } from "../procedure-essentials.ts";
import type { ProcedureRecord } from "../procedure-record.ts";
import type { CatalogueEntry, LocalOverride } from "../procedures.catalogue.ts";
import {
  ChannelFacts,
  DossierList,
  LegalBasesList,
  MainPapers,
  PlaceFacts,
  ProcedureStyles,
  Qr,
  StepsList,
} from "./shared.tsx";

export interface BoardSheet {
  entry: CatalogueEntry;
  record: ProcedureRecord;
  override: LocalOverride | null;
  updatedOn: string;
  /** The procedure's page: absolute (from PUBLIC_URL), or the bare path while PUBLIC_URL is unset. */
  url: string;
  /** The QR code of `url`; null while PUBLIC_URL is unset. */
  qr: string | null;
}

export type BoardKind = "summary" | "full";

/**
 * What one A4 summary sheet holds at 13 pt: about eight papers in at most three cases, each name clipped, so the
 * longest procedures (55 papers in 7 cases) still fit one page with their QR code.
 */
const SHEET_PAPERS = { maxItems: 8, maxCases: 3, maxChars: 110 };

function SheetHead({ s, ward, id }: { s: BoardSheet; ward: Ward; id: string }) {
  return (
    <>
      <p class="procedure-meta">
        {ward.unit.name} · Bảng niêm yết thủ tục hành chính · Lĩnh vực: {s.record.field}
      </p>
      <h2 id={id}>{s.record.name}</h2>
      <p class="procedure-meta">Mã thủ tục: {s.record.code}</p>
    </>
  );
}

function SheetFoot({ s, full }: { s: BoardSheet; full: string }) {
  return (
    <div class="sheet-foot">
      {s.qr ? <Qr svg={s.qr} /> : null}
      <p>
        {s.qr ? "Quét mã QR hoặc xem" : "Xem"} {full} tại: {s.url}
        <br />
        Cập nhật ngày {formatDate(s.updatedOn)}
      </p>
    </div>
  );
}

/** One procedure on one A4 sheet: the essentials, long lists cut with where to read them whole. */
function SummarySheet({ s, ward }: { s: BoardSheet; ward: Ward }) {
  const id = `tt-${s.entry.code.replace(".", "-")}`;
  const e = essentialsOf(s.record, s.override, ward.contact);
  const papers = mainPapers(s.record.dossier, SHEET_PAPERS);
  return (
    <article class="sheet sheet-summary" aria-labelledby={id}>
      <div class="sheet-body">
        <SheetHead s={s} ward={ward} id={id} />
        <h3>Giấy tờ chính cần nộp</h3>
        <MainPapers papers={papers} more={`Xem đầy đủ giấy tờ tại ${s.url}`} />
        <h3>Thời hạn giải quyết, phí, lệ phí</h3>
        <ChannelFacts e={e} wardName={ward.unit.name} />
        <h3>Nơi tiếp nhận hồ sơ</h3>
        <PlaceFacts e={e} />
      </div>
      <SheetFoot s={s} full="đầy đủ trình tự, điều kiện, căn cứ pháp lý" />
    </article>
  );
}

/** One procedure in full: every part of its record, as many pages as it takes. */
function FullSheet({ s, ward }: { s: BoardSheet; ward: Ward }) {
  const r = s.record;
  const id = `tt-${s.entry.code.replace(".", "-")}`;
  const e = essentialsOf(r, s.override, ward.contact);
  return (
    <article class="sheet sheet-full" aria-labelledby={id}>
      <SheetHead s={s} ward={ward} id={id} />
      <h3>Thời hạn giải quyết, phí, lệ phí</h3>
      <ChannelFacts e={e} wardName={ward.unit.name} />
      <h3>Nơi tiếp nhận hồ sơ</h3>
      <PlaceFacts e={e} />
      <h3>Thành phần hồ sơ</h3>
      <DossierList dossier={r.dossier} text={r.dossierText} />
      <h3>Trình tự thực hiện</h3>
      <StepsList r={r} />
      {r.requirements ? (
        <>
          <h3>Yêu cầu, điều kiện</h3>
          <p class="pre">{r.requirements}</p>
        </>
      ) : null}
      <h3>Căn cứ pháp lý</h3>
      <LegalBasesList r={r} />
      <h3>Kết quả</h3>
      <ul class="items">
        {r.results.map((x) => (
          <li>{x.name}</li>
        ))}
      </ul>
      <SheetFoot s={s} full="thủ tục" />
    </article>
  );
}

export function BoardPage(props: {
  ward: Ward;
  sheets: BoardSheet[];
  today: string;
  kind: BoardKind;
  filter: { field: string | null; since: string | null };
  fields: string[];
  /** Shown while PUBLIC_URL is unset: the print has no QR codes. */
  warning: string | null;
}) {
  const { ward, sheets, today, kind, filter } = props;
  return (
    <>
      <ProcedureStyles />
      <div class="no-print">
        <h1>Bảng niêm yết thủ tục hành chính</h1>
        {props.warning ? (
          <div class="warning" role="status">
            <p>{props.warning}</p>
          </div>
        ) : null}
        <form method="get" action={`${ward.base}/thu-tuc/bang-niem-yet`} class="board-filter">
          <fieldset>
            <legend>Bản in</legend>
            <div>
              <input type="radio" id="ban-tom-tat" name="ban" value="tom-tat" checked={kind === "summary"} />
              <label for="ban-tom-tat">Tóm tắt: mỗi thủ tục một trang A4, có mã QR đến nội dung đầy đủ</label>
            </div>
            <div>
              <input type="radio" id="ban-day-du" name="ban" value="day-du" checked={kind === "full"} />
              <label for="ban-day-du">Đầy đủ: toàn văn từng thủ tục (nhiều trang)</label>
            </div>
          </fieldset>
          <label for="linh-vuc">Lĩnh vực</label>
          <select id="linh-vuc" name="linh-vuc">
            <option value="">Tất cả lĩnh vực</option>
            {props.fields.map((f) => (
              <option value={f} selected={f === filter.field}>
                {f}
              </option>
            ))}
          </select>
          <label for="tu-ngay">
            Chỉ thủ tục thay đổi từ ngày <span class="hint">Để trống: tất cả. Thường là ngày in lần trước.</span>
          </label>
          <input type="date" id="tu-ngay" name="tu-ngay" value={filter.since ?? ""} />
          <div>
            <button type="submit" class="btn">
              Xem bản in
            </button>
          </div>
        </form>
        <p>
          {sheets.length} thủ tục hành chính đang có hiệu lực tại {ward.unit.name} ngày {formatDate(today)}
          {filter.field ? `, lĩnh vực ${filter.field}` : ""}
          {filter.since ? `, thay đổi từ ngày ${formatDate(filter.since)}` : ""}.{" "}
          {kind === "summary"
            ? "Mỗi thủ tục in trên đúng một trang A4."
            : "Toàn văn, mỗi thủ tục bắt đầu trên một trang mới."}{" "}
          Dùng chức năng In của trình duyệt (khổ A4, dọc).
        </p>
        <p>
          <a href={`${ward.base}/thu-tuc`}>Về danh mục thủ tục</a>
        </p>
      </div>
      <InSlices
        items={sheets}
        render={(s) => (kind === "summary" ? <SummarySheet s={s} ward={ward} /> : <FullSheet s={s} ward={ward} />)}
      />
    </>
  );
}
