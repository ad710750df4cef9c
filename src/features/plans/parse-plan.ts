/**
 * Plan text → PlanDraft. Pure: reads any plan written in the usual administrative style (Roman sections, "1." /
 * "2.1." / "a)" numbering, bullets, Markdown or plain headings, page breaks), knows no particular document.
 *
 * Steps: refuse what is not a plan text → blocks (plan-text.ts) → preamble / body / footer → outline of the body
 * (plan-outline.ts) → sections recognised by their titles → draft with warnings for whatever was uncertain.
 */
import { fold, nfc } from "../../core/text/vi.ts";
import { readBudget } from "./budget.ts";
import { channelKindOf, pillarOf } from "./classify.ts";
import type {
  AssignmentGroupDraft,
  ChannelDraft,
  ContentAreaDraft,
  DraftWarning,
  ParseResult,
  PlanDraft,
  ReferenceDraft,
} from "./plan-draft.ts";
import { isPlanTitleLine, readFooter, readHeader } from "./plan-header.ts";
import {
  buildOutline,
  type ColonGroup,
  codeOf,
  colonGroups,
  findHeadings,
  hasSubHeadings,
  isLeaf,
  isRoleHeading,
  itemsOf,
  type OutlineNode,
  type SectionRole,
  sectionRole,
  titleOf,
} from "./plan-outline.ts";
import { extractTaskTables, type TaskTable } from "./plan-tables.ts";
import { isClosingParagraph, supportingUnits, taskOf, timingMeaning, timingOf } from "./plan-tasks.ts";
import { type Block, isCaps, stripTrailingColon, toBlocks } from "./plan-text.ts";
import { extractMentions, extractReferences, issuerKey } from "./references.ts";
import { unitKey } from "./unit-match.ts";

export { extractMentions, extractReferences } from "./references.ts";

export const MAX_PLAN_BYTES = 2 * 1024 * 1024;

// ——— Refusals ———

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Control characters (tab, line breaks and the form feed of PDF page breaks aside) and U+FFFD: binary as text. */
function junkCount(text: string): number {
  let junk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 127 || c === 0xfffd) junk++;
  }
  return junk;
}

/** Empty, too large, or not text at all. */
function refuseInput(text: string): string | null {
  if (typeof text !== "string" || text.trim() === "") return "Văn bản trống: không có nội dung nào để đọc.";
  if (text.length > MAX_PLAN_BYTES || byteLength(text) > MAX_PLAN_BYTES) {
    return "Văn bản quá lớn (hơn 2 MB). Một kế hoạch thường chỉ vài chục KB: hãy kiểm tra lại tệp đã chọn.";
  }
  const junk = junkCount(text);
  if (text.includes("\u0000") || junk > 200 || junk / text.length > 0.01) {
    return "Tệp không phải văn bản đọc được (có nhiều ký tự điều khiển hoặc ký tự lỗi). Hãy dán nội dung kế hoạch hoặc chọn tệp văn bản.";
  }
  return null;
}

/** A decision, or a text that is not a plan at all. */
function refuseKind(blocks: Block[]): string | null {
  const lines = blocks.flatMap((b) => b.lines);
  const articles = lines.filter((l) => /^(?:Điều|ĐIỀU)\s+\d+(?!\d)/u.test(l)).length;
  const decisionTitle = lines.some((l) => /^QUYẾT ĐỊNH(?:\s|:|$)/u.test(l));
  if (articles >= 2 && (decisionTitle || !lines.some(isPlanTitleLine))) {
    return "Đây là một quyết định (có “QUYẾT ĐỊNH” với Điều 1, Điều 2 …), không phải kế hoạch. Nếu kế hoạch được ban hành kèm theo quyết định, hãy dán riêng phần kế hoạch.";
  }
  const titled = lines.some(isPlanTitleLine) || lines.some((l) => /^(?:Số|SỐ)\s*[:.]?\s*\d*\s*\/\s*KH\b/u.test(l));
  if (!titled) {
    return "Không nhận ra đây là một kế hoạch: không thấy tiêu đề “KẾ HOẠCH” hay số hiệu “…/KH-…”.";
  }
  const sections = blocks.filter((b) => b.label?.kind === "roman" || isRoleHeading(b)).length;
  if (sections < 2) {
    return "Không nhận ra cấu trúc của kế hoạch: cần các mục I, II, III… (Mục đích, yêu cầu; Nội dung; Tổ chức thực hiện).";
  }
  return null;
}

