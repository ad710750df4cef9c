/** The ward's catalogue of procedures, grouped by field, with recent and upcoming changes first. */
import { formatDate } from "../../../core/text/vi.ts";
import type { Ward } from "../../../core/web/context.ts";
import type { CatalogueEntry } from "../procedures.catalogue.ts";
import { Badge, fieldAnchor, ProcedureStyles, procedurePath } from "./shared.tsx";

export interface CatalogueView {
  ward: Ward;
  /** In force today, abolished ones included (they are listed apart). */
  entries: CatalogueEntry[];
  /** Latest versions that take effect after today. */
  upcoming: CatalogueEntry[];
}

function EntryLink({ e, base, date }: { e: CatalogueEntry; base: string; date?: boolean }) {
  return (
    <li>
      <a href={procedurePath(base, e.code)}>{e.name}</a> <Badge type={e.recentChange} />
      {date ? <span class="muted small"> · ngày {formatDate(e.effectiveFrom)}</span> : null}
    </li>
  );
}

export function CataloguePage({ ward, entries, upcoming }: CatalogueView) {
  const base = ward.base;
  const inForce = entries.filter((e) => e.status !== "abolished");
  const recent = inForce.filter((e) => e.recentChange).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const abolished = entries.filter((e) => e.status === "abolished" && e.recentChange);
  const groups = new Map<string, CatalogueEntry[]>();
  for (const e of inForce) groups.set(e.field, [...(groups.get(e.field) ?? []), e]);
  return (
    <>
      <ProcedureStyles />
      <h1>Thủ tục hành chính</h1>
      <p>
        {inForce.length} thủ tục hành chính thực hiện tại {ward.unit.name}, thuộc {groups.size} lĩnh vực. Chọn tên thủ
        tục để xem giấy tờ cần mang theo, thời hạn, phí, lệ phí và nơi nộp hồ sơ.
      </p>
      <form class="search-form" method="get" action={`${base}/tim-kiem`}>
        <label for="q">Tìm thủ tục</label>
        <input type="search" id="q" name="q" placeholder="Ví dụ: đăng ký khai sinh" />
        <button type="submit" class="btn">
          Tìm
        </button>
      </form>
      <p class="no-print">
        <a href={`${base}/thu-tuc/bang-niem-yet`}>Bảng niêm yết thủ tục hành chính (bản in)</a>
      </p>
      {recent.length ? (
        <section aria-labelledby="gan-day">
          <h2 id="gan-day">Thay đổi gần đây</h2>
          <ul class="items">
            {recent.map((e) => (
              <EntryLink e={e} base={base} date />
            ))}
          </ul>
        </section>
      ) : null}
      {upcoming.length ? (
        <section aria-labelledby="sap-hieu-luc">
          <h2 id="sap-hieu-luc">Sắp có hiệu lực</h2>
          <ul class="items">
            {upcoming.map((e) => (
              <li>
                <a href={procedurePath(base, e.code)}>{e.name}</a> <Badge type={e.changeType} />
                <span class="muted small"> · có hiệu lực từ {formatDate(e.effectiveFrom)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {abolished.length ? (
        <section aria-labelledby="bai-bo">
          <h2 id="bai-bo">Đã bãi bỏ gần đây</h2>
          <ul class="items">
            {abolished.map((e) => (
              <EntryLink e={e} base={base} date />
            ))}
          </ul>
        </section>
      ) : null}
      {groups.size ? (
        <nav aria-labelledby="linh-vuc">
          <h2 id="linh-vuc">Lĩnh vực</h2>
          <ul class="field-index">
            {[...groups].map(([field, list]) => (
              <li>
                <a href={`#${fieldAnchor(field)}`}>{field || "Lĩnh vực khác"}</a>{" "}
                <span class="count">({list.length})</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <p>Chưa có thủ tục nào được công bố.</p>
      )}
      {[...groups].map(([field, list]) => (
        <section aria-labelledby={fieldAnchor(field)}>
          <h2 id={fieldAnchor(field)}>
            {field || "Lĩnh vực khác"} <span class="count">({list.length} thủ tục)</span>
          </h2>
          <ul class="items">
            {list.map((e) => (
              <EntryLink e={e} base={base} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
