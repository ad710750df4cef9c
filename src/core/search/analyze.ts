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
  /** Tone keys of `from` (see analyseWord): a filler word is told from its homographs by them. */
  tones: string[];
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
    const tones = tokenize(e.from.normalize("NFC")).map((t) => t.tone);
    const first = from[0];
    if (first === undefined) continue;
    const alts = e.to.length === 0 ? [[]] : e.to.map((t) => syllables(t));
    const to: string[][] = [];
    for (const alt of alts) if (!to.some((x) => x.join(" ") === alt.join(" "))) to.push(alt);
    const weight = e.weight ?? DEFAULT_SYNONYM_WEIGHT;
    const list = byFirst.get(first) ?? [];
    // Two entries with the same `from`: their alternatives join; but homographs once folded ("chuyển đất" a change of
    // use, "chuyện đất" a land matter) stay apart unless both are filler: the tone marks typed choose (findMatches).
    const filler = to.length === 1 && to[0]?.length === 0;
    const same = list.find(
      (x) =>
        x.from.join(" ") === from.join(" ") &&
        (x.tones.join(" ") === tones.join(" ") || (filler && x.to.length === 1 && x.to[0]?.length === 0)),
    );
    if (same) {
      for (const alt of to) if (!same.to.some((x) => x.join(" ") === alt.join(" "))) same.to.push(alt);
    } else list.push({ from, tones, to, weight });
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
  /** Punctuation stands between this word and the one before (a clause boundary): no phrase entry spans it. */
  brk?: true;
}

export interface QueryVariant {
  tokens: QueryToken[];
  /** Multiplies the score of what this reading of the query finds: 1 for the words as typed. */
  weight: number;
  /** Human-readable form, for debugging and the "searched for" line. */
  text: string;
  /** Only the lexicon's matches of a longer sentence: read when no other reading matches strongly (index.ts). */
  concept?: boolean;
  /** Some words were read through the lexicon (an entry with a non-empty `to`), not only left out as filler. */
  lexicon?: boolean;
}

export interface ParsedQuery {
  /** The words as typed. */
  tokens: QueryToken[];
  /** The words as typed first, then readings with abbreviations and everyday words expanded (at most 8). */
  variants: QueryVariant[];
  /** The words no lexicon entry read (concept readings leave them out): they tell a concept's procedures apart. */
  context?: QueryToken[];
}

export const MAX_QUERY_TOKENS = 16;
export const MAX_VARIANTS = 8;
/** Concept readings (`addConceptReadings`) beyond MAX_VARIANTS: a long sentence fills the first eight with expansions. */
export const MAX_CONCEPT_READINGS = 8;

/** Query words. The last word is a prefix unless the query ends with a space or punctuation. */
export function queryTokens(query: string): QueryToken[] {
  const text = query.normalize("NFC").slice(0, 500);
  const tokens = joinDotted(text, tokenize(text)).slice(0, MAX_QUERY_TOKENS);
  const last = tokens[tokens.length - 1];
  const open = last !== undefined && last.end === text.length;
  return tokens.map((t, i) => {
    const before = i > 0 ? text.slice((tokens[i - 1] as Token).end, t.start) : "";
    const a = undoubled(droppedN(t));
    const q: QueryToken = {
      folded: a.folded,
      tone: a.tone === a.folded ? null : a.tone,
      prefix: open && i === tokens.length - 1,
    };
    if (/[^\s]/u.test(before)) q.brk = true;
    return q;
  });
}

/**
 * Two words typed without the space between them and without tone marks ("cancuoc", "khaisinh", "hokhau"): a word
 * that is no syllable, but splits in exactly one way into two syllables of two letters or more, is read as those two.
 * An abbreviation ("cccd", "bhxh") has no such split.
 */
function runTogether(w: string): [string, string] | null {
  if (w.length < 5 || w.length > 14 || SYLLABLE.test(w) || !/^[a-z]+$/.test(w)) return null;
  const found: [string, string][] = [];
  for (let i = 2; i <= w.length - 2; i++) {
    const a = w.slice(0, i);
    const b = w.slice(i);
    if (SYLLABLE.test(a) && SYLLABLE.test(b)) found.push([a, b]);
  }
  // When it splits two ways ("cancuoc": "can|cuoc", "cancu|oc"), the one whose second word opens on a consonant.
  const one = found.length === 1 ? found : found.filter(([, b]) => !/^[aeiouy]/.test(b));
  return one.length === 1 ? (one[0] as [string, string]) : null;
}

