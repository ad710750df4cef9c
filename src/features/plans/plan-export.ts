/**
 * A plan as a Decree 30 document "KẾ HOẠCH" (Nghị định 30/2020/NĐ-CP, Phụ lục I), for the one renderer of
 * src/core/documents: the header with the issuer and "Số: …/KH-UBND", place and date, the title, the bases cited,
 * I. MỤC ĐÍCH, YÊU CẦU; II. NỘI DUNG (documents, content areas, channels); the budget when the plan has one;
 * TỔ CHỨC THỰC HIỆN with each unit's tasks and their timing; the signer and "Nơi nhận". It is written in the
 * shape the plan reader (parse-plan.ts) reads, so importing an export gives the same plan back. Pure.
 */
import {
  type AdminDocument,
  type Block,
  distributionLines,
  punctuatedBasis,
  signatureLines,
} from "../../core/documents/admin-document.ts";
import { fold } from "../../core/text/vi.ts";
import type { PlanContent, PlanContentTask } from "./plan-content.ts";
import { supportingUnits, timingOf } from "./plan-tasks.ts";

export const PLAN_SYMBOL = "KH-UBND";

/** The number and date of an issued plan; both null on a draft (the register gives them when it is issued). */
export interface PlanIssue {
  /** "18/KH-UBND" as stored, or the register's number with PLAN_SYMBOL. */
  number: string | number | null;
  issuedOn: string | null;
}

/** "18/KH-UBND" → 18 and "KH-UBND"; a number the register cannot hold keeps its symbol only. */
export function splitPlanNumber(n: string | number | null): { number: number | null; symbol: string } {
  if (typeof n === "number") return { number: n, symbol: PLAN_SYMBOL };
  const m = /^0*(\d+)\s*\/\s*(\S+)$/u.exec((n ?? "").trim());
  return m?.[1] && m[2] ? { number: Number(m[1]), symbol: m[2] } : { number: null, symbol: PLAN_SYMBOL };
}

/** "UBND phường Phổ Minh" → ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHỔ MINH"]. */
export function issuerLines(issuer: string): string[] {
  const rest = issuer.replace(/^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/iu, "").trim();
  return ["ỦY BAN NHÂN DÂN", rest.toLocaleUpperCase("vi")];
}

const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);
const ROMAN = ["I", "II", "III", "IV", "V", "VI"];
const endsWithStop = (s: string) => /[.;:!?]$/.test(s.trim());

/**
 * A task as the document words it: the text, then what it does not say itself — the units asked to support
 * ("phối hợp với …") and the timing ("thời gian: …") — in one closing parenthesis the plan reader reads back.
 */
export function taskSentence(t: PlanContentTask): string {
  const text = t.text.trim();
  // A unit the text already asks to support ("phối hợp với Phòng Văn hóa – Xã hội" names "Văn hóa – Xã hội").
  const named = supportingUnits(text).map((u) => fold(u));
  const support = t.supportUnits
    .map((u) => u.name)
    .filter((n) => !named.some((m) => m.includes(fold(n)) || fold(n).includes(m)));
  const timing = t.timing && !timingOf(text) ? t.timing.trim() : "";
  const extra = [
    ...(support.length ? [`phối hợp với ${support.join(", ")}`] : []),
    ...(timing ? [`thời gian: ${timing}`] : []),
  ];
  if (extra.length === 0) return text;
  return `${text.replace(/[.;]+$/u, "")} (${extra.join("; ")}).`;
}

/** The number of part "Nội dung tuyên truyền" in section II: 2 after the documents to communicate, else 1. */
export const areasPart = (c: PlanContent) => (c.documentsToCommunicate.trim() ? 2 : 1);

