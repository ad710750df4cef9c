/**
 * The search index's model, shared by its parts: the public shapes (documents, options, hits), the field bits and
 * weights of the score, the packed per-document layout, and small numeric helpers (idf, popcount, selection).
 * See index.ts for how the index works as a whole.
 */
import type { QueryToken, SynonymTable } from "./analyze.ts";
import type { Associations } from "./associations.ts";

export interface SearchDoc {
  id: string;
  /** Kind of content: "procedure", "legal", "news", "answer"… */
  kind: string;
  title: string;
  body?: string;
  /** Extra words to be found by (field, other names…): counted like a field between title and body. */
  keywords?: string;
  /** Score multiplier, default 1. */
  boost?: number;
  /** Where the document is shown (e.g. ward codes). No scope: shown everywhere. */
  scope?: readonly string[];
}

export interface SearchOptions {
  /** Default 20, at most 200. */
  limit?: number;
  offset?: number;
  /** Only these kinds. */
  kinds?: readonly string[];
  /** Only documents without a scope or whose scope includes this one (a list: any of these, e.g. a ward and its
   *  province). Absent: no scope filter. */
  scope?: string | readonly string[];
  synonyms?: SynonymTable;
  /** Documents fully scored per query, at most (shared among its readings, never below offset + limit); default
   *  2,000. */
  candidateCap?: number;
  /** Each document's prior in [−1, 1] (by id; absent: 0): what citizens commonly do ranks first among close
   *  results, never above an exact official match (see prior.ts). Absent: lexical order only. */
  prior?: ReadonlyMap<string, number>;
  /** What earlier queries led to (associations.ts): a document associated with the query's words is added to its
   *  lexical score, by up to ASSOCIATION_WEIGHT of the top score, never above an exact official match. */
  associations?: Associations;
}

export interface SearchHit {
  id: string;
  kind: string;
  /** Rounded to 6 decimals; see the formula above. */
  score: number;
  title: string;
  highlights: {
    /** HTML-safe: the escaped title with <mark> around matched syllables. */
    title: string;
  };
}

export interface SearchResult {
  /** Documents matched (exact, even when only the best `candidateCap` were scored). */
  total: number;
  items: SearchHit[];
  /** Not every word matched as typed: results of the fuzzy or partial fallback. */
  approximate: boolean;
  /** The first result was found through the lexicon (an everyday word or abbreviation read as the catalogue's
   *  term): that reading, with the titles' tone marks ("khai sinh"). Absent otherwise. */
  readAs?: string;
}

export interface Suggestions {
  /** The query corrected to words of the titles, with tone marks ("dang ky khai sin" → "đăng ký khai sinh"); null
   *  when no word needed correcting. */
  query: string | null;
  /** Closest titles: those sharing the most (corrected) words, best first. */
  items: SearchHit[];
}

// Field bits of a posting; the same bits shifted by INEXACT mark a prefix or fuzzy match in per-query byte maps.
export const TITLE = 1;
export const KEYWORDS = 2;
export const BODY = 4;
export const INEXACT = 3;
/** Title or keywords, exactly or not. */
export const STRONG = TITLE | KEYWORDS | ((TITLE | KEYWORDS) << INEXACT);

export const W_Q = 60;
export const W_P = 25;
export const W_C = 12;
export const W_D = 3;
export const FIELD_TITLE = 1;
export const FIELD_KEYWORDS = 0.6;
export const FIELD_BODY = 0.4;
export const PREFIX_QUALITY = 0.9;
export const FUZZY_QUALITY = 0.75;
export const FUZZY_MAX = 64;
export const DEFAULT_CAP = 2000;
/** Fewer documents than this hold every word: those missing one word are added. */
export const FEW = 5;
/** Buckets of the prior's histogram in candidate selection. */
export const HIST = 4096;
/** Length classes: one per title length below LEN_EXACT, then one per doubling. */
export const LEN_EXACT = 64;
export const LEN_CLASSES = LEN_EXACT + 5;

export function lenClass(key: number): number {
  return key < LEN_EXACT ? key : Math.min(LEN_CLASSES - 1, LEN_EXACT + Math.floor(Math.log2(key / LEN_EXACT)));
}