/** A Vietnamese initial consonant (or none), one to three vowels, and a final "g": no syllable ends so. */
const VOWEL_G = /^(?:b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?[aeiouy]{1,3}g$/;

/**
 * Phones' small keys drop the "n" of a final "ng" ("lòg", "xog", "thằg", "bằg" for "lòng", "xong", "thằng",
 * "bằng"). No Vietnamese syllable ends in a vowel and "g", so such a word is read with the "n" put back; its tone
 * marks stay. A word of another shape ("blog") is left alone.
 */
function droppedN(t: Token): { folded: string; tone: string } {
  if (!VOWEL_G.test(t.folded)) return t;
  const folded = `${t.folded.slice(0, -1)}ng`;
  return { folded, tone: t.tone === t.folded ? folded : `${folded}${t.tone.slice(t.folded.length)}` };
}

/** A Vietnamese syllable, folded: an initial consonant (or none), one to three vowels, a final consonant (or none). */
const SYLLABLE =
  /^(?:b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?[aeiouy]{1,3}(?:c|ch|m|n|ng|nh|p|t)?$/;

/**
 * A key held a moment too long doubles a letter, most often the last ("doanhh", "nuôii", "sinhh") but also one inside
 * ("sinnh", "thườngg"). No Vietnamese syllable is spelt so ("ưu" folds to "uu" but is a syllable as typed), so a word
 * that is no syllable, but is one with a doubled letter typed once (the last tried first), is read so; its tone marks
 * stay. An abbreviation ("pccc") or a foreign word is left alone.
 */
function undoubled(t: { folded: string; tone: string }): { folded: string; tone: string } {
  const w = t.folded;
  if (w.length < 3 || SYLLABLE.test(w)) return t;
  // The last letter first ("sinhh"), then any other doubled letter ("sinnh", "khaii sinh"), left to right.
  for (const i of [w.length - 2, ...Array.from({ length: w.length - 2 }, (_, k) => k)]) {
    if (w[i] !== w[i + 1]) continue;
    const folded = w.slice(0, i) + w.slice(i + 1);
    if (!SYLLABLE.test(folded)) continue;
    return { folded, tone: t.tone === w ? folded : `${folded}${t.tone.slice(w.length)}` };
  }
  return t;
}

/**
 * An abbreviation typed with dots ("c.c.c.d", "B.H.X.H.", "g.k.s") is one word, as typed without them: a run of two or
 * more single letters, each joined to the next by a dot alone.
 */
export function joinDotted(text: string, tokens: Token[]): Token[] {
  const single = (t: Token | undefined) =>
    t !== undefined && t.end - t.start === 1 && /\p{L}/u.test(text[t.start] ?? "");
  if (!tokens.some((t, i) => single(t) && single(tokens[i + 1]) && text.slice(t.end, tokens[i + 1]?.start) === "."))
    return tokens;
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (single(tokens[j]) && single(tokens[j + 1]) && text.slice(tokens[j]?.end, tokens[j + 1]?.start) === ".") j++;
    const first = tokens[i] as Token;
    if (j > i) {
      const last = tokens[j] as Token;
      const a = analyseWord(text.slice(first.start, last.end).replace(/\./g, "").toLowerCase());
      out.push({ folded: a.folded, tone: a.tone, pos: out.length, start: first.start, end: last.end });
      i = j + 1;
    } else {
      out.push({ ...first, pos: out.length });
      i++;
    }
  }
  return out;
}

interface SynonymMatch {
  start: number;
  length: number;
  to: string[][];
  weight: number;
}

/**
 * The entries found in a query: a tiling of its words by entries, chosen for the longest phrases (the most Σ length²
 * of the entries used), ties to the leftmost, longest entry. So a phrase is not cut by a shorter entry that happens
 * to start first: "chồng mất hộ chiếu" reads "mất hộ chiếu" (a lost passport), not "chồng mất" (a death). At each
 * place, an entry whose tone marks agree with the words as typed wins over a longer homograph (`tonesAgree`).
 */
function findMatches(tokens: QueryToken[], table: SynonymTable): SynonymMatch[] {
  const byFirst = compile(table);
  const n = tokens.length;
  const at: CompiledEntry[][] = [];
  for (let i = 0; i < n; i++) {
    const candidates = byFirst.get((tokens[i] as QueryToken).folded);
    const hits =
      candidates?.filter(
        (e) =>
          e.from.every((w, j) => tokens[i + j]?.folded === w && (j === 0 || tokens[i + j]?.brk !== true)) &&
          (!isFiller(e) || fillerFits(e, tokens, i)) &&
          !saysAlready(e, tokens, i) &&
          (isFiller(e) || e.from.length > 1 || wordFits(e, tokens, i, table)),
      ) ?? [];
    // Longest first, but an entry whose tones agree with the words as typed wins over a longer homograph:
    // "thuê phòng" (renting: temporary residence) rather than "thuế phòng trọ" (a landlord's tax).
    const agreeing = hits.filter((e) => tonesAgree(e, tokens, i));
    at.push(agreeing.length > 0 ? agreeing : hits);
  }
  const best = new Float64Array(n + 1);
  const choice: (CompiledEntry | null)[] = new Array(n).fill(null);
  for (let i = n - 1; i >= 0; i--) {
    best[i] = best[i + 1] as number;
    for (const e of at[i] as CompiledEntry[]) {
      const v = e.from.length * e.from.length + (best[i + e.from.length] as number);
      // Strictly more, or the same as skipping: the entry here (leftmost), the longest first (the list's order).
      if (v > (best[i] as number) || (choice[i] === null && v === best[i])) {
        best[i] = v;
        choice[i] = e;
      }
    }
  }
  const out: SynonymMatch[] = [];
  for (let i = 0; i < n; ) {
    const e = choice[i];
    if (e) {
      out.push({ start: i, length: e.from.length, to: e.to, weight: e.weight });
      i += e.from.length;
    } else i++;
  }
  return out;
}

/**
 * Whether the query already says, from `at`, what one of the entry's longer alternatives says: "bảo hiểm" → "bảo hiểm
 * xã hội" is no reading of "bảo hiểm xã hội" typed in full (it would read "bảo hiểm xã hội xã hội", or "bảo hiểm y tế
 * xã hội"): the catalogue's own words are left as they are.
 */
function saysAlready(e: CompiledEntry, tokens: QueryToken[], at: number): boolean {
  return e.to.some(
    (alt) =>
      alt.length > e.from.length &&
      e.from.every((w, j) => alt[j] === w) &&
      alt.every((w, j) => tokens[at + j]?.folded === w),
  );
}

/** The tone marks (of the five, not the vowel's shape) in a tone key (see analyseWord), sorted. */
const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const toneMarks = (key: string) => [...key.slice(key.indexOf("|") + 1)].filter((c) => TONE_MARKS.has(c)).join("");

/**
 * Whether every word typed with diacritics carries the same tone marks as the entry's word there (a word typed
 * without any mark agrees with every entry; the vowels' shape and đ are left out, as phones often drop them).
 */
function tonesAgree(e: CompiledEntry, tokens: QueryToken[], at: number): boolean {
  for (let j = 0; j < e.from.length; j++) {
    const typed = tokens[at + j]?.tone;
    if (typed != null && toneMarks(typed) !== toneMarks(e.tones[j] ?? "")) return false;
  }
  return true;
}

/**
 * A one-word entry is a homograph's trap once folded ("quán" a shop / "cơ quan", "xuồng" a boat / "xuống", "cấn" /
 * "cần", "đốn" / "đơn"): it reads a word typed with tone marks only when the marks agree (an entry written without
 * any, an abbreviation or a foreign word, agrees with every spelling: "chip", "chíp"), and never a word that, with the
 * word before or after it, spells the catalogue's own wording (the table's expansions): "quê quán", "cơ quan", "lần
 * đầu", "đơn đề nghị". Typed without marks, it never reads a word that a filler entry also spells ("de": "để").
 */
function wordFits(e: CompiledEntry, tokens: QueryToken[], at: number, table: SynonymTable): boolean {
  const token = tokens[at] as QueryToken;
  const marks = toneMarks(e.tones[0] ?? "");
  // Written without diacritics (an abbreviation, a foreign word): no homograph of a Vietnamese word.
  if (e.tones[0] === e.from[0]) return true;
  if (token.tone != null && toneMarks(token.tone) !== marks) return false;
  // Typed bare, a word that is also a filler word's homograph ("de": "đẻ" to give birth, "để" so that) is the filler,
  // by far the more common: the concept needs its tone marks.
  if (
    token.tone == null &&
    compile(table)
      .get(token.folded)
      ?.some((x) => x.from.length === 1 && isFiller(x) && x !== e)
  )
    return false;
  let grams = catalogueBigrams.get(table);
  if (!grams) {
    grams = new Set();
    for (const list of compile(table).values())
      for (const x of list)
        for (const words of x.to) for (let i = 0; i + 1 < words.length; i++) grams.add(`${words[i]} ${words[i + 1]}`);
    catalogueBigrams.set(table, grams);
  }
  const before = tokens[at - 1];
  const after = tokens[at + 1];
  if (before && token.brk !== true && grams.has(`${before.folded} ${token.folded}`)) return false;
  if (after && after.brk !== true && grams.has(`${token.folded} ${after.folded}`)) return false;
  return true;
}

const catalogueBigrams = new WeakMap<SynonymTable, Set<string>>();

const isFiller = (e: CompiledEntry) => e.to.length === 1 && e.to[0]?.length === 0;

/**
 * Folded, many words collide ("cả" all / "cá nhân", "hở" / "hộ", "mà" / "mã"), so a filler entry is dropped from a
 * query only where it cannot be such a homograph: every word typed with tone marks must carry the entry's own
 * marks, and a one-word entry typed without marks is dropped only when the entry itself has none ("em", "ko").
 * Phrases ("cho em hoi", "can giay to gi") are unambiguous enough without marks.
 */
function fillerFits(e: CompiledEntry, tokens: QueryToken[], at: number): boolean {
  for (let j = 0; j < e.from.length; j++) {
    const typed = tokens[at + j]?.tone;
    if (typed != null && typed !== e.tones[j]) return false;
  }
  if (e.from.length === 1 && tokens[at]?.tone == null) return e.tones[0] === e.from[0];
  return true;
}

/**
 * How many words an expansion shares with its neighbours at its edge (at least two, so a single common word is never
 * taken for a repeat): `before` true, the longest tail of `a` (the words already read) that begins `b` (the
 * expansion); false, the longest tail of `a` (the expansion) that begins `b` (the words after it).
 */
function overlap(a: readonly (QueryToken | string)[], b: readonly (QueryToken | string)[], before: boolean): number {
  const word = (x: QueryToken | string) => (typeof x === "string" ? x : x.folded);
  const max = Math.min(a.length, b.length - (before ? 1 : 0));
  for (let n = max; n >= 2; n--) {
    let same = true;
    for (let j = 0; j < n && same; j++)
      if (word(a[a.length - n + j] as QueryToken | string) !== word(b[j] as QueryToken | string)) same = false;
    if (same) return n;
  }
  return 0;
}

function applyMatches(tokens: QueryToken[], choice: (readonly [SynonymMatch, number])[]): QueryVariant {
  const out: QueryToken[] = [];
  let weight = 1;
  let i = 0;
  let lexicon = false;
  for (const [m, alt] of choice) {
    out.push(...tokens.slice(i, m.start));
    const to = m.to[alt] ?? [];
    // A reading of a reading (parseQuery's second round) may expand a part of an earlier expansion: "bảo hiểm" of
    // "bảo hiểm xã hội" → "bảo hiểm xã hội", and the words it already stood beside would come twice ("bảo hiểm xã hội
    // xã hội"; "khai báo" before "khai báo tạm trú"). The words the expansion repeats at its edges are said once.
    const head = overlap(out, to, true);
    const tail = overlap(to, tokens.slice(m.start + m.length), false);
    for (const w of to.slice(head)) out.push({ folded: w, tone: null, prefix: false });
    if (to.length > 0) lexicon = true;
    weight *= m.weight;
    i = m.start + m.length + tail;
  }
  out.push(...tokens.slice(i));
  return lexicon ? { tokens: out, weight, text: textOf(out), lexicon } : { tokens: out, weight, text: textOf(out) };
}

/**
 * Parse a query: its words, and the readings to search, in order:
 *   1. the words as typed, less filler ("cho em hỏi", "cần giấy tờ gì": `withoutFiller`), and their Telex/VNI reading;
 *   2. each of those expanded by the synonym table, entries found leftmost-longest on the folded words: every match
 *      replaced by its first alternative, each match alone (when there are several), every other alternative;
 *   3. one more round on the readings step 2 added, so entries chain: "nhap hk" → "nhập hộ khẩu" (hk) → "đăng ký
 *      thường trú" (nhập hộ khẩu); weights multiply;
 *   4. the concept readings of a long sentence (`addConceptReadings`), read by the index only when nothing else
 *      matches.
 * Duplicates and empty readings are dropped; at most MAX_VARIANTS are kept (and MAX_CONCEPT_READINGS concept
 * readings more), each of at most MAX_QUERY_TOKENS words.
 */
/** A query's words as `parseQuery` reads them before any reading: filler left out, unless it is all filler. */
export function contentTokens(query: string, synonyms?: SynonymTable): QueryToken[] {
  const typed = queryTokens(query);
  const content = synonyms && synonyms.length > 0 ? withoutFiller(typed, synonyms) : typed;
  return content.length > 0 ? content : typed;
}

export function parseQuery(query: string, synonyms?: SynonymTable): ParsedQuery {
  const tokens = contentTokens(query, synonyms);
  const literal: QueryVariant = { tokens, weight: 1, text: textOf(tokens) };
  const variants = [literal];
  const telex = telexReading(tokens);
  if (telex) variants.push(telex);
  if (!synonyms || synonyms.length === 0 || tokens.length === 0) {
    const apart = telexReading(telex?.tokens ?? tokens, true);
    if (apart) variants.push(apart);
    return { tokens, variants };
  }
  const seen = new Set(variants.map((v) => v.text));
  const add = (reading: QueryVariant) => {
    // An expansion may be longer than the query ("sửa tên" → "thay đổi, cải chính, bổ sung thông tin hộ tịch"):
    // the index holds MAX_QUERY_TOKENS words per reading at most.
    const v =
      reading.tokens.length > MAX_QUERY_TOKENS
        ? {
            ...reading,
            tokens: reading.tokens.slice(0, MAX_QUERY_TOKENS),
            text: textOf(reading.tokens.slice(0, MAX_QUERY_TOKENS)),
          }
        : reading;
    const room = v.concept === true ? MAX_VARIANTS + MAX_CONCEPT_READINGS : MAX_VARIANTS;
    if (variants.length >= room || v.tokens.length === 0 || seen.has(v.text)) return;
    seen.add(v.text);
    variants.push(v);
  };
  const expand = (from: QueryVariant, matches: SynonymMatch[]) => {
    const reading = (choice: (readonly [SynonymMatch, number])[]) => {
      const v = applyMatches(from.tokens, choice);
      return { ...v, weight: v.weight * from.weight, ...(v.lexicon || from.lexicon ? { lexicon: true } : {}) };
    };
    if (matches.length === 0) return;
    add(reading(matches.map((m) => [m, 0] as const)));
    if (matches.length > 1) for (const m of matches) add(reading([[m, 0]]));
    for (const m of matches)
      for (let alt = 1; alt < m.to.length; alt++) add(reading(matches.map((x) => [x, x === m ? alt : 0] as const)));
  };
  const literalMatches = lostPaper(tokens, findMatches(tokens, synonyms));
  const telexMatches = telex ? findMatches(telex.tokens, synonyms) : [];
  const firstRound = variants.length;
  expand(literal, literalMatches);
  if (telex) expand(telex, telexMatches);
  // Words run together are read apart unless the lexicon knows them as typed (a foreign word, "photo", "honda").
  const known = new Uint8Array(tokens.length);
  for (const m of [...literalMatches, ...telexMatches]) known.fill(1, m.start, m.start + m.length);
  const apart = telexReading(telex?.tokens ?? tokens, true, known);
  if (apart && variants.length < MAX_VARIANTS) {
    add(apart);
    expand(apart, findMatches(apart.tokens, synonyms));
  }
  for (const v of variants.slice(firstRound)) expand(v, findMatches(v.tokens, synonyms));
  const own = catalogueWords(tokens, literalMatches, synonyms);
  addConceptReadings(tokens, literalMatches, add, own);
  const read = new Uint8Array(tokens.length);
  for (const m of [...literalMatches, ...own]) read.fill(1, m.start, m.start + m.length);
  return { tokens, variants, context: tokens.filter((_, i) => read[i] === 0) };
}

/** Words naming a paper a citizen holds (giấy, tờ, thẻ, sổ, bằng, bìa), folded. */
const PAPER = new Set(["giay", "to", "the", "so", "bang", "bia", "cavet"]);
/**
 * Words that, just before "mất", make it a death ("ba tui mới mất", "ông nội mất"): "just now" and kin seldom used as
 * "I" in a query (not "em", "con", "tui": "em mất cccd" is a loss), folded.
 */
const DEATH_BEFORE = new Set([
  "moi",
  "vua",
  "da",
  "ba",
  "bo",
  "me",
  "ma",
  "cha",
  "ong",
  "chong",
  "vo",
  "noi",
  "ngoai",
  "cu",
]);
/** The tone marks of "mất" (see toneMarks): "mát", "mặt", "mạt" typed with their marks are other words. */
const MAT_MARKS = "\u0301";

/**
 * "Mất" before a paper is losing it, not a death ("mất đkx", "mat giay ghe", "mất BHYT"): where no entry reads "mất"
 * and the next word, in the same clause, names a paper (PAPER), is an abbreviation (no Vietnamese syllable: a paper's
 * or a scheme's initials), or begins an entry whose reading names a paper, "mất" is read as "cấp lại", so the concept
 * readings name the paper's reissue (unless the word before makes it a death: DEATH_BEFORE) ("đăng ký lại" second: a lost civil-status paper is registered again). Before a person ("bố mất") it stays a death, read by the lexicon's entries.
 */
function lostPaper(tokens: QueryToken[], found: SynonymMatch[]): SynonymMatch[] {
  let out: SynonymMatch[] | null = null;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i] as QueryToken;
    const next = tokens[i + 1] as QueryToken;
    if (t.folded !== "mat" || (t.tone !== null && toneMarks(t.tone) !== MAT_MARKS) || next.brk === true) continue;
    if (found.some((m) => m.start <= i && i < m.start + m.length)) continue;
    const before = tokens[i - 1];
    if (before && t.brk !== true && DEATH_BEFORE.has(before.folded)) continue;
    const after = found.find((m) => m.start === i + 1);
    const paper =
      PAPER.has(next.folded) ||
      (!SYLLABLE.test(next.folded) && /^[a-z]+$/.test(next.folded)) ||
      (after?.to[0] ?? []).some((w) => PAPER.has(w));
    if (!paper) continue;
    out ??= [...found];
    out.push({
      start: i,
      length: 1,
      to: [
        ["cap", "lai"],
        ["dang", "ki", "lai"],
      ],
      weight: 0.95,
    });
  }
  return out ? out.sort((a, b) => a.start - b.start) : found;
}

