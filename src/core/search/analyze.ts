/**
 * Text analysis for search: Vietnamese text → syllables (the unit of the index), query parsing, and expansion of
 * abbreviations and everyday words from an editable synonym table.
 *
 * A syllable's search form is `fold` (vi.ts: lower case, tone marks and other diacritics removed, đ → d, NFC and NFD
 * alike) plus two spelling rules that fold leaves alone:
 *   - a syllable that is an initial consonant + "y" is written with "i" as well (ký/kí, lý/lí, quy/qui, mỹ/mĩ):
 *     both fold to the "i" form, so "đăng kí" finds "đăng ký";
 *   - a number loses its leading zeros ("02" = "2").
 * Its tone key (folded form + the sorted diacritics it carried) tells "đăng ký" from "đang kỳ" for the small bonus
 * given to a query typed with tone marks; tone placement (hoà/hòa) and the ký/kí spelling give the same key.
 */
import { fold } from "../text/vi.ts";

/** A syllable of a text, with where it stands in that text (UTF-16 offsets into the NFC string tokenised). */
export interface Token {
  /** Search form: folded, canonical spelling. */
  folded: string;
  /** Folded form + its diacritics; equals `folded` when the syllable carried none. */
  tone: string;
  /** Position among the text's syllables (0, 1, 2…). */
  pos: number;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARK = /\p{M}/gu;
const Y_AS_I = /^(?:b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)y$/;

interface Analysed {
  folded: string;
  tone: string;
}

const memo = new Map<string, Analysed>();
const MEMO_MAX = 200_000;

/** Search form of one word (already split off), memoised: the vocabulary is small, the texts are many. */
export function analyseWord(word: string): Analysed {
  const hit = memo.get(word);
  if (hit) return hit;
  let folded = fold(word).replace(/[^\p{L}\p{N}]+/gu, "");
  if (Y_AS_I.test(folded)) folded = `${folded.slice(0, -1)}i`;
  else if (/^\d+$/.test(folded)) folded = folded.replace(/^0+(?=\d)/, "");
  const marks = word.normalize("NFD").match(MARK);
  let signature = marks ? marks.sort().join("") : "";
  if (/[đĐ]/.test(word)) signature += "đ";
  const out = { folded, tone: signature ? `${folded}|${signature}` : folded };
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(word, out);
  return out;
}

/** Syllables of a text with their offsets in `text`, which should be NFC (see `nfc` in vi.ts) for highlighting. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const a = analyseWord(m[0].toLowerCase());
    if (!a.folded) continue;
    const start = m.index ?? 0;
    out.push({ folded: a.folded, tone: a.tone, pos: out.length, start, end: start + m[0].length });
  }
  return out;
}

const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/u;

/** Search forms of a text's syllables, in order (as `tokenize`, without offsets; faster on long bodies). */
export function syllables(text: string): string[] {
  const out: string[] = [];
  for (const w of text.toLowerCase().split(NOT_WORD)) {
    if (!w) continue;
    const f = analyseWord(w).folded;
    if (f) out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Synonyms and abbreviations
// ---------------------------------------------------------------------------------------------------------------

/**
 * One entry of the editable table: what citizens type (`from`, one or more words, matched as a phrase on the folded
 * query, so "so do" matches "sổ đỏ") and what the catalogue says instead (`to`, each an alternative). An empty `to`
 * string, or an empty `to` list, marks a filler word the query may do without ("xin", "thủ tục"…).
 * `weight` (default 0.9) scales the score of results found through the expansion: literal words rank first.
 */
export interface SynonymEntry {
  from: string;
  to: readonly string[];
  weight?: number;
}

/** The table as data (e.g. from the database). Compiled once per array instance (cached in a WeakMap): keep the same
 *  array between edits rather than building a new one per query. */
export type SynonymTable = readonly SynonymEntry[];

export const DEFAULT_SYNONYM_WEIGHT = 0.9;

interface CompiledEntry {
  from: string[];
  to: string[][];
  weight: number;
}

const compiled = new WeakMap<SynonymTable, Map<string, CompiledEntry[]>>();

function compile(table: SynonymTable): Map<string, CompiledEntry[]> {
  let byFirst = compiled.get(table);
  if (byFirst) return byFirst;
  byFirst = new Map();
  for (const e of table) {
    const from = syllables(e.from);
    const first = from[0];
    if (first === undefined) continue;
    const alts = e.to.length === 0 ? [[]] : e.to.map((t) => syllables(t));
    const to: string[][] = [];
    for (const alt of alts) if (!to.some((x) => x.join(" ") === alt.join(" "))) to.push(alt);
    const weight = e.weight ?? DEFAULT_SYNONYM_WEIGHT;
    const list = byFirst.get(first) ?? [];
    // Two entries with the same `from`: their alternatives join.
    const same = list.find((x) => x.from.join(" ") === from.join(" "));
    if (same) {
      for (const alt of to) if (!same.to.some((x) => x.join(" ") === alt.join(" "))) same.to.push(alt);
    } else list.push({ from, to, weight });
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.from.length - a.from.length);
  compiled.set(table, byFirst);
  return byFirst;
}

// ---------------------------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------------------------

export interface QueryToken {
  folded: string;
  /** Tone key when the word was typed with diacritics, else null. */
  tone: string | null;
  /** The word may still be being typed (last word, no space after it): it also matches as a prefix. */
  prefix: boolean;
}

export interface QueryVariant {
  tokens: QueryToken[];
  /** Multiplies the score of what this reading of the query finds: 1 for the words as typed. */
  weight: number;
  /** Human-readable form, for debugging and the "searched for" line. */
  text: string;
}

export interface ParsedQuery {
  /** The words as typed. */
  tokens: QueryToken[];
  /** The words as typed first, then readings with abbreviations and everyday words expanded (at most 8). */
  variants: QueryVariant[];
}

export const MAX_QUERY_TOKENS = 16;
export const MAX_VARIANTS = 8;

/** Query words. The last word is a prefix unless the query ends with a space or punctuation. */
export function queryTokens(query: string): QueryToken[] {
  const text = query.normalize("NFC").slice(0, 500);
  const tokens = tokenize(text).slice(0, MAX_QUERY_TOKENS);
  const last = tokens[tokens.length - 1];
  const open = last !== undefined && last.end === text.length;
  return tokens.map((t, i) => ({
    folded: t.folded,
    tone: t.tone === t.folded ? null : t.tone,
    prefix: open && i === tokens.length - 1,
  }));
}

interface SynonymMatch {
  start: number;
  length: number;
  to: string[][];
  weight: number;
}

function findMatches(tokens: QueryToken[], table: SynonymTable): SynonymMatch[] {
  const byFirst = compile(table);
  const out: SynonymMatch[] = [];
  let i = 0;
  while (i < tokens.length) {
    const candidates = byFirst.get((tokens[i] as QueryToken).folded);
    const hit = candidates?.find((e) => e.from.every((w, j) => tokens[i + j]?.folded === w));
    if (hit) {
      out.push({ start: i, length: hit.from.length, to: hit.to, weight: hit.weight });
      i += hit.from.length;
    } else i++;
  }
  return out;
}

function applyMatches(tokens: QueryToken[], choice: (readonly [SynonymMatch, number])[]): QueryVariant {
  const out: QueryToken[] = [];
  let weight = 1;
  let i = 0;
  for (const [m, alt] of choice) {
    out.push(...tokens.slice(i, m.start));
    for (const w of m.to[alt] ?? []) out.push({ folded: w, tone: null, prefix: false });
    weight *= m.weight;
    i = m.start + m.length;
  }
  out.push(...tokens.slice(i));
  return { tokens: out, weight, text: out.map((t) => t.folded).join(" ") };
}

/**
 * Parse a query: its words, and the readings to search. Entries of the synonym table are found leftmost-longest on
 * the folded words; readings are, in order: the words as typed; every match replaced by its first alternative; each
 * match replaced alone (when there are several); every other alternative of each match. Then one more round on the
 * expanded readings, in the same order, so entries chain: "nhap hk" → "nhập hộ khẩu" (hk) → "đăng ký thường trú"
 * (nhập hộ khẩu); their weights multiply. Duplicates and empty readings are dropped; at most MAX_VARIANTS are kept.
 */
export function parseQuery(query: string, synonyms?: SynonymTable): ParsedQuery {
  const tokens = queryTokens(query);
  const literal: QueryVariant = { tokens, weight: 1, text: tokens.map((t) => t.folded).join(" ") };
  const variants = [literal];
  if (!synonyms || synonyms.length === 0 || tokens.length === 0) return { tokens, variants };
  const seen = new Set([literal.text]);
  const add = (v: QueryVariant) => {
    if (variants.length >= MAX_VARIANTS || v.tokens.length === 0 || seen.has(v.text)) return;
    seen.add(v.text);
    variants.push(v);
  };
  const expand = (from: QueryVariant) => {
    const matches = findMatches(from.tokens, synonyms);
    const reading = (choice: (readonly [SynonymMatch, number])[]) => {
      const v = applyMatches(from.tokens, choice);
      return { ...v, weight: v.weight * from.weight };
    };
    if (matches.length === 0) return;
    add(reading(matches.map((m) => [m, 0] as const)));
    if (matches.length > 1) for (const m of matches) add(reading([[m, 0]]));
    for (const m of matches)
      for (let alt = 1; alt < m.to.length; alt++) add(reading(matches.map((x) => [x, x === m ? alt : 0] as const)));
  };
  expand(literal);
  for (const v of variants.slice(1)) expand(v);
  return { tokens, variants };
}