/** Title syllables kept per document (titles are titles; beyond this a "title" is a body). */
export const MAX_TITLE_SYLLABLES = 1024;

export interface Doc {
  id: string;
  title: string;
  foldedTitle: string;
}

/** A document's syllables before they are packed into the pools. */
export interface Packed {
  /** Distinct syllable ids of all fields, ascending, and their field bits. */
  syl: Int32Array;
  f: Uint8Array;
  /** Title syllable ids in order, and their tone-key ids. */
  t: Int32Array;
  tt: Int32Array;
}

export class Postings {
  docs = new Int32Array(4);
  fields = new Uint8Array(4);
  n = 0;
  push(slot: number, bits: number): void {
    if (this.n === this.docs.length) {
      this.docs = grow(this.docs, this.n * 2);
      this.fields = grow(this.fields, this.n * 2);
    }
    this.docs[this.n] = slot;
    this.fields[this.n] = bits;
    this.n++;
  }
}

/** A query word resolved against the index. */
export interface Resolved {
  token: QueryToken;
  /** The syllable equal to the word, or -1. */
  exact: number;
  /** Every syllable it matches. */
  sids: number[];
  /** Quality factor of a non-exact match: PREFIX_QUALITY or FUZZY_QUALITY. */
  inexact: number;
  fuzzy: boolean;
  /** Sum of posting lengths: the cost of scanning this word. */
  df: number;
  /** Weight in Q: idf(N, df). */
  weight: number;
  /** Tone-key id when typed with marks (-2: a spelling no title has), -1 when typed without. */
  toneId: number;
}

/** What a reading needs while its candidates are scored. */
export interface Reading {
  rt: Resolved[];
  /** lut[i * 64 + bits]: word i's share of Q for its field bits in a document. */
  lut: Float64Array;
  /** Words typed with tone marks (bit i = word i). */
  toneWords: number;
  /** The adjacent pairs P counts (bit i: words i − 1 and i); all of them but across phrases of a concept reading. */
  pairMask: number;
}

export type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

export function grow<T extends TypedArray>(a: T, size: number): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a as ArrayLike<number> & T);
  return out;
}

export function lowerBound(a: readonly string[], x: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inverse document frequency as in BM25: ln(1 + (N − df + 0.5) / (df + 0.5)). */
export function idf(n: number, df: number): number {
  const d = Math.min(df, n);
  return Math.log(1 + (n - d + 0.5) / (d + 0.5));
}

export function fieldQuality(bits: number): number {
  return bits & TITLE ? FIELD_TITLE : bits & KEYWORDS ? FIELD_KEYWORDS : bits & BODY ? FIELD_BODY : 0;
}

export function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** FNV-1a hash of a string (32 bits). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Optimal-string-alignment distance (Damerau with adjacent transpositions), or max + 1 when above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  const d = prev[n] as number;
  return d > max ? max + 1 : d;
}

/** The k-th largest value (1-based) of `a`, which is reordered: Hoare's selection, linear on average. */
export function kthLargest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = Math.min(Math.max(k, 1), a.length) - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) > pivot) i++;
      while ((a[j] as number) < pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target] as number;
}

/**
 * Indices 0…count−1 of the `n` best items, best first, by `before(a, b)` ("a ranks before b", a strict total order):
 * a bounded heap whose root is the worst kept, so most items cost one comparison.
 */
export function selectTop(count: number, n: number, before: (a: number, b: number) => boolean): number[] {
  if (n <= 0 || count === 0) return [];
  const heap: number[] = [];
  const swap = (i: number, j: number) => {
    const t = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = t;
  };
  for (let x = 0; x < count; x++) {
    if (heap.length < n) {
      heap.push(x);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent] as number, heap[i] as number)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (before(x, heap[0] as number)) {
      heap[0] = x;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let w = i;
        if (l < heap.length && before(heap[w] as number, heap[l] as number)) w = l;
        if (r < heap.length && before(heap[w] as number, heap[r] as number)) w = r;
        if (w === i) break;
        swap(i, w);
        i = w;
      }
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
