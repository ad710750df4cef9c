/**
 * The table of a province's wards: one row per ward (and per split predecessor "trước sắp xếp"), each column a link
 * that sorts by it (no script needed), the period as a GET form, and the same table as XLSX.
 */

import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { XlsxCell, XlsxSheet } from "../../core/documents/xlsx-writer.ts";
import { formatDate } from "../../core/text/vi.ts";
import { Layout } from "../../core/web/layout.tsx";
import { formatNumber } from "../plans/progress.ts";
import { doneShare, onTimeShare, type SortKey } from "./rollup.domain.ts";
import { COUNTRY, type Rollup, type RollupItem } from "./rollup.service.ts";

const COLUMNS: readonly [SortKey, string][] = [
  ["ten", "Xã, phường"],
  ["ke-hoach", "Kế hoạch đang thực hiện"],
  ["nhiem-vu", "Nhiệm vụ hoàn thành"],
  ["qua-han", "Nhiệm vụ quá hạn"],
  ["hoat-dong", "Hoạt động tuyên truyền"],
  ["nguoi", "Người được tiếp cận"],
  ["kinh-phi", "Kinh phí đã chi (đồng)"],
  ["gop-y", "Phản ánh, kiến nghị trả lời đúng hạn"],
  ["hai-long", "Chỉ số hài lòng"],
  ["bao-cao", "Báo cáo gần nhất"],
];

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x)}%`);
const index1 = (x: number | null) =>
  x === null ? "—" : x.toLocaleString("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Where a row's name leads: the ward's public pages; a split predecessor's as it was before the reform. */
const wardHref = (i: RollupItem) => (i.beforeReform ? `/w/${i.ward.code}@2025-06-30/` : `/w/${i.ward.code}/`);

export interface TableQuery {
  from: string;
  to: string;
  sort: { key: SortKey; descending: boolean } | null;
}

/** The page's address with these parameters, in the order the page cache declares them. */
export function tableHref(base: string, q: TableQuery, sort: TableQuery["sort"]): string {
  const params = new URLSearchParams({ tu: q.from, den: q.to });
  if (sort) params.set("sap-xep", `${sort.descending ? "-" : ""}${sort.key}`);
  return `${base}?${params}`;
}

function SortHeader({ base, q, column, label }: { base: string; q: TableQuery; column: SortKey; label: string }) {
  const current = q.sort?.key === column ? q.sort : null;
  const next = { key: column, descending: current ? !current.descending : false };
  return (
    <th scope="col" aria-sort={current ? (current.descending ? "descending" : "ascending") : undefined}>
      <a href={tableHref(base, q, next)}>
        {label}
        <span class="muted small">{current ? (current.descending ? " ▼ (giảm dần)" : " ▲ (tăng dần)") : ""}</span>
      </a>
    </th>
  );
}

function Row({ i }: { i: RollupItem }) {
  const share = doneShare(i.tasks);
  return (
    <tr>
      <th scope="row">
        <a href={wardHref(i)}>{i.ward.name}</a>
        {i.beforeReform && i.successors.length > 0 && (
          <span class="hint">Nay thuộc: {i.successors.map((s) => s.name).join(", ")}</span>
        )}
        {!i.hasPortal && <span class="hint">Chưa dùng cổng thông tin</span>}
      </th>
      <td>{i.planInForce ?? "—"}</td>
      <td class="num">
        {i.tasks.total ? `${formatNumber(i.tasks.done)}/${formatNumber(i.tasks.total)} (${pct(share)})` : "—"}
      </td>
      <td class="num">{i.tasks.total ? formatNumber(i.tasks.overdue) : "—"}</td>
      <td>
        {formatNumber(i.activities)}
        {i.byChannel.length > 0 && (
          <ul class="small">
            {i.byChannel.map((c) => (
              <li>
                {c.label}: {formatNumber(c.count)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td class="num">{formatNumber(i.audience)}</td>
      <td class="num">{formatNumber(i.spent)}</td>
      <td class="num">
        {i.feedback.received
          ? `${formatNumber(i.feedback.answeredOnTime)}/${formatNumber(i.feedback.received)} (${pct(onTimeShare(i.feedback))})`
          : "—"}
        {i.feedback.overdue > 0 && <span class="hint">Quá hạn: {formatNumber(i.feedback.overdue)}</span>}
      </td>
      <td class="num">{index1(i.satisfaction)}</td>
      <td>
        {i.lastReport ? (
          <>
            {i.lastReport.published ? (
              <a href={`/w/${i.ward.code}/bao-cao/${i.lastReport.id}/bao-cao.pdf`}>Số {i.lastReport.number}</a>
            ) : (
              `Số ${i.lastReport.number}`
            )}
            <span class="hint">ngày {formatDate(i.lastReport.issuedOn)}</span>
          </>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

/** The whole page. `items` are already in the order asked. */
export function RollupPage(props: {
  rollup: Rollup;
  items: RollupItem[];
  q: TableQuery;
  base: string;
  session: ActiveSession | null;
}) {
  const { rollup, items, q, base } = props;
  const wards = items.filter((i) => !i.beforeReform).length;
  const sum = (f: (i: RollupItem) => number) => items.reduce((n, i) => n + f(i), 0);
  const title = rollup.unit.code === COUNTRY ? "Các xã, phường toàn quốc" : `Các xã, phường của ${rollup.unit.name}`;
  return (
    <Layout title={title} ward={null} session={props.session}>
      <h1>{title}</h1>
      <p>
        Số liệu từ ngày {formatDate(rollup.period.from)} đến ngày {formatDate(rollup.period.to)}: {wards} xã, phường
        {items.length > wards ? ` và ${items.length - wards} đơn vị cũ bị chia khi sắp xếp (trước sắp xếp)` : ""}.
      </p>
      <p class="hint">
        Mỗi số liệu được tính một lần, cho xã, phường đã ghi nhận nó. Số liệu của xã, phường cũ đã nhập trọn vào một đơn
        vị mới được tính cho đơn vị mới; xã, phường cũ bị chia cho nhiều đơn vị mới có dòng riêng, ghi “(trước sắp
        xếp)”. Kế hoạch và nhiệm vụ tính đến ngày cuối kỳ.
      </p>
      <form method="get" action={base}>
        <label for="tu">Từ ngày</label>
        <input type="date" id="tu" name="tu" value={q.from} required />
        <label for="den">Đến ngày</label>
        <input type="date" id="den" name="den" value={q.to} required />
        {q.sort && <input type="hidden" name="sap-xep" value={`${q.sort.descending ? "-" : ""}${q.sort.key}`} />}
        <p>
          <button type="submit">Xem số liệu</button>
        </p>
      </form>
      <p>
        <a href={tableHref(`${base}tong-hop.xlsx`, q, q.sort)} download>
          Tải bảng số liệu (XLSX)
        </a>
      </p>
      <div class="table-wrap">
        <table>
          <caption class="muted small">Bấm tên cột để sắp xếp theo cột đó; bấm lần nữa để đảo chiều.</caption>
          <thead>
            <tr>
              {COLUMNS.map(([column, label]) => (
                <SortHeader base={base} q={q} column={column} label={label} />
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <Row i={i} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Cộng</th>
              <td />
              <td class="num">
                {formatNumber(sum((i) => i.tasks.done))}/{formatNumber(sum((i) => i.tasks.total))}
              </td>
              <td class="num">{formatNumber(sum((i) => i.tasks.overdue))}</td>
              <td>{formatNumber(sum((i) => i.activities))}</td>
              <td class="num">{formatNumber(sum((i) => i.audience))}</td>
              <td class="num">{formatNumber(sum((i) => i.spent))}</td>
              <td class="num">
                {formatNumber(sum((i) => i.feedback.answeredOnTime))}/{formatNumber(sum((i) => i.feedback.received))}
              </td>
              <td />
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
    </Layout>
  );
}

/** The same table as one XLSX sheet: numbers as numbers, one column per channel used in the period. */
export function rollupSheet(rollup: Rollup, items: RollupItem[]): XlsxSheet {
  const channels = new Map<string, string>();
  for (const i of items) for (const c of i.byChannel) channels.set(c.key, c.label);
  const channelKeys = [...channels.keys()];
  const rows: XlsxCell[][] = items.map((i) => {
    const byChannel = new Map(i.byChannel.map((c) => [c.key, c.count]));
    const share = doneShare(i.tasks);
    return [
      i.ward.code,
      i.ward.name,
      i.planInForce,
      i.tasks.done,
      i.tasks.total,
      share === null ? null : Math.round(share * 10) / 10,
      i.tasks.overdue,
      i.activities,
      ...channelKeys.map((k) => byChannel.get(k) ?? 0),
      i.audience,
      i.spent,
      i.feedback.received,
      i.feedback.answeredOnTime,
      i.feedback.overdue,
      i.satisfaction,
      i.lastReport?.number ?? null,
      i.lastReport ? formatDate(i.lastReport.issuedOn) : null,
    ];
  });
  return {
    name: "Tổng hợp xã, phường",
    title: `Tổng hợp các xã, phường của ${rollup.unit.name} từ ngày ${formatDate(rollup.period.from)} đến ngày ${formatDate(rollup.period.to)}`,
    columns: [
      { header: "Mã", width: 8 },
      { header: "Xã, phường", width: 34 },
      { header: "Kế hoạch đang thực hiện", width: 16 },
      { header: "Nhiệm vụ hoàn thành" },
      { header: "Tổng số nhiệm vụ" },
      { header: "Tỷ lệ hoàn thành (%)" },
      { header: "Nhiệm vụ quá hạn" },
      { header: "Hoạt động tuyên truyền" },
      ...channelKeys.map((k) => ({ header: `Hoạt động: ${channels.get(k)}`, width: 22 })),
      { header: "Người được tiếp cận", numFmt: "#,##0" },
      { header: "Kinh phí đã chi (đồng)", numFmt: "#,##0", width: 18 },
      { header: "Phản ánh, kiến nghị tiếp nhận" },
      { header: "Trả lời đúng hạn" },
      { header: "Quá hạn chưa trả lời" },
      { header: "Chỉ số hài lòng" },
      { header: "Báo cáo gần nhất" },
      { header: "Ngày ban hành" },
    ],
    rows,
  };
}