// ——— Regions ———

interface Regions {
  preamble: Block[];
  body: Block[];
  footer: Block[];
  /** No Roman numerals: sections are the headings in capitals that name one. */
  unnumbered: boolean;
}

function isFooterStart(block: Block): boolean {
  const f = fold(block.text);
  if (/^noi nhan\b/.test(f)) return true;
  if (block.label || block.bullet) return false;
  return isClosingParagraph(block.text) || (isCaps(block.text) && /^(?:tm|kt)\s*\./.test(f));
}

function splitRegions(blocks: Block[]): Regions {
  let start = blocks.findIndex((b) => b.label?.kind === "roman");
  const unnumbered = start < 0;
  if (unnumbered) start = Math.max(0, blocks.findIndex(isRoleHeading));
  const footerAt = blocks.findIndex((b, i) => i > start && isFooterStart(b));
  const end = footerAt < 0 ? blocks.length : footerAt;
  return {
    preamble: blocks.slice(0, start),
    body: blocks.slice(start, end),
    footer: blocks.slice(end),
    unnumbered,
  };
}

// ——— Sections ———

function sectionsByRole(root: OutlineNode): Map<SectionRole, OutlineNode[]> {
  const map = new Map<SectionRole, OutlineNode[]>();
  for (const node of root.children) {
    if (isLeaf(node) || node.rank !== 1) continue;
    const role = sectionRole(titleOf(node));
    map.set(role, [...(map.get(role) ?? []), node]);
  }
  return map;
}

/** The most specific heading whose title matches: "1. Mục đích" rather than "I. MỤC ĐÍCH, YÊU CẦU". */
function deepestMatching(sections: OutlineNode[], re: RegExp): OutlineNode | null {
  const all = sections.flatMap((s) => [s, ...findHeadings(s, () => true)]);
  const matching = all.filter((n) => re.test(fold(titleOf(n))));
  return matching.find((n) => !matching.some((m) => m !== n && findHeadings(n, (x) => x === m).length > 0)) ?? null;
}

/**
 * A numbered line is a heading with its first item on the same line when a colon splits it:
 * "2.5. Về cải cách tài chính công: Tuyên truyền …", "1. Văn phòng – Thống kê: chủ trì …".
 */
function splitHeading(node: OutlineNode): { title: string; items: string[] } {
  const text = node.block?.text ?? "";
  const colon = text.indexOf(":");
  const inline = colon >= 0 ? text.slice(colon + 1).trim() : "";
  const title = inline ? text.slice(0, colon).trim() : stripTrailingColon(text);
  return { title, items: [...(inline ? [inline] : []), ...itemsOf(node)] };
}

const PURPOSES = /muc dich|muc tieu/;
const REQUIREMENTS = /yeu cau/;

function readAims(sections: OutlineNode[], warnings: DraftWarning[]): Pick<PlanDraft, "purposes" | "requirements"> {
  const purposesNode = deepestMatching(sections, PURPOSES);
  const requirementsNode = deepestMatching(sections, REQUIREMENTS);
  let purposes = purposesNode ? splitHeading(purposesNode).items : [];
  let requirements = requirementsNode && requirementsNode !== purposesNode ? splitHeading(requirementsNode).items : [];
  // One heading for both: plain "Mục đích:" / "Yêu cầu:" lines under it tell them apart; else all are purposes.
  const split = purposesNode && purposesNode === requirementsNode ? colonGroups(purposesNode) : null;
  if (split) {
    purposes = split.filter((g) => PURPOSES.test(fold(g.title))).flatMap((g) => g.items);
    requirements = split.filter((g) => REQUIREMENTS.test(fold(g.title))).flatMap((g) => g.items);
  }
  if (purposes.length === 0) warnings.push({ path: "purposes", message: "Không tìm thấy mục đích của kế hoạch." });
  if (requirements.length === 0)
    warnings.push({ path: "requirements", message: "Không tìm thấy yêu cầu của kế hoạch." });
  return { purposes, requirements };
}