const catalogueGrams = new WeakMap<SynonymTable, Set<string>>();

/**
 * The catalogue's own words a sentence names outside the lexicon's matches ("người nước ngoài kết hôn với người
 * việt": "kết hôn" is no everyday word, the catalogue says it so): runs of two to four words that some entry's
 * catalogue wording holds as they stand, leftmost-longest, read as concepts of their own (`addConceptReadings`)
 * rather than dropped from the concept readings.
 */
function catalogueWords(tokens: QueryToken[], found: SynonymMatch[], table: SynonymTable): SynonymMatch[] {
  let grams = catalogueGrams.get(table);
  if (!grams) {
    grams = new Set();
    for (const list of compile(table).values())
      for (const e of list)
        for (const alt of e.to)
          for (let n = 2; n <= 4; n++)
            for (let i = 0; i + n <= alt.length; i++) grams.add(alt.slice(i, i + n).join(" "));
    catalogueGrams.set(table, grams);
  }
  const taken = new Uint8Array(tokens.length);
  for (const m of found) taken.fill(1, m.start, m.start + m.length);
  const out: SynonymMatch[] = [];
  for (let i = 0; i < tokens.length; ) {
    let hit = 0;
    for (let n = 4; n >= 2 && hit === 0; n--) {
      if (i + n > tokens.length) continue;
      const run = tokens.slice(i, i + n);
      if (run.some((t, j) => taken[i + j] === 1 || (j > 0 && t.brk === true) || /^\d+$/.test(t.folded))) continue;
      if (grams.has(textOf(run))) hit = n;
    }
    if (hit > 0) {
      out.push({ start: i, length: hit, to: [tokens.slice(i, i + hit).map((t) => t.folded)], weight: 1 });
      i += hit;
    } else i++;
  }
  return out;
}

