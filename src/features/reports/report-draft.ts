/**
 * A report's first draft, written from its figures in plain Vietnamese sentences and tables: the results section
 * says only what the figures say; shortcomings start from what the figures show (overdue tasks and feedback, channels
 * not used); the sections staff must write (tasks for the next period, proposals) start as a marked placeholder.
 * Pure: figures and the ward's names in, a Decree 30 document model out.
 */
import type { AdminDocument, Block } from "../../core/documents/admin-document.ts";
import type { ReportFigures } from "./report-figures.ts";

export interface ReportHeading {
  /** The ward as named today: "Phường Đức Phổ". */
  wardName: string;
  /** Its short name, the place of the date line: "Đức Phổ". */
  place: string;
  /** "Tỉnh Quảng Ngãi", or null. */
  provinceName: string | null;
  /** The period in the title's words: "quý I năm 2024". */
  periodTitle: string;
  year: number;
}

/** What staff must write themselves: marked so it cannot be mistaken for a computed sentence. */
export const TO_WRITE = "[Cán bộ soạn thảo bổ sung nội dung này trước khi trình ký.]";

const n = (x: number) => x.toLocaleString("vi-VN");
const dmy = (iso: string) => iso.split("-").reverse().join("/");
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Section I of the report, "Kết quả thực hiện": every sentence and table from the figures. */
export function reportBody(f: ReportFigures): Block[] {
  const body: Block[] = [];
  const { ledger, feedback, questions } = f;
  body.push({ kind: "heading", level: 1, text: "I. KẾT QUẢ THỰC HIỆN" });

  body.push({ kind: "heading", level: 2, text: "1. Công tác chỉ đạo, triển khai" });
  body.push({
    kind: "paragraph",
    text: f.plan
      ? `Ủy ban nhân dân triển khai thực hiện Kế hoạch số ${f.plan.number} về ${lower(f.plan.title)}; giao nhiệm vụ cụ thể cho các đơn vị, bộ phận và theo dõi tiến độ thực hiện trên hệ thống.`
      : `Trong kỳ báo cáo (từ ngày ${dmy(f.period.from)} đến ngày ${dmy(f.period.to)}) chưa có kế hoạch tuyên truyền cải cách hành chính nào có hiệu lực trên hệ thống.`,
  });

  body.push({ kind: "heading", level: 2, text: "2. Kết quả hoạt động tuyên truyền" });
  if (ledger.total.count === 0) {
    body.push({ kind: "paragraph", text: "Trong kỳ báo cáo chưa ghi nhận hoạt động tuyên truyền nào." });
  } else {
    body.push({
      kind: "paragraph",
      text: `Trong kỳ, đã thực hiện ${n(ledger.total.count)} hoạt động tuyên truyền cải cách hành chính${
        ledger.total.audience ? `, với ${n(ledger.total.audience)} lượt người được tiếp cận` : ""
      }${ledger.total.cost ? `; tổng kinh phí ${n(ledger.total.cost)} đồng` : ""}. Cụ thể theo hình thức:`,
    });
    body.push({
      kind: "table",
      caption: "Bảng 1. Hoạt động tuyên truyền theo hình thức",
      header: ["Hình thức", "Số hoạt động", "Lượt người", "Kinh phí (đồng)"],
      rows: [
        ...ledger.byChannel.map((l) => [l.label, l.count, l.audience, l.cost]),
        ["Tổng cộng", ledger.total.count, ledger.total.audience, ledger.total.cost],
      ],
    });
    body.push({
      kind: "table",
      caption: "Bảng 2. Hoạt động tuyên truyền theo nội dung cải cách hành chính",
      header: ["Nội dung", "Số hoạt động", "Lượt người", "Kinh phí (đồng)"],
      rows: ledger.byPillar.map((l) => [l.label, l.count, l.audience, l.cost]),
    });
  }

  body.push({ kind: "heading", level: 2, text: "3. Tiến độ thực hiện nhiệm vụ của các đơn vị" });
  if (!f.tasks || f.tasks.length === 0) {
    body.push({ kind: "paragraph", text: "Không có nhiệm vụ nào được giao trong kế hoạch có hiệu lực." });
  } else {
    const total = f.tasks.reduce(
      (t, u) => ({
        all: t.all + u.total,
        done: t.done + u.counts.done,
        overdue: t.overdue + u.counts.overdue,
      }),
      { all: 0, done: 0, overdue: 0 },
    );
    body.push({
      kind: "paragraph",
      text: `Kế hoạch có ${n(total.all)} nhiệm vụ; đã hoàn thành ${n(total.done)} nhiệm vụ${
        total.overdue ? `, ${n(total.overdue)} nhiệm vụ quá hạn` : ", không có nhiệm vụ quá hạn"
      }.`,
    });
    body.push({
      kind: "table",
      caption: "Bảng 3. Nhiệm vụ theo đơn vị chủ trì",
      header: ["Đơn vị chủ trì", "Số nhiệm vụ", "Hoàn thành", "Đang thực hiện", "Quá hạn"],
      rows: f.tasks.map((u) => [u.unitName, u.total, u.counts.done, u.counts.in_progress, u.counts.overdue]),
    });
  }

  body.push({ kind: "heading", level: 2, text: "4. Tiếp nhận, xử lý phản ánh, kiến nghị và trả lời hỏi đáp" });
  body.push({
    kind: "paragraph",
    text:
      feedback.received === 0 && feedback.answered === 0
        ? "Trong kỳ không tiếp nhận phản ánh, kiến nghị nào về quy định hành chính."
        : `Trong kỳ đã tiếp nhận ${n(feedback.received)} phản ánh, kiến nghị${
            feedback.byChannel.length
              ? ` (${feedback.byChannel.map((c) => `${lower(c.label)}: ${n(c.count)}`).join("; ")})`
              : ""
          }; thuộc thẩm quyền ${n(feedback.inScope)}, chuyển cơ quan có thẩm quyền ${n(feedback.forwarded)}, không tiếp nhận ${n(feedback.notAccepted)}. Đã trả lời ${n(feedback.answered)} phản ánh, kiến nghị, trong đó ${n(feedback.answeredOnTime)} đúng hạn.`,
  });
  body.push({
    kind: "paragraph",
    text: `Tiếp nhận ${n(questions.received)} câu hỏi của người dân, tổ chức về thủ tục hành chính; đã trả lời và công khai ${n(questions.answered)} câu hỏi.`,
  });

  return body;
}