/** The plan's body: sections numbered I, II, … in the order Decree 30 plans use. */
export function planBody(c: PlanContent): Block[] {
  const body: Block[] = [];
  let section = 0;
  const heading = (text: string) => body.push({ kind: "heading", level: 1, text: `${ROMAN[section++]}. ${text}` });
  const bullets = (items: string[]) => {
    for (const text of items) body.push({ kind: "bullet", text });
  };

  body.push({
    kind: "paragraph",
    text: `Ủy ban nhân dân ${c.issuer.replace(/^(?:UBND|Ủy ban nhân dân)\s+/iu, "")} ban hành Kế hoạch ${lowerFirst(c.title)} như sau:`,
  });

  heading("MỤC ĐÍCH, YÊU CẦU");
  body.push({ kind: "heading", level: 2, text: "1. Mục đích:" });
  bullets(c.purposes);
  body.push({ kind: "heading", level: 2, text: "2. Yêu cầu:" });
  bullets(c.requirements);

  heading("NỘI DUNG, HÌNH THỨC THÔNG TIN, TUYÊN TRUYỀN");
  const part = areasPart(c);
  if (part === 2) {
    body.push({ kind: "heading", level: 2, text: "1. Các văn bản cần tuyên truyền:" });
    for (const text of c.documentsToCommunicate.split(/\n+/).filter((l) => l.trim()))
      body.push({ kind: "paragraph", text });
  }
  body.push({ kind: "heading", level: 2, text: `${part}. Nội dung tuyên truyền:` });
  c.contentAreas.forEach((a, i) => {
    body.push({ kind: "heading", level: 3, text: `${part}.${i + 1}. ${a.title}:` });
    bullets(a.items);
  });
  body.push({ kind: "heading", level: 2, text: `${part + 1}. Hình thức tuyên truyền:` });
  bullets(c.channels.map((ch) => ch.title));

  if (c.budget && (c.budget.total !== null || c.budget.lines.length > 0)) {
    heading("KINH PHÍ THỰC HIỆN");
    const n = (x: number) => x.toLocaleString("vi-VN");
    if (c.budget.total !== null)
      body.push({ kind: "paragraph", text: `Tổng kinh phí thực hiện: ${n(c.budget.total)} đồng.` });
    bullets(
      c.budget.lines.map(
        (l) => `${l.purpose}${l.amount !== null ? `: ${n(l.amount)} đồng` : ""}${l.source ? ` (${l.source})` : ""}.`,
      ),
    );
  }

  heading("TỔ CHỨC THỰC HIỆN");
  c.groups.forEach((g, i) => {
    body.push({ kind: "heading", level: 2, text: `${i + 1}. ${g.heading.replace(/:$/, "")}:` });
    bullets(g.tasks.map(taskSentence));
  });

  const what = `Kế hoạch ${lowerFirst(c.title)}`;
  body.push({
    kind: "paragraph",
    text: `Trên đây là ${endsWithStop(what) ? what.replace(/[.;:!?]$/, "") : what}; đề nghị các cơ quan, đơn vị, cán bộ, công chức có liên quan tổ chức thực hiện./.`,
  });
  return body;
}

/** The whole plan as a Decree 30 document; `issue` gives its number and date once issued. */
export function planDocument(c: PlanContent, issue: PlanIssue): AdminDocument {
  const { number, symbol } = splitPlanNumber(issue.number);
  const year = Number((issue.issuedOn ?? c.period?.from ?? "").slice(0, 4)) || new Date().getUTCFullYear();
  return {
    superior: null,
    issuer: issuerLines(c.issuer),
    number,
    symbol,
    place: c.place,
    date: issue.issuedOn,
    year,
    type: "KẾ HOẠCH",
    title: c.title,
    addressees: [],
    basis: c.basis,
    body: planBody(c),
    signature: c.signer,
    distribution: c.recipients,
  };
}

/**
 * The document as plain plan text (one paragraph per block, a blank line between), in the style of the plan seeds:
 * what an issued draft keeps as its source text, and what the plan reader reads like any imported plan.
 */
export function planDocumentText(doc: AdminDocument, lines: { number: string; date: string }): string {
  const out: string[] = [
    ...doc.issuer,
    lines.number,
    lines.date,
    `**${doc.type}**`,
    `**${doc.title}**`,
    ...punctuatedBasis(doc.basis),
  ];
  for (const b of doc.body) {
    if (b.kind === "heading") out.push(`**${b.text}**`);
    else if (b.kind === "bullet") out.push(`- ${b.text}`);
    else if (b.kind === "paragraph") out.push(b.text);
  }
  out.push("***Nơi nhận:***", ...distributionLines(doc.distribution));
  for (const l of signatureLines(doc.signature)) out.push(`**${l}**`);
  if (doc.signature.name) out.push(`**${doc.signature.name}**`);
  return `${out.join("\n\n")}\n`;
}