const textOf = (tokens: readonly QueryToken[]) => tokens.map((t) => t.folded).join(" ");

/**
 * A citizen's sentence holds a few words the lexicon knows ("ba tui mới mất, mần giấy chứng tử ở đâu") among many it
 * does not; requiring every word fails, and the fallback would rank whatever shares most words. So the lexicon's
 * matches alone are read too, when no reading keeping every word matches in a title or keywords (`concept`): all together
 * ("khai tử"), then each alone when there are several: within a clause the first named first (the head of a
 * Vietnamese phrase comes first: "tiền tuất khi người thân mất" is about the benefit), but the last clause first (a
 * sentence sets its topic, then asks: "chồng mất, nhà không ai làm ra tiền, xin vào diện nghèo" asks about poverty,
 * the death is its background). `found`: the query's matches.
 *
 * All together, the concepts are read with each match's other alternatives too ("giấy hôn thú" + "bị cháy" →
 * "đăng ký kết hôn" + "cấp lại" or "đăng ký lại": only the second names "đăng ký lại kết hôn"), and each concept
 * starts a phrase of its own (`brk`): the order in which a citizen names two things says nothing of the order a
 * title names them in. A reading of all the concepts accounts for more of the sentence than one concept alone, so
 * it weighs more when it matches. A match that only reads a number word as a digit ("một" → "1") is no concept.
 */
