/**
 * A report's first draft, written from its figures in plain Vietnamese sentences and tables: the results section
 * says only what the figures say; shortcomings start from what the figures show (overdue tasks and feedback, channels
 * not used); the sections staff must write (tasks for the next period, proposals) start as a marked placeholder.
 * Pure: figures and the ward's names in, a Decree 30 document model out.
 */
import { type AdminDocument, type Block, textBlocks } from "../../core/documents/admin-document.ts";
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
      ? `Ủy ban nhân dân triển khai thực hiện Kế hoạch số ${f.plan.number} về ${lower(f.plan.title)}; giao nhiệm vụ cụ thể cho các đơn vị, bộ phận và theo dõi tiến độ thực hiện trên hệ thống.${
          f.scope === "plan"
            ? " Báo cáo này tổng hợp riêng kết quả thực hiện kế hoạch trên: số hoạt động tuyên truyền chỉ tính các hoạt động thuộc kế hoạch."
            : ""
        }`
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

  // Sections after the first three are numbered in order; a report stored before procedures and satisfaction were
  // counted (migration 022) has neither, and reads exactly as it was issued.
  let section = 4;
  let table = 4;
  if (f.procedures) {
    const p = f.procedures;
    body.push({ kind: "heading", level: 2, text: `${section++}. Cập nhật, công khai thủ tục hành chính` });
    body.push({ kind: "paragraph", text: procedureSentence(p) });
    body.push({
      kind: "table",
      caption: `Bảng ${table++}. Thủ tục hành chính thay đổi trong kỳ và niêm yết`,
      header: ["Nội dung", "Số lượng"],
      rows: [
        ["Thủ tục mới ban hành, có hiệu lực", p.newInForce],
        ["Thủ tục được sửa đổi, bổ sung, thay thế", p.changed],
        ["Thủ tục bị bãi bỏ", p.abolished],
        ["Số lần in, niêm yết bảng thủ tục", p.boardPrints],
      ],
    });
  }

  body.push({
    kind: "heading",
    level: 2,
    text: `${section++}. Tiếp nhận, xử lý phản ánh, kiến nghị và trả lời hỏi đáp`,
  });
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
  if (f.procedures) {
    body.push({
      kind: "table",
      caption: `Bảng ${table++}. Tiếp nhận, xử lý phản ánh, kiến nghị`,
      header: ["Nội dung", "Số lượng"],
      rows: [
        ["Tiếp nhận", feedback.received],
        ...feedback.byChannel.map((c): [string, number] => [`- ${c.label}`, c.count]),
        ["Thuộc thẩm quyền", feedback.inScope],
        ["Chuyển cơ quan có thẩm quyền", feedback.forwarded],
        ["Không tiếp nhận", feedback.notAccepted],
        ["Đã trả lời", feedback.answered],
        ["Trả lời đúng hạn", feedback.answeredOnTime],
        ["Quá hạn chưa trả lời", feedback.overdue],
      ],
    });
  }
  body.push({
    kind: "paragraph",
    text: `Tiếp nhận ${n(questions.received)} câu hỏi của người dân, tổ chức về thủ tục hành chính; đã trả lời và công khai ${n(questions.answered)} câu hỏi.`,
  });

  if (f.satisfaction) {
    const sat = f.satisfaction;
    body.push({ kind: "heading", level: 2, text: `${section++}. Đo lường sự hài lòng của người dân, tổ chức` });
    body.push({ kind: "paragraph", text: satisfactionSentence(sat) });
    if (sat.rounds > 0)
      body.push({
        kind: "table",
        caption: `Bảng ${table++}. Chỉ số hài lòng theo yếu tố (%)`,
        header: ["Yếu tố", "Chỉ số hài lòng (%)"],
        rows: [
          ...sat.factors.map((x): [string, number | string] => [x.title, x.index ?? "Chưa có phiếu"]),
          ["Chỉ số hài lòng chung", sat.overall ?? "Chưa có phiếu"],
        ],
      });
  }

  if (f.training) body.push(...trainingSection(f.training, section++, table++));

  return body;
}

const pct = (x: number) => `${x.toLocaleString("vi-VN", { maximumFractionDigits: 1 })}%`;

