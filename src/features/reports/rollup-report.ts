/**
 * The province's roll-up report (issue 9 §5): the same Decree 30 report as a ward's — same sections, same narrative,
 * same workflow and register — issued by the province's People's Committee or by one of its departments (Sở Nội vụ:
 * its own symbol "BC-SNV" and "KT. GIÁM ĐỐC", no "TM."), with figures summed over its wards from the roll-up
 * (src/features/rollup: each record counted once, a predecessor's under its successor, a split commune in a row of
 * its own "trước sắp xếp") and one appendix table per ward. Pure: the roll-up's rows in, figures and a document out.
 */
import type { AdminDocument, Block } from "../../core/documents/admin-document.ts";
import { narrativeBlocks, type ReportNarrative } from "./report-draft.ts";

/** One row of the roll-up as the report keeps it (frozen with the report once issued). */
export interface RollupWardFigures {
  code: string;
  name: string;
  beforeReform: boolean;
  planInForce: string | null;
  tasks: { done: number; total: number; overdue: number };
  activities: number;
  byChannel: { key: string; label: string; count: number }[];
  audience: number;
  spent: number;
  feedback: { received: number; answeredOnTime: number; overdue: number };
  satisfaction: number | null;
}

export interface RollupFigures {
  kind: "rollup";
  /** When these figures were computed (ISO instant). */
  computedAt: string;
  period: { from: string; to: string };
  province: { code: string; name: string };
  wards: RollupWardFigures[];
  totals: Omit<RollupWardFigures, "code" | "name" | "beforeReform" | "planInForce" | "satisfaction"> & {
    /** Rows of the roll-up (wards in force, and split predecessors in rows of their own). */
    rows: number;
    withPlan: number;
    /** The mean of the rows' satisfaction indexes, over the rows that have one (null when none has). */
    satisfaction: number | null;
  };
}

/** Whether stored figures are a province's roll-up (a ward's report stores its own figures). */
export const isRollupFigures = (f: unknown): f is RollupFigures =>
  typeof f === "object" && f !== null && (f as { kind?: unknown }).kind === "rollup";