function addConceptReadings(
  tokens: QueryToken[],
  found: SynonymMatch[],
  add: (v: QueryVariant) => void,
  own: SynonymMatch[] = [],
) {
  const same = (m: SynonymMatch) => (m.to[0] ?? []).join(" ") === textOf(tokens.slice(m.start, m.start + m.length));
  const numeric = (m: SynonymMatch) =>
    (m.to[0] ?? []).every((w) => /^\d+$/.test(w)) ||
    tokens.slice(m.start, m.start + m.length).every((t) => /^\d+$/.test(t.folded));
  // The same concept named twice ("xin khất … chưa đủ tiền nộp" → ghi nợ, ghi nợ) is read once.
  const named = new Set<string>();
  const kept = found.filter((m) => {
    if ((m.to[0]?.length ?? 0) === 0 || same(m) || numeric(m)) return false;
    const key = (m.to[0] ?? []).join(" ");
    if (named.has(key)) return false;
    named.add(key);
    return true;
  });
  // A word of two senses whose second sense another concept of the sentence already says in full is that sense, so
  // no concept of its own: "chứng minh" (an identity card, or a proof: "xác nhận") beside "chưa chồng" (xác nhận tình
  // trạng hôn nhân) is that proof, not a card.
  const within = (words: readonly string[], of: readonly string[]) =>
    ` ${of.join(" ")} `.includes(` ${words.join(" ")} `);
  const matches = kept.filter(
    (m) =>
      !kept.some(
        (n) =>
          n !== m &&
          m.to.some(
            (alt, i) => i > 0 && alt.length > 0 && alt.length < (n.to[0]?.length ?? 0) && within(alt, n.to[0] ?? []),
          ),
      ),
  );
  if (matches.length === 0) return;
  const reading = (list: (readonly [SynonymMatch, number])[], weight: number): QueryVariant => {
    const out: QueryToken[] = [];
    for (const [m, alt] of list)
      (m.to[alt] ?? []).forEach((w, j) => {
        out.push(
          j === 0 && out.length > 0
            ? { folded: w, tone: null, prefix: false, brk: true }
            : { folded: w, tone: null, prefix: false },
        );
      });
    return { tokens: out, weight, text: textOf(out), concept: true, lexicon: true };
  };
  // The catalogue's own words the sentence names besides (`catalogueWords`), with every concept, first.
  if (own.length > 0)
    add(
      reading(
        [...matches, ...own].sort((a, b) => a.start - b.start).map((m) => [m, 0] as const),
        CONCEPTS_ALL_WEIGHT,
      ),
    );
  const covered = matches.reduce((n, m) => n + m.length, 0);
  if (covered === tokens.length && matches.length === 1) return;
  if (covered < tokens.length || matches.length > 1) {
    const all = matches.length > 1 ? CONCEPTS_ALL_WEIGHT : 0.95;
    add(
      reading(
        matches.map((m) => [m, 0] as const),
        all,
      ),
    );
    // Other alternatives, fewest changes first: one match's second, then two matches' ("hộ khẩu" + "bị sai" →
    // "cư trú" + "điều chỉnh" when neither's first alternative names the procedure), within the budget.
    if (matches.length > 1) {
      const combos: number[][] = [];
      const walk = (i: number, pick: number[], changed: number) => {
        if (combos.length > 64) return;
        if (i === matches.length) {
          if (changed > 0 && changed <= 2) combos.push([...pick]);
          return;
        }
        const n = Math.min((matches[i] as SynonymMatch).to.length, 3);
        for (let alt = 0; alt < n; alt++) walk(i + 1, [...pick, alt], changed + (alt > 0 ? 1 : 0));
      };
      walk(0, [], 0);
      const changes = (c: number[]) => c.filter((a) => a > 0).length;
      combos.sort((a, b) => changes(a) - changes(b) || a.reduce((x, y) => x + y, 0) - b.reduce((x, y) => x + y, 0));
      for (const c of combos.slice(0, 3))
        add(
          reading(
            matches.map((x, i) => [x, c[i] ?? 0] as const),
            all * 0.99 ** changes(c),
          ),
        );
    }
  }
  if (matches.length > 1) {
    const clause = (m: SynonymMatch) => tokens.slice(0, m.start + 1).filter((t, i) => i > 0 && t.brk === true).length;
    const order = [...matches].sort((a, b) => clause(b) - clause(a) || a.start - b.start);
    // Three concepts or more that no title names together: two of them may ("ông Tây … chết" + "thuê nhà" → khai
    // tử có yếu tố nước ngoài), before each alone; pairs with a later clause's concept first, in the sentence's order.
    if (matches.length > 2) {
      let k = 0;
      for (let i = 0; i < order.length; i++)
        for (let j = i + 1; j < order.length; j++) {
          const a = order[i] as SynonymMatch;
          const b = order[j] as SynonymMatch;
          const pair = a.start < b.start ? [a, b] : [b, a];
          add(
            reading(
              pair.map((m) => [m, 0] as const),
              CONCEPTS_PAIR_WEIGHT * 0.99 ** k++,
            ),
          );
        }
    }
    order.forEach((m, i) => {
      add(reading([[m, 0]], 0.9 * 0.97 ** i));
    });
  }
}