/** The procedures' sentence: what decisions changed in the catalogue and how often the board was reprinted. */
export function procedureSentence(p: NonNullable<ReportFigures["procedures"]>): string {
  const changes = p.newInForce + p.changed + p.abolished;
  const first =
    changes === 0
      ? "Trong kỳ không có thủ tục hành chính nào thuộc thẩm quyền giải quyết của cấp xã được công bố mới, sửa đổi hoặc bãi bỏ"
      : `Trong kỳ có ${n(p.newInForce)} thủ tục hành chính mới ban hành có hiệu lực, ${n(p.changed)} thủ tục được sửa đổi, bổ sung hoặc thay thế và ${n(p.abolished)} thủ tục bị bãi bỏ`;
  const prints =
    p.boardPrints === 0
      ? "chưa in, niêm yết lại bảng thủ tục hành chính tại Bộ phận Một cửa"
      : `đã in, niêm yết lại bảng thủ tục hành chính tại Bộ phận Một cửa ${n(p.boardPrints)} lần`;
  return `${first}; ${prints}.`;
}

/** The satisfaction sentence: rounds, responses, the overall index and each factor's. */
export function satisfactionSentence(s: NonNullable<ReportFigures["satisfaction"]>): string {
  if (s.rounds === 0) return "Trong kỳ chưa tổng hợp đợt khảo sát sự hài lòng nào.";
  const factors = s.factors
    .filter((x) => x.index != null)
    .map((x) => `${lower(x.title)} ${pct(x.index as number)}`)
    .join("; ");
  return `Trong kỳ đã tổng hợp ${n(s.rounds)} đợt khảo sát với ${n(s.responses)} phiếu; chỉ số hài lòng chung đạt ${
    s.overall == null ? "chưa xác định (chưa có câu trả lời)" : pct(s.overall)
  }${factors ? `, theo từng yếu tố: ${factors}` : ""}.`;
}

/**
 * "Công tác bồi dưỡng, thi đua, khen thưởng": counts from the training and commendations lists (issue 9 §3), never
 * names. A report frozen before these were counted has no `training` figures and gets no such section.
 */
export function trainingSection(t: NonNullable<ReportFigures["training"]>, section: number, table: number): Block[] {
  return [
    { kind: "heading", level: 2, text: `${section}. Công tác bồi dưỡng, thi đua, khen thưởng` },
    {
      kind: "paragraph",
      text:
        t.courses === 0
          ? "Trong kỳ không cử cán bộ, công chức tham gia lớp bồi dưỡng nào về cải cách hành chính."
          : `Trong kỳ đã cử ${n(t.trainees)} cán bộ, công chức tham gia ${n(t.courses)} lớp bồi dưỡng về cải cách hành chính (${n(t.attended)} lượt tham dự).`,
    },
    {
      kind: "paragraph",
      text:
        t.commendations.total === 0
          ? "Trong kỳ chưa có khen thưởng nào trong công tác cải cách hành chính."
          : `Khen thưởng ${n(t.commendations.total)} trường hợp có thành tích trong công tác cải cách hành chính (${n(t.commendations.persons)} cá nhân, ${n(t.commendations.units)} tập thể).`,
    },
    {
      kind: "table",
      caption: `Bảng ${table}. Bồi dưỡng và khen thưởng về cải cách hành chính`,
      header: ["Chỉ tiêu", "Số lượng"],
      rows: [
        ["Lớp bồi dưỡng về cải cách hành chính", t.courses],
        ["Cán bộ, công chức được cử đi bồi dưỡng", t.trainees],
        ["Lượt tham dự", t.attended],
        ["Khen thưởng cá nhân", t.commendations.persons],
        ["Khen thưởng tập thể", t.commendations.units],
      ],
    },
  ];
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
  const p = f.procedures;
  if (p && p.newInForce + p.changed + p.abolished > 0 && p.boardPrints === 0)
    lines.push(
      `- Có ${n(p.newInForce + p.changed + p.abolished)} thủ tục hành chính thay đổi trong kỳ nhưng chưa in, niêm yết lại bảng thủ tục.`,
    );
  const lowest = (f.satisfaction?.factors ?? [])
    .filter((x) => x.index != null)
    .sort((a, b) => (a.index as number) - (b.index as number))[0];
  if (lowest)
    lines.push(`- Yếu tố có chỉ số hài lòng thấp nhất: ${lower(lowest.title)} (${pct(lowest.index as number)}).`);
  lines.push(`Nguyên nhân: ${TO_WRITE}`);
  return { addressees: [...addressees], shortcomings: lines.join("\n"), nextTasks: TO_WRITE, proposals: TO_WRITE };
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