/** The report's figures from the roll-up's rows: each row as it is, and their sums. */
export function rollupFigures(
  province: { code: string; name: string },
  period: { from: string; to: string },
  rows: readonly RollupWardFigures[],
  computedAt: string,
): RollupFigures {
  const byChannel = new Map<string, { key: string; label: string; count: number }>();
  const totals = {
    rows: rows.length,
    withPlan: 0,
    tasks: { done: 0, total: 0, overdue: 0 },
    activities: 0,
    byChannel: [] as { key: string; label: string; count: number }[],
    audience: 0,
    spent: 0,
    feedback: { received: 0, answeredOnTime: 0, overdue: 0 },
    satisfaction: null as number | null,
  };
  const indexes: number[] = [];
  for (const r of rows) {
    if (r.planInForce) totals.withPlan++;
    totals.tasks.done += r.tasks.done;
    totals.tasks.total += r.tasks.total;
    totals.tasks.overdue += r.tasks.overdue;
    totals.activities += r.activities;
    totals.audience += r.audience;
    totals.spent += r.spent;
    totals.feedback.received += r.feedback.received;
    totals.feedback.answeredOnTime += r.feedback.answeredOnTime;
    totals.feedback.overdue += r.feedback.overdue;
    if (r.satisfaction != null) indexes.push(r.satisfaction);
    for (const c of r.byChannel) {
      const line = byChannel.get(c.key) ?? { key: c.key, label: c.label, count: 0 };
      line.count += c.count;
      byChannel.set(c.key, line);
    }
  }
  totals.byChannel = [...byChannel.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  totals.satisfaction = indexes.length
    ? Math.round((indexes.reduce((s, x) => s + x, 0) / indexes.length) * 10) / 10
    : null;
  return { kind: "rollup", computedAt, period: { ...period }, province, wards: rows.map((r) => ({ ...r })), totals };
}

/** Who issues a province's report: its People's Committee, or one of its departments. */
export interface RollupIssuer {
  /** "Tỉnh Quảng Ngãi". */
  provinceName: string;
  /** The date line's place: "Quảng Ngãi". */
  place: string;
  /** The department (an organisational unit of the province), or null for the People's Committee. */
  department: { name: string; code: string } | null;
}

/** The symbol after a province's report number: "BC-UBND" for the committee, "BC-SNV" for Sở Nội vụ. */
export const rollupSymbol = (issuer: Pick<RollupIssuer, "department">) =>
  issuer.department ? `BC-${issuer.department.code}` : "BC-UBND";

const n = (x: number) => x.toLocaleString("vi-VN");
const lowerPlace = (name: string) => name.replace(/^(Tỉnh|Thành phố)/, (m) => m.toLowerCase());

/** The default addressees: a department reports to its province's committee, the committee to the Ministry. */
export function rollupAddressees(issuer: RollupIssuer): string[] {
  return issuer.department ? [`Ủy ban nhân dân ${lowerPlace(issuer.provinceName)}`] : ["Bộ Nội vụ"];
}

/** Section I of the roll-up: every sentence and table from the summed figures. */
function rollupBody(f: RollupFigures): Block[] {
  const t = f.totals;
  const split = f.wards.filter((w) => w.beforeReform).length;
  const body: Block[] = [
    { kind: "heading", level: 1, text: "I. KẾT QUẢ THỰC HIỆN" },
    { kind: "heading", level: 2, text: "1. Công tác chỉ đạo, triển khai" },
    {
      kind: "paragraph",
      text: `Số liệu tổng hợp từ ${n(t.rows - split)} xã, phường${
        split ? ` và ${n(split)} đơn vị trước sắp xếp được tính riêng` : ""
      } của ${lowerPlace(f.province.name)}; ${n(t.withPlan)} đơn vị có kế hoạch tuyên truyền cải cách hành chính có hiệu lực trong kỳ.`,
    },
    { kind: "heading", level: 2, text: "2. Kết quả hoạt động tuyên truyền" },
  ];
  if (t.activities === 0) body.push({ kind: "paragraph", text: "Trong kỳ chưa ghi nhận hoạt động tuyên truyền nào." });
  else {
    body.push({
      kind: "paragraph",
      text: `Trong kỳ, các xã, phường đã thực hiện ${n(t.activities)} hoạt động tuyên truyền cải cách hành chính${
        t.audience ? `, với ${n(t.audience)} lượt người được tiếp cận` : ""
      }${t.spent ? `; tổng kinh phí ${n(t.spent)} đồng` : ""}.`,
    });
    body.push({
      kind: "table",
      caption: "Bảng 1. Hoạt động tuyên truyền theo hình thức",
      header: ["Hình thức", "Số hoạt động"],
      rows: [...t.byChannel.map((c) => [c.label, c.count]), ["Tổng cộng", t.activities]],
    });
  }
  body.push({ kind: "heading", level: 2, text: "3. Tiến độ thực hiện nhiệm vụ" });
  body.push({
    kind: "paragraph",
    text: t.tasks.total
      ? `Các kế hoạch có hiệu lực giao ${n(t.tasks.total)} nhiệm vụ; đã hoàn thành ${n(t.tasks.done)} nhiệm vụ${
          t.tasks.overdue ? `, ${n(t.tasks.overdue)} nhiệm vụ quá hạn` : ", không có nhiệm vụ quá hạn"
        }.`
      : "Chưa có nhiệm vụ nào được giao trong các kế hoạch có hiệu lực.",
  });
  body.push({ kind: "heading", level: 2, text: "4. Tiếp nhận, xử lý phản ánh, kiến nghị và mức độ hài lòng" });
  body.push({
    kind: "paragraph",
    text: `Các xã, phường tiếp nhận ${n(t.feedback.received)} phản ánh, kiến nghị; trả lời đúng hạn ${n(
      t.feedback.answeredOnTime,
    )}; ${n(t.feedback.overdue)} phản ánh, kiến nghị quá hạn chưa trả lời.${
      t.satisfaction != null
        ? ` Chỉ số hài lòng bình quân của các đơn vị có khảo sát: ${t.satisfaction.toLocaleString("vi-VN")}%.`
        : ""
    }`,
  });
  body.push({
    kind: "table",
    caption: "Bảng 2. Tổng hợp theo xã, phường",
    header: ["Xã, phường", "Hoạt động", "Lượt người", "Kinh phí (đồng)", "Nhiệm vụ hoàn thành", "Quá hạn"],
    rows: [
      ...f.wards.map((w) => [
        w.name,
        w.activities,
        w.audience,
        w.spent,
        `${w.tasks.done}/${w.tasks.total}`,
        w.tasks.overdue,
      ]),
      ["Tổng cộng", t.activities, t.audience, t.spent, `${t.tasks.done}/${t.tasks.total}`, t.tasks.overdue],
    ],
  });
  return body;
}

/** The appendix: one table per ward (or split predecessor), in the roll-up's order. */
function appendix(f: RollupFigures): Block[] {
  return [
    { kind: "heading", level: 1, text: "PHỤ LỤC. SỐ LIỆU CỦA TỪNG XÃ, PHƯỜNG" },
    ...f.wards.map(
      (w, i): Block => ({
        kind: "table",
        caption: `Bảng PL.${i + 1}. ${w.name} (mã ${w.code})`,
        header: ["Chỉ tiêu", "Số liệu"],
        rows: [
          ["Kế hoạch có hiệu lực", w.planInForce ?? "Chưa có"],
          ["Nhiệm vụ được giao", w.tasks.total],
          ["Nhiệm vụ hoàn thành", w.tasks.done],
          ["Nhiệm vụ quá hạn", w.tasks.overdue],
          ["Hoạt động tuyên truyền", w.activities],
          ["Lượt người được tiếp cận", w.audience],
          ["Kinh phí (đồng)", w.spent],
          ["Phản ánh, kiến nghị tiếp nhận", w.feedback.received],
          ["Trả lời đúng hạn", w.feedback.answeredOnTime],
          ["Quá hạn chưa trả lời", w.feedback.overdue],
          ["Chỉ số hài lòng (%)", w.satisfaction == null ? "Chưa có khảo sát" : w.satisfaction],
        ],
      }),
    ),
  ];
}

/** The province's report as a Decree 30 document: its issuer, the summed figures, the narrative, the appendix. */
export function rollupDocument(
  issuer: RollupIssuer,
  periodTitle: string,
  f: RollupFigures,
  narrative: ReportNarrative,
  issue: { number: number | null; issuedOn: string | null; signerName: string | null },
): AdminDocument {
  const provinceUpper = issuer.provinceName.toLocaleUpperCase("vi");
  return {
    superior: issuer.department ? `UBND ${provinceUpper}` : null,
    issuer: issuer.department ? [issuer.department.name.toLocaleUpperCase("vi")] : ["ỦY BAN NHÂN DÂN", provinceUpper],
    number: issue.number,
    symbol: rollupSymbol(issuer),
    place: issuer.place,
    date: issue.issuedOn,
    year: Number(f.period.to.slice(0, 4)),
    type: "BÁO CÁO",
    title: `Tổng hợp kết quả công tác tuyên truyền cải cách hành chính của các xã, phường ${periodTitle}`,
    addressees: narrative.addressees,
    basis: [],
    body: [...rollupBody(f), ...narrativeBlocks(narrative), ...appendix(f)],
    signature: issuer.department
      ? { authority: null, onBehalfOf: "KT. GIÁM ĐỐC", position: "PHÓ GIÁM ĐỐC", name: issue.signerName }
      : { authority: "TM. ỦY BAN NHÂN DÂN", onBehalfOf: null, position: "CHỦ TỊCH", name: issue.signerName },
    distribution: issuer.department
      ? ["Như trên", "Giám đốc Sở (để báo cáo)"]
      : ["Như trên", `Thường trực Tỉnh ủy, HĐND ${lowerPlace(issuer.provinceName)}`],
  };
}

/** The narrative's first draft from the summed figures: what lags, the rest marked for staff to write. */
export function rollupNarrative(f: RollupFigures, addressees: readonly string[], toWrite: string): ReportNarrative {
  const lines: string[] = [];
  const noPlan = f.wards.filter((w) => !w.planInForce && !w.beforeReform);
  if (noPlan.length)
    lines.push(
      `- ${n(noPlan.length)} xã, phường chưa có kế hoạch tuyên truyền cải cách hành chính có hiệu lực trên hệ thống.`,
    );
  if (f.totals.tasks.overdue) lines.push(`- Còn ${n(f.totals.tasks.overdue)} nhiệm vụ quá hạn.`);
  if (f.totals.feedback.overdue)
    lines.push(`- Còn ${n(f.totals.feedback.overdue)} phản ánh, kiến nghị quá hạn chưa được trả lời.`);
  lines.push(`Nguyên nhân: ${toWrite}`);
  return { addressees: [...addressees], shortcomings: lines.join("\n"), nextTasks: toWrite, proposals: toWrite };
}