/** Weight of the reading of all of a sentence's concepts together (one concept alone: 0.9 and less). */
export const CONCEPTS_ALL_WEIGHT = 0.95;
/** Weight of a reading of two of a sentence's three or more concepts: between all of them and one alone. */
export const CONCEPTS_PAIR_WEIGHT = 0.93;

/** The query without the words of filler entries (an empty `to`), found leftmost-longest among all entries. */
export function withoutFiller(tokens: QueryToken[], synonyms: SynonymTable): QueryToken[] {
  const drop = new Set<number>();
  for (const m of findMatches(tokens, synonyms))
    if (m.to.length === 1 && m.to[0]?.length === 0) for (let i = m.start; i < m.start + m.length; i++) drop.add(i);
  if (drop.size === 0) return tokens;
  // A boundary before a dropped word passes to the next word kept ("ba mất, mần giấy": "giấy" starts a clause).
  const kept: QueryToken[] = [];
  let brk = false;
  tokens.forEach((t, i) => {
    if (drop.has(i)) brk ||= t.brk === true;
    else {
      kept.push(brk && t.brk !== true ? { ...t, brk: true } : t);
      brk = false;
    }
  });
  // The last word typed may be a prefix still being typed; a filler word after it closes it.
  return kept.map((t, i) => (t.prefix && i < kept.length - 1 ? { ...t, prefix: false } : t));
}