const DOCUMENTS_TITLE = /^(?:tuyen truyen )?(?:noi dung )?(?:cac )?van ban\b/;

/** Bullets written "Về cải cách thể chế: …" under one heading are content areas of their own. */
function areasFromBullets(node: OutlineNode, code: string): ContentAreaDraft[] | null {
  const split = itemsOf(node).map((item) => /^([^:]{3,80}):\s*(.+)$/u.exec(item));
  const areas = split.filter((m) => m?.[1] && pillarOf(m[1]) !== null);
  if (areas.length < 2 || areas.length !== split.length) return null;
  return areas.map((m, i) => ({
    code: `${code}.${i + 1}`,
    title: m?.[1]?.trim() ?? "",
    pillar: pillarOf(m?.[1] ?? ""),
    items: [m?.[2]?.trim() ?? ""],
  }));
}

/** What a heading says: its items, or the line itself when nothing hangs under it. */
function ownText(node: OutlineNode): string[] {
  return node.children.length > 0 ? splitHeading(node).items : [node.block?.text ?? ""];
}

/** Plain "Về cải cách thể chế:" lines under one heading, each followed by its items. */
function areasFromColonLines(node: OutlineNode, code: string): ContentAreaDraft[] | null {
  const groups = colonGroups(node);
  if (!groups || groups.length < 2 || !groups.some((g) => pillarOf(g.title) !== null)) return null;
  return groups.map((g, i) => ({
    code: `${code}.${i + 1}`,
    title: g.title,
    pillar: pillarOf(g.title),
    items: g.items,
  }));
}

function areaOf(node: OutlineNode, index: number): ContentAreaDraft[] {
  const code = codeOf(node, index);
  const split = areasFromBullets(node, code) ?? areasFromColonLines(node, code);
  if (split) return split;
  const { title, items } = splitHeading(node);
  return [{ code, title, pillar: pillarOf(title), items }];
}

function within(node: OutlineNode, ancestors: (OutlineNode | null)[]): boolean {
  return ancestors.some((a) => a !== null && (a === node || findHeadings(a, (x) => x === node).length > 0));
}

interface ContentPart {
  documentsToCommunicate: string;
  contentAreas: ContentAreaDraft[];
  /** "Hình thức tuyên truyền" as a sub-heading of the content section, when the plan has no section for it. */
  channelsNode: OutlineNode | null;
}

function readContent(section: OutlineNode | undefined, warnings: DraftWarning[]): ContentPart {
  if (!section) {
    warnings.push({ path: "contentAreas", message: "Không tìm thấy mục “Nội dung” của kế hoạch." });
    return { documentsToCommunicate: "", contentAreas: [], channelsNode: null };
  }
  const documents = findHeadings(section, (n) => DOCUMENTS_TITLE.test(fold(titleOf(n))))[0] ?? null;
  const channelsNode = findHeadings(section, (n) => sectionRole(titleOf(n)) === "channels")[0] ?? null;
  const leafHeadings = findHeadings(section, (n) => !hasSubHeadings(n) && !within(n, [documents, channelsNode]));
  const candidates = leafHeadings.length > 0 ? leafHeadings : hasSubHeadings(section) ? [] : [section];
  const contentAreas = candidates.flatMap((n, i) => areaOf(n, i));

  const documentsToCommunicate = documents ? ownText(documents).join("\n") : "";
  if (!documents) {
    warnings.push({ path: "documentsToCommunicate", message: "Không tìm thấy mục các văn bản cần tuyên truyền." });
  }
  if (contentAreas.length === 0) {
    warnings.push({ path: "contentAreas", message: "Không tìm thấy các nội dung tuyên truyền (2.1, 2.2 …)." });
  }
  contentAreas.forEach((area, i) => {
    if (area.pillar === null) {
      warnings.push({
        path: `contentAreas.${i}.pillar`,
        message: `Không xác định được lĩnh vực cải cách hành chính của nội dung “${area.title}”.`,
      });
    }
    if (area.items.length === 0) {
      warnings.push({ path: `contentAreas.${i}.items`, message: `Nội dung “${area.title}” không có mục nào.` });
    }
  });
  return { documentsToCommunicate, contentAreas, channelsNode };
}