/** What staff write (or correct) in a report: the addressees and the three sections after the results. */
export interface ReportNarrative {
  addressees: string[];
  shortcomings: string;
  nextTasks: string;
  proposals: string;
}

/** The narrative's first draft: shortcomings from what the figures show, the rest marked for staff to write. */
export function draftNarrative(f: ReportFigures, addressees: readonly string[]): ReportNarrative {
  const { ledger, feedback } = f;
  const lines: string[] = [];
  const overdueTasks = (f.tasks ?? []).reduce((t, u) => t + u.counts.overdue, 0);
  if (overdueTasks)
    lines.push(
      `- Còn ${n(overdueTasks)} nhiệm vụ quá hạn (${(f.tasks ?? [])
        .filter((u) => u.counts.overdue)
        .map((u) => `${u.unitName}: ${n(u.counts.overdue)}`)
        .join("; ")}).`,
    );
  if (feedback.overdue)
    lines.push(`- Còn ${n(feedback.overdue)} phản ánh, kiến nghị thuộc thẩm quyền chưa được trả lời đúng hạn.`);
  if (feedback.answered > feedback.answeredOnTime)
    lines.push(`- ${n(feedback.answered - feedback.answeredOnTime)} phản ánh, kiến nghị được trả lời quá hạn.`);
  if (ledger.total.count === 0) lines.push("- Chưa tổ chức hoạt động tuyên truyền nào trong kỳ.");
  lines.push(`Nguyên nhân: ${TO_WRITE}`);
  return { addressees: [...addressees], shortcomings: lines.join("\n"), nextTasks: TO_WRITE, proposals: TO_WRITE };
}

/** Staff text as blocks: one paragraph per line, "- " lines as list items. */
export function textBlocks(text: string): Block[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) =>
      /^[-–•]\s*/.test(l) ? { kind: "bullet", text: l.replace(/^[-–•]\s*/, "") } : { kind: "paragraph", text: l },
    );
}

/** Sections II–IV of a report, as staff wrote them: shortcomings and causes, next tasks, proposals. */
export function narrativeBlocks(narrative: ReportNarrative): Block[] {
  return [
    { kind: "heading", level: 1, text: "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN" },
    ...textBlocks(narrative.shortcomings),
    { kind: "heading", level: 1, text: "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI" },
    ...textBlocks(narrative.nextTasks),
    { kind: "heading", level: 1, text: "IV. ĐỀ XUẤT, KIẾN NGHỊ" },
    ...textBlocks(narrative.proposals),
  ];
}

/** The number, date and signer of an issued report (all null on a draft). */
export interface IssueFacts {
  number: number | null;
  issuedOn: string | null;
  signerName: string | null;
}

/** The whole report of a ward as a Decree 30 document: the results from the figures, then the narrative. */
export function reportDocument(
  h: ReportHeading,
  f: ReportFigures,
  narrative: ReportNarrative,
  issue: IssueFacts,
): AdminDocument {
  return {
    superior: null,
    issuer: ["ỦY BAN NHÂN DÂN", h.wardName.toLocaleUpperCase("vi")],
    number: issue.number,
    symbol: "BC-UBND",
    place: h.place,
    date: issue.issuedOn,
    year: h.year,
    type: "BÁO CÁO",
    title: `Kết quả thực hiện công tác tuyên truyền cải cách hành chính ${h.periodTitle}`,
    addressees: narrative.addressees,
    basis: f.plan ? [`Căn cứ Kế hoạch số ${f.plan.number} của Ủy ban nhân dân về ${lower(f.plan.title)}`] : [],
    body: [...reportBody(f), ...narrativeBlocks(narrative)],
    signature: { authority: "TM. ỦY BAN NHÂN DÂN", onBehalfOf: null, position: "CHỦ TỊCH", name: issue.signerName },
    distribution: [
      "Như trên",
      `Thường trực Đảng ủy, HĐND ${h.wardName.replace(/^(Phường|Xã|Đặc khu)/, (m) => m.toLowerCase())}`,
    ],
  };
}

/** The default upward recipient of a ward's report: the province's People's Committee (two-tier since 1/7/2025). */
export function defaultAddressees(provinceName: string | null): string[] {
  if (!provinceName) return [];
  return [`Ủy ban nhân dân ${provinceName.replace(/^(Tỉnh|Thành phố)/, (m) => m.toLowerCase())}`];
}
