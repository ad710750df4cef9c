/**
 * The legal documents library's pure rules: the legal-effect status of a document on a day (vn-egov.md §5),
 * computed from its dates, its explicit events and the documents that replace or abrogate it; the paired relations
 * and the label each side shows (the label names the OTHER document: on the page of the 2019 Labour Code, the 2012
 * one is "Văn bản bị thay thế"); and how a plan's citation is matched to the ward's entries (number, issuer and
 * year; laws by name and year), with "uncertain" when only part of the identity can be compared.
 */
import { fold, foldWords, nfc, squash } from "../../core/text/vi.ts";
import { issuerKey, normaliseDocNumber } from "../plans/references.ts";

/** Kinds offered in the form (a plan may cite others; they are kept as cited). */
export const DOCUMENT_KINDS = [
  "Luật",
  "Bộ luật",
  "Pháp lệnh",
  "Nghị quyết",
  "Nghị định",
  "Quyết định",
  "Thông tư",
  "Thông tư liên tịch",
  "Chỉ thị",
  "Kế hoạch",
  "Hướng dẫn",
  "Công văn",
  "Thông báo",
  "Kết luận",
  "Quy định",
  "Quy chế",
  "Chương trình",
  "Đề án",
] as const;

export const STATUSES = {
  in_force: "Còn hiệu lực",
  not_yet: "Chưa có hiệu lực",
  expired_partly: "Hết hiệu lực một phần",
  expired: "Hết hiệu lực toàn bộ",
  suspended: "Ngưng hiệu lực",
  suspended_partly: "Ngưng hiệu lực một phần",
  unsuitable: "Không còn phù hợp",
  unknown: "Chưa xác định hiệu lực",
} as const;
export type DocumentStatus = keyof typeof STATUSES;