const headed = (node: OutlineNode): OutlineNode[] => node.children.filter((c) => !isLeaf(c));

function readChannels(node: OutlineNode | null, warnings: DraftWarning[]): ChannelDraft[] {
  if (!node) {
    warnings.push({ path: "channels", message: "Không tìm thấy mục “Hình thức tuyên truyền”." });
    return [];
  }
  const headings = headed(node);
  const channels: ChannelDraft[] = headings.length
    ? headings.map((c, i) => {
        const title = titleOf(c);
        const kind = channelKindOf(title);
        return { code: codeOf(c, i), title, kind: kind === "other" ? channelKindOf(itemsOf(c).join(" ")) : kind };
      })
    : itemsOf(node)
        // "… bằng các hình thức sau:" introduces the list; it is not a channel.
        .filter((text) => !text.endsWith(":"))
        .map((title, i) => ({ code: String(i + 1), title, kind: channelKindOf(title) }));
  if (channels.length === 0)
    warnings.push({ path: "channels", message: "Mục hình thức tuyên truyền không có mục nào." });
  channels.forEach((c, i) => {
    if (c.kind === "other") {
      warnings.push({ path: `channels.${i}.kind`, message: `Không xác định được loại hình thức “${c.title}”.` });
    }
  });
  return channels;
}

function groupOf(node: OutlineNode, index: number): AssignmentGroupDraft {
  const code = codeOf(node, index);
  const { title, items } = splitHeading(node);
  return { code, heading: title, tasks: items.map((t) => taskOf(t, code)) };
}

/**
 * "1. Phân công nhiệm vụ" wrapping "a) Văn phòng …" (each with its bullets): the groups are one level down. A group
 * whose tasks are "a) …" lines is not a wrapper: those have nothing under them, or are sentences, not unit names.
 */
function isWrapper(node: OutlineNode): boolean {
  return headed(node).some((c) => c.children.length > 0 && splitHeading(c).title.split(" ").length <= 8);
}

/** Groups without numbering: plain "Văn phòng – Thống kê:" lines, or bullets "- Văn phòng – Thống kê: task". */
function unnumberedGroups(section: OutlineNode): AssignmentGroupDraft[] {
  const fromLines = colonGroups(section);
  const pairs: ColonGroup[] =
    fromLines ??
    itemsOf(section).flatMap((item) => {
      const m = /^([^:]{3,60}):\s*(.+)$/u.exec(item);
      return m?.[1] && m[2] && m[1].split(" ").length <= 10 ? [{ title: m[1].trim(), items: [m[2].trim()] }] : [];
    });
  return pairs.map((g, i) => {
    const code = String(i + 1);
    return { code, heading: g.title, tasks: g.items.map((t) => taskOf(t, code)) };
  });
}

function readGroups(section: OutlineNode | undefined, warnings: DraftWarning[]): AssignmentGroupDraft[] {
  if (!section) {
    warnings.push({ path: "assignmentGroups", message: "Không tìm thấy mục “Tổ chức thực hiện”." });
    return [];
  }
  const groupNodes = headed(section).flatMap((c) => (isWrapper(c) ? headed(c) : [c]));
  const groups = groupNodes.length > 0 ? groupNodes.map(groupOf) : unnumberedGroups(section);
  if (groups.length === 0) {
    warnings.push({ path: "assignmentGroups", message: "Không tìm thấy các đơn vị được phân công (1., 2. …)." });
  }
  groups.forEach((g, i) => {
    if (g.tasks.length === 0) {
      warnings.push({ path: `assignmentGroups.${i}.tasks`, message: `“${g.heading}” không có nhiệm vụ nào.` });
    }
  });
  return groups;
}

/**
 * Table rows as tasks, grouped by their lead unit (a group is what one unit leads, as in section IV written as
 * headings): a lead already heading a group of the text joins it; others get the next free codes.
 */