// ---------------------------------------------------------------------------------------------------------------
// Telex and VNI leftovers
// ---------------------------------------------------------------------------------------------------------------

const TELEX_TONE = /^([a-z]*[aeiouy][a-z]*?)([sfrxj])$/;
const VNI_TONE = /^([a-z]*[aeiouy][a-z]*?)([1-5])$/;
const TELEX_VOWELS: [RegExp, string][] = [
  [/dd/g, "d"],
  [/aa|aw|a8|a6/g, "a"],
  [/ee|e6/g, "e"],
  [/oo|ow|o7|o6/g, "o"],
  [/uw|u7/g, "u"],
  [/d9/g, "d"],
];
/** Telex's own spellings (tone letter last, doubled vowels) that are never Vietnamese syllables as typed. */
const LOOKS_TELEX = /(?:dd|aa|aw|ee|oo|ow|uw|w)|[aeiouy][a-z]*[sfrxj]$|[a-z][1-9]/;

/**
 * A phone with no Vietnamese keyboard, or one left in the wrong mode, leaves Telex ("dangw kys khai sinh") or VNI
 * ("da8ng ky1") letters in the words. Each word that looks like that is read back to its folded syllable ("kys" →
 * "ky", "dduwowngf" → "duong"); a word that is a plain syllable stays. Null when no word changed; the reading
 * weighs 0.97 so the words as typed win when both match. With `apart`, the reading instead splits two words run
 * together without tone marks ("cancuoc" → "can cuoc", `runTogether`), of the Telex reading when there is one; it
 * weighs 0.96, beside the words as typed, which a foreign word the lexicon knows ("photo", "honda") keeps.
 */
