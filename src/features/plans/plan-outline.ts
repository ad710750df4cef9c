/**
 * Blocks → an outline: numbered headings nest by rank (I. > 1. > 2.1. > a)), bullets and paragraphs hang under the
 * nearest heading. Sections are then recognised by what their titles say, not by their numbers. Pure.
 */
import { fold } from "../../core/text/vi.ts";
import { type Block, isCaps, isSubBullet, stripTrailingColon } from "./plan-text.ts";

export interface OutlineNode {
  /** Null for the root only. */
  block: Block | null;
  /** 0 root, 1 section (I.), 2 "1.", 3 "2.1.", 4 "2.1.1.", 5 "a)", 6 unnumbered bold heading; leaves: Infinity. */
  rank: number;
  children: OutlineNode[];
}

export type SectionRole = "aims" | "content" | "channels" | "implementation" | "other";

const LEAF_RANK = Number.POSITIVE_INFINITY;

/** "MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG …", "HÌNH THỨC …", "TỔ CHỨC THỰC HIỆN": what a section is for. */
export function sectionRole(title: string): SectionRole {
  const f = fold(title);
  if (/muc dich|muc tieu|yeu cau/.test(f)) return "aims";
  if (/to chuc thuc hien|phan cong|trach nhiem/.test(f)) return "implementation";
  if (/noi dung/.test(f)) return "content";
  if (/hinh thuc|phuong thuc/.test(f)) return "channels";
  return "other";
}

/** An unnumbered heading in capitals that names a known section, for plans written without Roman numerals. */
export function isRoleHeading(block: Block): boolean {
  return (
    !block.label && !block.bullet && block.heading && block.text.length <= 100 && sectionRole(block.text) !== "other"
  );
}

function rankOf(block: Block, unnumberedSections: boolean): number {
  if (block.label) return block.label.rank;
  // Without Roman numerals, any short line in capitals is a section ("KINH PHÍ" too, so it ends the one before).
  if (unnumberedSections && !block.bullet && isCaps(block.text) && block.text.length <= 100) return 1;
  // A short bold line with no closing full stop is a heading ("**Mục đích:**"), a long one is body text.
  if (block.styled && !block.bullet && block.text.length <= 120 && !/[.;]$/.test(block.text)) return 6;
  return LEAF_RANK;
}

export function buildOutline(blocks: Block[], unnumberedSections: boolean): OutlineNode {
  const root: OutlineNode = { block: null, rank: 0, children: [] };
  const stack: OutlineNode[] = [root];
  for (const block of blocks) {
    const rank = rankOf(block, unnumberedSections);
    while (rank !== LEAF_RANK && (stack.at(-1)?.rank ?? 0) >= rank) stack.pop();
    const parent = stack.at(-1) ?? root;
    const node: OutlineNode = { block, rank, children: [] };
    parent.children.push(node);
    if (rank !== LEAF_RANK) stack.push(node);
  }
  return root;
}

export const isLeaf = (node: OutlineNode): boolean => node.rank === LEAF_RANK;
/** A heading with its own sub-headings (as opposed to one holding only bullets and paragraphs). */
export const hasSubHeadings = (node: OutlineNode): boolean => node.children.some((c) => !isLeaf(c));

export function titleOf(node: OutlineNode): string {
  return stripTrailingColon(node.block?.text ?? "");
}

/** The numbering as written ("2.1", "a"), else the 1-based position. */
export function codeOf(node: OutlineNode, index: number): string {
  return node.block?.label?.value ?? String(index + 1);
}

/**
 * The items under a heading, one per bullet, paragraph or childless numbered line; nested headings are flattened.
 * "+" sub-bullets after an item ending with ":" belong to that item.
 */
export function itemsOf(node: OutlineNode): string[] {
  const items: string[] = [];
  let open = false;
  for (const child of node.children) {
    if (child.children.length > 0) {
      items.push(...itemsOf(child));
      open = false;
      continue;
    }
    const block = child.block;
    if (!block) continue;
    if (open && isSubBullet(block) && items.length > 0) {
      items[items.length - 1] = `${items.at(-1)} ${block.text}`;
      continue;
    }
    items.push(block.text);
    open = block.text.endsWith(":");
  }
  return items;
}

/** Depth-first search of the sub-headings under a node. */
export function findHeadings(node: OutlineNode, test: (n: OutlineNode) => boolean): OutlineNode[] {
  const out: OutlineNode[] = [];
  for (const child of node.children) {
    if (isLeaf(child)) continue;
    if (test(child)) out.push(child);
    out.push(...findHeadings(child, test));
  }
  return out;
}

export interface ColonGroup {
  title: string;
  items: string[];
}

/** A plain line such as "Mục đích:" or "Văn phòng – Thống kê:" acting as an unnumbered, unstyled heading. */
function isColonHeading(node: OutlineNode): boolean {
  const b = node.block;
  return (
    b !== null &&
    isLeaf(node) &&
    !b.bullet &&
    !b.label &&
    b.text.length <= 100 &&
    b.text.endsWith(":") &&
    !/nhu sau/.test(fold(b.text))
  );
}

/**
 * The leaves of a heading regrouped under plain "Title:" lines, for plans that do not number or style their
 * sub-headings. Leaves before the first such line (an introduction) are dropped. Null when there is none.
 */
export function colonGroups(node: OutlineNode): ColonGroup[] | null {
  if (!node.children.some(isColonHeading)) return null;
  const groups: ColonGroup[] = [];
  let current: ColonGroup | null = null;
  for (const child of node.children) {
    if (isColonHeading(child)) {
      current = { title: stripTrailingColon(child.block?.text ?? ""), items: [] };
      groups.push(current);
    } else if (current) {
      current.items.push(...(child.children.length > 0 ? itemsOf(child) : [child.block?.text ?? ""]));
    }
  }
  // A first "title" with nothing under it introduces the list ("… tập trung vào các lĩnh vực:").
  if (groups.length > 1 && groups[0]?.items.length === 0) groups.shift();
  return groups;
}