function withTableGroups(groups: AssignmentGroupDraft[], tables: TaskTable[], year: number | null) {
  const out = groups.map((g) => ({ ...g, tasks: [...g.tasks] }));
  const taken = new Set(out.map((g) => g.code));
  let next = out.reduce((n, g) => Math.max(n, Number.parseInt(g.code, 10) || 0), 0);
  for (const row of tables.flatMap((t) => t.tasks)) {
    const key = unitKey(row.lead);
    let group = out.find((g) => unitKey(g.heading) === key);
    if (!group) {
      do next++;
      while (taken.has(String(next)));
      group = { code: String(next), heading: row.lead, tasks: [] };
      taken.add(group.code);
      out.push(group);
    }
    const support = [...row.support];
    for (const s of supportingUnits(row.text)) if (!support.some((x) => unitKey(x) === unitKey(s))) support.push(s);
    group.tasks.push({
      text: row.text,
      group: group.code,
      supportingUnitTexts: support,
      ...timingMeaning(row.timing ?? timingOf(row.text), year),
    });
  }
  return out;
}

/** The plan's own number is not a reference to another document. */
function isSelf(ref: ReferenceDraft, number: string | null, issuer: string | null): boolean {
  return (
    number !== null &&
    fold(ref.kind) === "ke hoach" &&
    ref.number?.toUpperCase() === number.toUpperCase() &&
    (ref.issuer === null || issuerKey(ref.issuer) === issuerKey(issuer))
  );
}

/** Read a plan. `{ ok: false, error }` (in Vietnamese) when the text is not a plan that can be read. */
export function parsePlan(text: string): ParseResult {
  const refusal = refuseInput(text);
  if (refusal) return { ok: false, error: refusal };
  // Task tables are read apart (each row a task); the rest of the text reads as before.
  const tables = extractTaskTables(nfc(text));
  if (!tables.ok) return { ok: false, error: tables.error };
  const blocks = toBlocks(tables.text);
  const wrongKind = refuseKind(blocks);
  if (wrongKind) return { ok: false, error: wrongKind };

  const warnings: DraftWarning[] = [];
  const regions = splitRegions(blocks);
  // One block per paragraph, a blank line between: what a citation may not run across.
  const allText = blocks.map((b) => b.text).join("\n\n");
  const header = readHeader(regions.preamble, allText, warnings);
  const sections = sectionsByRole(buildOutline(regions.body, regions.unnumbered));
  const aims = readAims(sections.get("aims") ?? [], warnings);
  const content = readContent(sections.get("content")?.[0], warnings);
  const channels = readChannels(sections.get("channels")?.[0] ?? content.channelsNode, warnings);
  // The plan's year, for timings that leave it out ("Quý II", "trước ngày 30/6").
  const year = Number((header.period?.to ?? header.issuedOn ?? "").slice(0, 4)) || null;
  const groupWarnings: DraftWarning[] = [];
  const outlineGroups = readGroups(sections.get("implementation")?.[0], groupWarnings);
  for (const task of outlineGroups.flatMap((g) => g.tasks)) {
    if (task.timing && !task.recurrence && !task.dueOn) Object.assign(task, timingMeaning(task.timing, year));
  }
  const assignmentGroups =
    tables.tables.length > 0
      ? withTableGroups(
          outlineGroups.filter((g) => g.tasks.length > 0),
          tables.tables,
          year,
        )
      : outlineGroups;
  // With a task table, section IV may only introduce it: what the headings lacked is not missing.
  if (tables.tables.length === 0) warnings.push(...groupWarnings);
  const footer = readFooter(regions.footer, warnings);
  if (!/cai cach hanh chinh|\bcchc\b/.test(fold(allText))) {
    warnings.push({ path: "title", message: "Kế hoạch này có vẻ không nói về cải cách hành chính." });
  }

  const draft: PlanDraft = {
    ...header,
    purposes: aims.purposes,
    requirements: aims.requirements,
    documentsToCommunicate: content.documentsToCommunicate,
    contentAreas: content.contentAreas,
    channels,
    assignmentGroups,
    references: extractReferences(allText).filter((r) => !isSelf(r, header.number, header.issuer)),
    mentions: extractMentions(allText),
    recipients: footer.recipients,
    signer: footer.signer,
    budget: readBudget(text),
    warnings,
  };
  return { ok: true, draft };
}