export function telexReading(tokens: QueryToken[], apart = false, known?: Uint8Array): QueryVariant | null {
  if (apart && !tokens.some((t, i) => t.tone === null && !known?.[i] && runTogether(t.folded))) return null;
  let changed = false;
  const out = tokens.flatMap((t, i): QueryToken[] => {
    const w = t.folded;
    const two = apart && t.tone === null && !known?.[i] ? runTogether(w) : null;
    if (two) {
      changed = true;
      return [
        { ...t, folded: two[0], prefix: false },
        { folded: two[1], tone: null, prefix: t.prefix },
      ];
    }
    if (apart || !/^[a-z0-9]+$/.test(w) || /^\d+$/.test(w) || !LOOKS_TELEX.test(w)) return [t];
    let r = w;
    const tone = TELEX_TONE.exec(r) ?? VNI_TONE.exec(r);
    if (tone && (tone[1]?.length ?? 0) >= 1) r = tone[1] as string;
    for (const [re, to] of TELEX_VOWELS) r = r.replace(re, to);
    // "w" is no Vietnamese letter: Telex's breve/horn key wherever it was typed ("dangw" → "dang").
    r = r.replace(/w/g, "").replace(/(?<=[a-z])[1-9]/g, "");
    if (Y_AS_I.test(r)) r = `${r.slice(0, -1)}i`;
    if (!r || r === w) return [t];
    changed = true;
    return [{ folded: r, tone: null, prefix: t.prefix }];
  });
  if (out.length > MAX_QUERY_TOKENS) out.length = MAX_QUERY_TOKENS;
  return changed ? { tokens: out, weight: apart ? 0.96 : 0.97, text: out.map((t) => t.folded).join(" ") } : null;
}