/** Explicit events staff record on a date (a decision suspending it, a later document ending part of it …). */
export const EVENT_KINDS = {
  suspended: "Ngưng hiệu lực",
  suspended_partly: "Ngưng hiệu lực một phần",
  resumed: "Tiếp tục có hiệu lực",
  expired_partly: "Hết hiệu lực một phần",
  expired: "Hết hiệu lực toàn bộ",
  unsuitable: "Không còn phù hợp",
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

/** Kinds that are administrative or Party documents, not legal norms: no legal-effect status. */
const NO_EFFECT_KINDS = new Set(
  ["Kế hoạch", "Công văn", "Thông báo", "Báo cáo", "Chương trình", "Đề án", "Kết luận", "Hướng dẫn", "Công điện"].map(
    (k) => fold(k),
  ),
);
const PARTY_ISSUER =
  /\b(dang|tinh uy|thanh uy|huyen uy|thi uy|dang uy|bo chinh tri|ban bi thu|ban chap hanh trung uong|ban thuong vu)\b/;

/**
 * Whether a document has a legal-effect status at all. Party documents (numbered "13-NQ/TU": the number before the
 * type, a dash; or issued by a Party body) and plans, official letters, notices … have none.
 */
export function hasLegalEffect(d: { kind: string; number: string | null; issuer: string | null }): boolean {
  if (NO_EFFECT_KINDS.has(fold(d.kind))) return false;
  if (d.number && /^\d+[a-z]?-\p{Lu}+\/\p{Lu}+/u.test(d.number)) return false;
  if (d.issuer && PARTY_ISSUER.test(foldWords(d.issuer))) return false;
  return true;
}

export interface StatusInput {
  kind: string;
  number: string | null;
  issuer: string | null;
  effectiveFrom: string | null;
  expiresOn: string | null;
  events: readonly { kind: string; onDate: string }[];
  /** The day each document that replaces or abrogates this one (wholly or partly) takes effect. */
  endedBy?: readonly { partly: boolean; on: string | null }[];
}

/**
 * The status on `today` (ISO), or null for a document without legal effect. An expiry date reached, an event
 * "expired" or a replacing document in force ends it wholly; otherwise the latest suspension (unless resumed
 * after), then "not yet" before its effective date, then a partial end, else in force. Without an effective date
 * and nothing else known, "unknown": the entry is still to be completed.
 */
export function statusOn(d: StatusInput, today: string): DocumentStatus | null {
  if (!hasLegalEffect(d)) return null;
  const past = d.events.filter((e) => e.onDate <= today).sort((a, b) => (a.onDate < b.onDate ? -1 : 1));
  const ended = (d.endedBy ?? []).filter((e) => e.on !== null && e.on <= today);
  if (d.expiresOn && d.expiresOn <= today) return "expired";
  if (past.some((e) => e.kind === "expired") || ended.some((e) => !e.partly)) return "expired";
  if (past.some((e) => e.kind === "unsuitable")) return "unsuitable";
  const lastSuspension = [...past].reverse().find((e) => e.kind.startsWith("suspended") || e.kind === "resumed");
  if (lastSuspension && lastSuspension.kind !== "resumed") return lastSuspension.kind as DocumentStatus;
  if (!d.effectiveFrom) return "unknown";
  if (d.effectiveFrom > today) return "not_yet";
  if (past.some((e) => e.kind === "expired_partly") || ended.length > 0) return "expired_partly";
  return "in_force";
}

/** A status code or label as a filter may give it ("in_force", "Còn hiệu lực", "con hieu luc"). */
export function statusOfFilter(text: string): DocumentStatus | "none" | null {
  const key = foldWords(text);
  if (key === "") return null;
  if (key === "none" || key === "khong co") return "none";
  for (const [code, label] of Object.entries(STATUSES))
    if (key === code.replace(/_/g, " ") || key === foldWords(label)) return code as DocumentStatus;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------------------------------------------

/**
 * Relations stored once, from the document that acts to the one acted on. `active` is the kind seen from the
 * acting side, `passive` from the other; `ofTo` labels the acted-on document on the acting one's page, `ofFrom`
 * labels the acting document on the other's page.
 */
export const RELATIONS = {
  amends: { active: "amends", passive: "amended_by", ofTo: "Văn bản được sửa đổi", ofFrom: "Văn bản sửa đổi" },
  supplements: {
    active: "supplements",
    passive: "supplemented_by",
    ofTo: "Văn bản được bổ sung",
    ofFrom: "Văn bản bổ sung",
  },
  replaces: { active: "replaces", passive: "replaced_by", ofTo: "Văn bản bị thay thế", ofFrom: "Văn bản thay thế" },
  abrogates: { active: "abrogates", passive: "abrogated_by", ofTo: "Văn bản bị bãi bỏ", ofFrom: "Văn bản bãi bỏ" },
  abrogates_partly: {
    active: "abrogates_partly",
    passive: "abrogated_partly_by",
    ofTo: "Văn bản bị bãi bỏ một phần",
    ofFrom: "Văn bản bãi bỏ một phần",
  },
  guides: {
    active: "guides",
    passive: "guided_by",
    ofTo: "Văn bản được hướng dẫn, quy định chi tiết",
    ofFrom: "Văn bản hướng dẫn, quy định chi tiết",
  },
  suspends: { active: "suspends", passive: "suspended_by", ofTo: "Văn bản bị đình chỉ", ofFrom: "Văn bản đình chỉ" },
  corrects: {
    active: "corrects",
    passive: "corrected_by",
    ofTo: "Văn bản được đính chính",
    ofFrom: "Văn bản đính chính",
  },
  based_on: {
    active: "based_on",
    passive: "basis_for",
    ofTo: "Văn bản căn cứ",
    ofFrom: "Văn bản ban hành căn cứ văn bản này",
  },
  cites: { active: "cites", passive: "cited_by", ofTo: "Văn bản dẫn chiếu", ofFrom: "Văn bản dẫn chiếu văn bản này" },
  related: { active: "related", passive: "related", ofTo: "Văn bản liên quan khác", ofFrom: "Văn bản liên quan khác" },
} as const;
export type RelationKind = keyof typeof RELATIONS;

/** "this document … the other": the verb from each side. */
const VERB: Record<RelationKind, [string, string]> = {
  amends: ["sửa đổi", "được sửa đổi bởi"],
  supplements: ["bổ sung", "được bổ sung bởi"],
  replaces: ["thay thế", "bị thay thế bởi"],
  abrogates: ["bãi bỏ", "bị bãi bỏ bởi"],
  abrogates_partly: ["bãi bỏ một phần", "bị bãi bỏ một phần bởi"],
  guides: ["hướng dẫn, quy định chi tiết", "được hướng dẫn, quy định chi tiết bởi"],
  suspends: ["đình chỉ", "bị đình chỉ bởi"],
  corrects: ["đính chính", "được đính chính bởi"],
  based_on: ["được ban hành căn cứ", "là căn cứ ban hành"],
  cites: ["dẫn chiếu", "được dẫn chiếu bởi"],
  related: ["liên quan đến", "liên quan đến"],
};
/** The choices of the relations editor: "this document … the other", each kind from both sides. */
export const RELATION_CHOICES: readonly { value: string; label: string }[] = Object.entries(RELATIONS).flatMap(
  ([kind, r]) =>
    r.active === r.passive
      ? [{ value: kind, label: "Văn bản này liên quan đến văn bản" }]
      : [
          { value: kind, label: `Văn bản này ${VERB[kind as RelationKind][0]} văn bản` },
          { value: `${kind}:passive`, label: `Văn bản này ${VERB[kind as RelationKind][1]} văn bản` },
        ],
);

export const isRelationKind = (k: string): k is RelationKind => Object.hasOwn(RELATIONS, k);

/** A relation as one document's page shows it: the kind from its side and the label of the other document. */
export interface RelationView {
  kind: string;
  label: string;
  otherId: number;
}

/** How relation `r` shows on the page of document `selfId`. */
export function relationFrom(selfId: number, r: { from_id: number; to_id: number; kind: string }): RelationView {
  const def = isRelationKind(r.kind) ? RELATIONS[r.kind] : RELATIONS.related;
  return selfId === r.from_id
    ? { kind: def.active, label: def.ofTo, otherId: r.to_id }
    : { kind: def.passive, label: def.ofFrom, otherId: r.from_id };
}

/** The form's choice ("replaces" or "replaces:passive") as the stored direction: who acts on whom. */
export function storedRelation(
  selfId: number,
  otherId: number,
  choice: string,
): { fromId: number; toId: number; kind: RelationKind } | null {
  const [kind, side] = choice.split(":");
  if (!kind || !isRelationKind(kind) || (side !== undefined && side !== "passive")) return null;
  return side === "passive" ? { fromId: otherId, toId: selfId, kind } : { fromId: selfId, toId: otherId, kind };
}

// ---------------------------------------------------------------------------------------------------------------
// Citations matched to entries
// ---------------------------------------------------------------------------------------------------------------

/** What a plan cites (plan-draft.ts ReferenceDraft). */
export interface Cited {
  kind: string;
  number: string | null;
  title: string | null;
  issuedOn: string | null;
  issuer: string | null;
  year: number | null;
}

/** What matching reads of an entry. */
export interface EntryKey {
  id: number;
  kind: string;
  number_key: string | null;
  issuer_key: string;
  year: number | null;
  title_key: string;
}

export const numberKeyOf = (n: string | null): string | null =>
  n && squash(n) !== "" ? fold(normaliseDocNumber(nfc(n))).replace(/\s+/g, "") : null;
export const titleKeyOf = (t: string | null): string => (t ? foldWords(t) : "");
/** The year in a number that carries one: "61/2018/NĐ-CP" → 2018; local numbers ("181/QĐ-UBND") carry none. */
export const yearInNumber = (n: string | null): number | null => {
  const m = n ? /\/((?:19|20)\d{2})\//.exec(`${n}/`) : null;
  return m ? Number(m[1]) : null;
};
/** The year of a citation: stated, in its number, or of its date. */
export const yearOfCited = (c: Pick<Cited, "number" | "issuedOn" | "year">): number | null =>
  c.year ?? yearInNumber(c.number) ?? (c.issuedOn ? Number(c.issuedOn.slice(0, 4)) : null);

/** The identity of a citation, as an entry stores it. */
export function keyOfCited(c: Cited): Omit<EntryKey, "id"> {
  return {
    kind: c.kind,
    number_key: numberKeyOf(c.number),
    issuer_key: issuerKey(c.issuer),
    year: yearOfCited(c),
    title_key: titleKeyOf(c.title),
  };
}

/** One issuer written as part of the other ("Chủ tịch UBND phường X" and "UBND phường X"). */
const issuersOverlap = (a: string, b: string) => ` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `);

export type Match = "same" | "uncertain" | "different";

/**
 * Whether a citation names an entry. Numbered: the numbers must agree; a number with its year ("61/2018/NĐ-CP")
 * is the document; a local number restarts every year for every issuer, so year and issuer must agree too, and
 * when either is unknown on one side (or one issuer is written inside the other) the match is uncertain. Laws
 * cited by name: kind and name, then the year as above.
 */
export function matchCited(c: Omit<EntryKey, "id">, e: Omit<EntryKey, "id">): Match {
  if (c.number_key || e.number_key) {
    if (c.number_key !== e.number_key) return "different";
    if (yearInNumber(c.number_key)) return "same";
  } else {
    if (fold(c.kind) !== fold(e.kind) || c.title_key === "" || c.title_key !== e.title_key) return "different";
  }
  if (c.year !== null && e.year !== null && c.year !== e.year) return "different";
  let sure = c.year !== null && e.year !== null;
  if (c.number_key) {
    if (c.issuer_key && e.issuer_key) {
      if (c.issuer_key !== e.issuer_key) {
        if (!issuersOverlap(c.issuer_key, e.issuer_key)) return "different";
        sure = false;
      }
    } else sure = false;
  }
  return sure ? "same" : "uncertain";
}

/** The entry a citation belongs to: the first certain match, else the first uncertain one, else none. */
export function findEntry(c: Cited, entries: readonly EntryKey[]): { id: number; uncertain: boolean } | null {
  const key = keyOfCited(c);
  let maybe: number | null = null;
  for (const e of entries) {
    const m = matchCited(key, e);
    if (m === "same") return { id: e.id, uncertain: false };
    if (m === "uncertain" && maybe === null) maybe = e.id;
  }
  return maybe === null ? null : { id: maybe, uncertain: true };
}

/** How a document is named in lists: "Quyết định số 181/QĐ-UBND", "Luật An ninh mạng năm 2018". */
export function documentName(d: { kind: string; number: string | null; title: string | null; year: number | null }) {
  if (d.number) return `${d.kind} số ${d.number}`;
  const title = d.title ?? d.kind;
  return d.year && !title.includes(String(d.year)) ? `${title} năm ${d.year}` : title;
}

/**
 * Document numbers as running text writes them ("Nghị định số 61/2018/NĐ-CP", "Kế hoạch 18/KH-UBND"): a number, an
 * optional year, the type and issuer's letters. What an article, a bulletin or a meeting's description names, so
 * the documents it made known are recorded without anyone ticking them (see citations.ts).
 */
export function documentNumbersIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of nfc(text).matchAll(
    /(?<![\p{L}\p{N}/])\d{1,5}\/(?:(?:19|20)\d{2}\/)?\p{Lu}{1,6}(?:-\p{Lu}{1,10}){0,3}(?![\p{L}\p{N}])/gu,
  ))
    out.add(m[0]);
  return [...out];
}
