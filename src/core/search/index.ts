/**
 * In-memory search index: every kind of public content (procedures, legal documents, news, published answers) joins
 * through `upsert`. The database stays the source of truth; a server process builds this index from its rows and
 * rebuilds or patches it when their version changes, so ranking is computed here, identically on SQLite and
 * PostgreSQL, whatever order the rows come in.
 *
 * Structure: syllable (search form, see analyze.ts) → postings (document slot + the fields it occurs in: title,
 * keywords, body); for the common syllables (in at least max(256, N/32) documents) also two bitmaps, bit = slot:
 * documents holding it anywhere, in the title. Per document, in packed arrays: its title's syllables in order and
 * their tone keys (phrase, coverage, diacritics), its distinct syllables with field bits, title length, boost, kind,
 * scope; bitmaps of the live documents by kind, by scope and by title-length class. Body and keywords count by
 * presence only (no positions), so long bodies stay cheap. Removal leaves postings of dead slots, skipped, until a
 * compaction renumbers the slots (when more are dead than alive).
 *
 * Matching, per reading of the query (the words as typed, then synonym expansions; see parseQuery):
 *   - a word matches a syllable whole; the last word, while still being typed (no space after it), also matches as a
 *     prefix ("khai si" → "khai sinh"); any word that is no syllable of the index matches as a prefix;
 *   - a document matches when it holds every word (in any field) and passes the filters (kinds, scope):
 *       · every word common: AND of the words' bitmaps (each the OR of its syllables'), with the filter's bitmap;
 *         the total is a popcount;
 *       · otherwise from the rarest word's postings, each further word either marking its postings or looked up in
 *         each remaining document, whichever is cheaper (or, when the rarest word is common, byte maps and a sweep);
 *   - when no reading matches every word, words that match nothing match fuzzily (Damerau edit distance 1, or 2 for
 *     words of 6 letters and more: "sihn" → "sinh"); when that fails too, the documents holding half of the words, or
 *     words that carry half of the query's weight (rare words weigh more), are ranked. Either way the result says
 *     `approximate`. When fewer than 5 documents hold every word of a 3+ word query in their title or keywords (a
 *     word found only in a body is a weak match: "bị mất hộ chiếu" in the list of papers of a procedure about
 *     something else), those missing one word are added (ranked by the same formula, so, as a rule, after the full
 *     matches);
 *   - candidate cap: past `candidateCap` matches (default 2,000, shared among the readings) only that many are
 *     scored in full, chosen without looking at titles: from bitmaps, the documents holding every word in the title
 *     first, shortest titles (length / boost) first, walking the length classes with AND + popcount so only about
 *     `candidateCap` documents are visited; from postings, by a prior (Q below and a coverage estimate) with a
 *     histogram and linear selection. Ties by a hash of the id, then the id: deterministic whatever the order of
 *     the rows. A very common syllable ("thu", "dang", "xa") so costs a few bitmap passes, not a scoring of every
 *     document holding it; `total` stays exact.
 *
 * Score of a document for a reading of k words w₁…w_k, in [0, 100 × weight × boost]:
 *
 *   score = weight × boost × (60·Q + 25·P + 12·C + 3·D)
 *
 *   Q  words present: Σ idfᵢ·qualityᵢ / Σ idfᵢ, where qualityᵢ is the best place wᵢ is found: title 1, keywords 0.6,
 *      body 0.4; × 0.9 when found only as a prefix, × 0.75 only fuzzily; idfᵢ = ln(1 + (N − dfᵢ + 0.5)/(dfᵢ + 0.5))
 *      over all documents (dfᵢ: postings of every syllable wᵢ matches), so rare words weigh more. Every word in the
 *      title → 1.
 *   P  phrase: share of the k − 1 adjacent query word pairs (wᵢ, wᵢ₊₁) found at adjacent title syllables, in order;
 *      for one word, 1 when it is in the title. "dang ky khai sinh" in "Thủ tục đăng ký khai sinh" → 1; in "Thủ tục
 *      đăng ký lại khai sinh" → 2/3.
 *   C  title coverage: Σ idf of the title syllables matched by some word / Σ idf of all its syllables, idf over
 *      titles (a syllable matched only as a prefix or fuzzily counts half). Among titles holding the whole query the
 *      shortest wins, and frequent filler ("Thủ tục …") weighs little: "Thủ tục đăng ký khai sinh" before "… lưu
 *      động", "… có yếu tố nước ngoài".
 *   D  diacritics: among the words typed with tone marks, the share found in the title with exactly those marks
 *      ("đăng ký" rather than "đang kỳ"; tone placement and ký/kí do not matter); 0 for a query without marks.
 *   weight  1 for the words as typed; for an expanded reading, the synonym entries' weights multiplied (default 0.9).
 *           A document found by several readings keeps its best score.
 *   boost   the document's own (default 1), e.g. to lift a kind of content or a featured page.
 *
 * Ties (equal scores, rounded to 1e-6) are broken by folded title, then title, then id: the same order on every run
 * and every database. The statistics (idf) depend only on the documents indexed, not on the order they came in.
 */
import { nfc } from "../text/vi.ts";
import {
  analyseWord,
  MAX_QUERY_TOKENS,
  type ParsedQuery,
  parseQuery,
  type QueryToken,
  type SynonymTable,
  syllables,
  tokenize,
} from "./analyze.ts";
import { highlight } from "./highlight.ts";

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
}

export interface Suggestions {
  /** The query corrected to words of the titles, with tone marks ("dang ky khai sin" → "đăng ký khai sinh"); null
   *  when no word needed correcting. */
  query: string | null;
  /** Closest titles: those sharing the most (corrected) words, best first. */
  items: SearchHit[];
}

// Field bits of a posting; the same bits shifted by INEXACT mark a prefix or fuzzy match in per-query byte maps.
const TITLE = 1;
const KEYWORDS = 2;
const BODY = 4;
const INEXACT = 3;
/** Title or keywords, exactly or not. */
const STRONG = TITLE | KEYWORDS | ((TITLE | KEYWORDS) << INEXACT);

const W_Q = 60;
const W_P = 25;
const W_C = 12;
const W_D = 3;
const FIELD_TITLE = 1;
const FIELD_KEYWORDS = 0.6;
const FIELD_BODY = 0.4;
const PREFIX_QUALITY = 0.9;
const FUZZY_QUALITY = 0.75;
const FUZZY_MAX = 64;
const DEFAULT_CAP = 2000;
/** Fewer documents than this hold every word: those missing one word are added. */
const FEW = 5;
/** Buckets of the prior's histogram in candidate selection. */
const HIST = 4096;
/** Length classes: one per title length below LEN_EXACT, then one per doubling. */
const LEN_EXACT = 64;
const LEN_CLASSES = LEN_EXACT + 5;

function lenClass(key: number): number {
  return key < LEN_EXACT ? key : Math.min(LEN_CLASSES - 1, LEN_EXACT + Math.floor(Math.log2(key / LEN_EXACT)));
}

/** Title syllables kept per document (titles are titles; beyond this a "title" is a body). */
const MAX_TITLE_SYLLABLES = 1024;

interface Doc {
  id: string;
  title: string;
  foldedTitle: string;
}

/** A document's syllables before they are packed into the pools. */
interface Packed {
  /** Distinct syllable ids of all fields, ascending, and their field bits. */
  syl: Int32Array;
  f: Uint8Array;
  /** Title syllable ids in order, and their tone-key ids. */
  t: Int32Array;
  tt: Int32Array;
}

class Postings {
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
interface Resolved {
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
interface Reading {
  rt: Resolved[];
  /** lut[i * 64 + bits]: word i's share of Q for its field bits in a document. */
  lut: Float64Array;
  /** Words typed with tone marks (bit i = word i). */
  toneWords: number;
}

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

function grow<T extends TypedArray>(a: T, size: number): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a as ArrayLike<number> & T);
  return out;
}

function lowerBound(a: readonly string[], x: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inverse document frequency as in BM25: ln(1 + (N − df + 0.5) / (df + 0.5)). */
function idf(n: number, df: number): number {
  const d = Math.min(df, n);
  return Math.log(1 + (n - d + 0.5) / (d + 0.5));
}

function fieldQuality(bits: number): number {
  return bits & TITLE ? FIELD_TITLE : bits & KEYWORDS ? FIELD_KEYWORDS : bits & BODY ? FIELD_BODY : 0;
}

function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** FNV-1a hash of a string (32 bits). */
function fnv1a(text: string): number {
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
function kthLargest(a: Float64Array, k: number): number {
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
function selectTop(count: number, n: number, before: (a: number, b: number) => boolean): number[] {
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

export class SearchIndex {
  // Dictionary of syllables.
  private readonly sylIds = new Map<string, number>();
  private readonly sylText: string[] = [];
  /** Syllables sorted, for prefix ranges. */
  private readonly sorted: string[] = [];
  private readonly sortedIds: number[] = [];
  private readonly postings: Postings[] = [];
  /** Live documents holding the syllable in their title. */
  private titleDf = new Int32Array(64);
  // Tone keys of title syllables: their id, first spelling seen (for corrected queries), counts per syllable.
  private readonly toneIds = new Map<string, number>();
  private readonly toneSpelling: string[] = [];
  private readonly toneCounts = new Map<number, Map<number, number>>();
  // Kinds and scope sets, interned.
  private readonly kindIds = new Map<string, number>();
  private readonly kindNames: string[] = [];
  private readonly scopeSetIds = new Map<string, number>([["", 0]]);
  private readonly scopeSets: (readonly string[])[] = [[]];
  // Documents: objects for what queries rarely touch, packed arrays per slot for what they touch often.
  private docs: (Doc | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private alive = new Uint8Array(1024);
  private kindOf = new Uint16Array(1024);
  private scopeOf = new Uint32Array(1024);
  private lenOf = new Uint16Array(1024);
  private titleAt = new Uint32Array(1024);
  private boostOf = new Float64Array(1024);
  private hashOf = new Uint32Array(1024);
  /** Title length over boost, clamped to MAX_TITLE_SYLLABLES: the order of candidates past the cap. */
  private lenKey = new Uint16Array(1024);
  private sylAt = new Uint32Array(1024);
  private sylLen = new Uint32Array(1024);
  // Pools: title syllables and tone keys (from titleAt, lenOf long), distinct syllables and field bits (from sylAt,
  // sylLen long). Removed documents leave garbage until compaction.
  private titlePool = new Int32Array(16384);
  private tonePool = new Int32Array(16384);
  private poolUsed = 0;
  private sylPool = new Int32Array(65536);
  private fieldPool = new Uint8Array(65536);
  private sylPoolUsed = 0;
  private dead = 0;
  private sylEntries = 0;
  // Scratch of upsert over the dictionary.
  private docStamp = new Uint32Array(1024);
  private docBitsOf = new Uint8Array(1024);
  private genDoc = 0;
  // Per-query scratch over slots.
  private fm: Uint8Array[] = [];
  private stampA = new Uint32Array(0);
  private stampB = new Uint32Array(0);
  private bestScore = new Float64Array(0);
  private bestVariant = new Uint8Array(0);
  private bestStamp = new Uint32Array(0);
  /** Slots counted among the strong matches of the current query (generation genBest). */
  private strongStamp = new Uint32Array(0);
  private bufA = new Int32Array(0);
  private bufB = new Int32Array(0);
  private genA = 0;
  private genB = 0;
  private genBest = 0;
  private prior = new Float64Array(0);
  private selectBuf = new Float64Array(0);
  private bucketOf = new Uint16Array(0);
  private readonly hist = new Uint32Array(HIST);
  // Bitmaps (bit = slot) of the common syllables: documents holding the syllable in any field, in the title. Kept
  // exact on add and remove; built when a syllable becomes common (liveDf ≥ max(256, N/32)).
  private bitsAny: (Uint32Array | undefined)[] = [];
  private bitsTitle: (Uint32Array | undefined)[] = [];
  private liveDf = new Int32Array(64);
  private aliveBits = new Uint32Array(32);
  // Per-query bitmap scratch.
  private accBits = new Uint32Array(0);
  private titleAllBits = new Uint32Array(0);
  private orBits = new Uint32Array(0);
  private unionBits = new Uint32Array(0);
  /** Live documents by kind, by scope set. */
  private kindBits: Uint32Array[] = [];
  private scopeBits: Uint32Array[] = [];
  private admitBits = new Uint32Array(0);
  /** Live documents by length class of their title (see lenClass). */
  private lenClassBits: (Uint32Array | undefined)[] = [];
  private pickBits = new Uint32Array(0);
  /** Largest boost ever indexed: bounds the prior. */
  private maxBoost = 1;
  // Per-query scratch over syllables: which query words a syllable matches.
  private sylStamp = new Uint32Array(0);
  private sylMask = new Uint32Array(0);
  private sylExactMask = new Uint32Array(0);
  private genSyl = 0;
  /** Title weight of each syllable, idf(N, titleDf), recomputed after changes. */
  private idf = new Float64Array(0);
  private idfStale = true;

  /** Live documents. */
  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Add a document, or replace the one with the same id. */
  upsert(doc: SearchDoc): void {
    if (typeof doc.id !== "string" || doc.id === "") throw new Error("search: document id required");
    this.remove(doc.id);
    const title = nfc(doc.title ?? "");
    const titleTokens = tokenize(title).slice(0, MAX_TITLE_SYLLABLES);
    const t = new Int32Array(titleTokens.length);
    const tt = new Int32Array(titleTokens.length);
    // Distinct syllables and their field bits, with scratch arrays over the dictionary.
    if (this.genDoc > 0xfff00000) {
      this.docStamp.fill(0);
      this.genDoc = 0;
    }
    const g = ++this.genDoc;
    const distinct: number[] = [];
    const add = (sid: number, bit: number) => {
      if (sid >= this.docStamp.length) {
        this.docStamp = grow(this.docStamp, Math.max(1024, sid * 2));
        this.docBitsOf = grow(this.docBitsOf, this.docStamp.length);
      }
      if (this.docStamp[sid] !== g) {
        this.docStamp[sid] = g;
        this.docBitsOf[sid] = bit;
        distinct.push(sid);
      } else (this.docBitsOf[sid] as number) |= bit;
    };
    titleTokens.forEach((tok, i) => {
      const sid = this.syllableId(tok.folded);
      t[i] = sid;
      tt[i] = this.toneId(tok.tone, title.slice(tok.start, tok.end).toLowerCase());
      add(sid, TITLE);
    });
    for (const w of syllables(nfc(doc.keywords ?? ""))) add(this.syllableId(w), KEYWORDS);
    for (const w of syllables(nfc(doc.body ?? ""))) add(this.syllableId(w), BODY);
    const syl = Int32Array.from(distinct).sort();
    const f = new Uint8Array(syl.length);
    for (let i = 0; i < syl.length; i++) f[i] = this.docBitsOf[syl[i] as number] as number;
    let kind = this.kindIds.get(doc.kind);
    if (kind === undefined) {
      kind = this.kindNames.length;
      this.kindIds.set(doc.kind, kind);
      this.kindNames.push(doc.kind);
    }
    const scopeKey = doc.scope && doc.scope.length > 0 ? [...new Set(doc.scope)].sort().join("\u0000") : "";
    let scope = this.scopeSetIds.get(scopeKey);
    if (scope === undefined) {
      scope = this.scopeSets.length;
      this.scopeSetIds.set(scopeKey, scope);
      this.scopeSets.push(scopeKey.split("\u0000"));
    }
    const boost = doc.boost !== undefined && Number.isFinite(doc.boost) && doc.boost > 0 ? doc.boost : 1;
    if (boost > this.maxBoost) this.maxBoost = boost;
    const record: Doc = { id: doc.id, title, foldedTitle: titleTokens.map((x) => x.folded).join(" ") };
    const slot = this.docs.length;
    this.docs.push(record);
    this.slotOf.set(doc.id, slot);
    this.place(slot, record, { syl, f, t, tt }, kind, scope, boost);
    this.link(slot, +1);
  }

  /** Remove a document; false when there was none with this id. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.docs[slot] = undefined;
    this.alive[slot] = 0;
    (this.aliveBits[slot >>> 5] as number) &= ~(1 << (slot & 31));
    for (const bits of [
      this.lenClassBits[lenClass(this.lenKey[slot] as number)],
      this.kindBits[this.kindOf[slot] as number],
      this.scopeBits[this.scopeOf[slot] as number],
    ])
      if (bits) (bits[slot >>> 5] as number) &= ~(1 << (slot & 31));
    this.dead++;
    this.link(slot, -1);
    if (this.dead > 1024 && this.dead > this.slotOf.size) this.compact();
    return true;
  }

  /** Remove every document. */
  clear(): void {
    for (const p of this.postings) p.n = 0;
    this.titleDf.fill(0);
    this.liveDf.fill(0);
    this.bitsAny = [];
    this.bitsTitle = [];
    this.aliveBits.fill(0);
    this.lenClassBits = [];
    this.kindBits = [];
    this.scopeBits = [];
    this.toneCounts.clear();
    this.docs = [];
    this.slotOf.clear();
    this.alive.fill(0);
    this.poolUsed = 0;
    this.sylPoolUsed = 0;
    this.dead = 0;
    this.sylEntries = 0;
    this.idfStale = true;
  }

  /** Per-slot arrays and pools for a document placed at `slot`. */
  private place(slot: number, doc: Doc, packed: Packed, kind: number, scope: number, boost: number): void {
    if (slot >= this.alive.length) {
      const size = this.alive.length * 2;
      this.alive = grow(this.alive, size);
      this.kindOf = grow(this.kindOf, size);
      this.scopeOf = grow(this.scopeOf, size);
      this.lenOf = grow(this.lenOf, size);
      this.titleAt = grow(this.titleAt, size);
      this.sylAt = grow(this.sylAt, size);
      this.sylLen = grow(this.sylLen, size);
      this.boostOf = grow(this.boostOf, size);
      this.hashOf = grow(this.hashOf, size);
      this.lenKey = grow(this.lenKey, size);
      const words = size >>> 5;
      this.aliveBits = grow(this.aliveBits, words);
      this.bitsAny = this.bitsAny.map((b) => b && grow(b, words));
      this.bitsTitle = this.bitsTitle.map((b) => b && grow(b, words));
      this.lenClassBits = this.lenClassBits.map((b) => b && grow(b, words));
      this.kindBits = this.kindBits.map((b) => grow(b, words));
      this.scopeBits = this.scopeBits.map((b) => grow(b, words));
    }
    const L = packed.t.length;
    if (this.poolUsed + L > this.titlePool.length) {
      const size = Math.max(this.titlePool.length * 2, this.poolUsed + L);
      this.titlePool = grow(this.titlePool, size);
      this.tonePool = grow(this.tonePool, size);
    }
    this.titlePool.set(packed.t, this.poolUsed);
    this.tonePool.set(packed.tt, this.poolUsed);
    this.titleAt[slot] = this.poolUsed;
    this.poolUsed += L;
    const S = packed.syl.length;
    if (this.sylPoolUsed + S > this.sylPool.length) {
      const size = Math.max(this.sylPool.length * 2, this.sylPoolUsed + S);
      this.sylPool = grow(this.sylPool, size);
      this.fieldPool = grow(this.fieldPool, size);
    }
    this.sylPool.set(packed.syl, this.sylPoolUsed);
    this.fieldPool.set(packed.f, this.sylPoolUsed);
    this.sylAt[slot] = this.sylPoolUsed;
    this.sylLen[slot] = S;
    this.sylPoolUsed += S;
    this.alive[slot] = 1;
    (this.aliveBits[slot >>> 5] as number) |= 1 << (slot & 31);
    this.kindOf[slot] = kind;
    this.scopeOf[slot] = scope;
    this.lenOf[slot] = L;
    this.boostOf[slot] = boost;
    this.hashOf[slot] = fnv1a(doc.id);
    const key = Math.min(MAX_TITLE_SYLLABLES, Math.floor(L / boost));
    this.lenKey[slot] = key;
    const c = lenClass(key);
    let cls = this.lenClassBits[c];
    if (!cls) {
      cls = new Uint32Array(this.alive.length >>> 5);
      this.lenClassBits[c] = cls;
    }
    (cls[slot >>> 5] as number) |= 1 << (slot & 31);
    for (const [maps, id] of [
      [this.kindBits, kind],
      [this.scopeBits, scope],
    ] as const) {
      while (maps.length <= id) maps.push(new Uint32Array(this.alive.length >>> 5));
      ((maps[id] as Uint32Array)[slot >>> 5] as number) |= 1 << (slot & 31);
    }
  }

  /** The packed syllables of a slot (copies). */
  private packed(slot: number): Packed {
    const at = this.titleAt[slot] as number;
    const L = this.lenOf[slot] as number;
    const sat = this.sylAt[slot] as number;
    const S = this.sylLen[slot] as number;
    return {
      syl: this.sylPool.slice(sat, sat + S),
      f: this.fieldPool.slice(sat, sat + S),
      t: this.titlePool.slice(at, at + L),
      tt: this.tonePool.slice(at, at + L),
    };
  }

  /** Postings (on add) and the counts kept per syllable (on add and remove; postings of removed slots stay until
   *  compaction and are skipped). */
  private link(slot: number, sign: 1 | -1): void {
    const sat = this.sylAt[slot] as number;
    const S = this.sylLen[slot] as number;
    const word = slot >>> 5;
    const bit = 1 << (slot & 31);
    const common = Math.max(256, this.slotOf.size >>> 5);
    for (let i = sat; i < sat + S; i++) {
      const sid = this.sylPool[i] as number;
      const bits = this.fieldPool[i] as number;
      if (sign > 0) (this.postings[sid] as Postings).push(slot, bits);
      if (bits & TITLE) (this.titleDf[sid] as number) += sign;
      const df = (this.liveDf[sid] as number) + sign;
      this.liveDf[sid] = df;
      const any = this.bitsAny[sid];
      if (any) {
        const title = this.bitsTitle[sid] as Uint32Array;
        if (sign > 0) {
          (any[word] as number) |= bit;
          if (bits & TITLE) (title[word] as number) |= bit;
        } else {
          (any[word] as number) &= ~bit;
          (title[word] as number) &= ~bit;
        }
      } else if (sign > 0 && df >= common) this.buildBitmaps(sid);
    }
    this.sylEntries += sign * S;
    this.idfStale = true;
    const at = this.titleAt[slot] as number;
    const L = this.lenOf[slot] as number;
    for (let i = at; i < at + L; i++) {
      const sid = this.titlePool[i] as number;
      let counts = this.toneCounts.get(sid);
      if (!counts) {
        counts = new Map();
        this.toneCounts.set(sid, counts);
      }
      const tone = this.tonePool[i] as number;
      const n = (counts.get(tone) ?? 0) + sign;
      if (n > 0) counts.set(tone, n);
      else counts.delete(tone);
    }
  }

  /** Renumber live documents densely; rebuild postings and pools without removed slots. */
  private compact(): void {
    const live: [Doc, Packed, number, number, number][] = [];
    this.docs.forEach((d, slot) => {
      if (d)
        live.push([
          d,
          this.packed(slot),
          this.kindOf[slot] as number,
          this.scopeOf[slot] as number,
          this.boostOf[slot] as number,
        ]);
    });
    for (const p of this.postings) p.n = 0;
    this.docs = live.map(([d]) => d);
    this.slotOf.clear();
    this.alive.fill(0);
    this.aliveBits.fill(0);
    this.lenClassBits = [];
    this.kindBits = [];
    this.scopeBits = [];
    this.poolUsed = 0;
    this.sylPoolUsed = 0;
    live.forEach(([d, packed, kind, scope, boost], slot) => {
      this.slotOf.set(d.id, slot);
      this.place(slot, d, packed, kind, scope, boost);
      for (let i = 0; i < packed.syl.length; i++)
        (this.postings[packed.syl[i] as number] as Postings).push(slot, packed.f[i] as number);
    });
    this.dead = 0;
    const common = Math.max(256, this.slotOf.size >>> 5);
    this.bitsAny = [];
    this.bitsTitle = [];
    for (let sid = 0; sid < this.sylText.length; sid++)
      if ((this.liveDf[sid] as number) >= common) this.buildBitmaps(sid);
  }

  private buildBitmaps(sid: number): void {
    const words = this.alive.length >>> 5;
    const any = new Uint32Array(words);
    const title = new Uint32Array(words);
    const p = this.postings[sid] as Postings;
    for (let e = 0; e < p.n; e++) {
      const slot = p.docs[e] as number;
      if (this.alive[slot] === 0) continue;
      (any[slot >>> 5] as number) |= 1 << (slot & 31);
      if ((p.fields[e] as number) & TITLE) (title[slot >>> 5] as number) |= 1 << (slot & 31);
    }
    this.bitsAny[sid] = any;
    this.bitsTitle[sid] = title;
  }

  private syllableId(text: string): number {
    let sid = this.sylIds.get(text);
    if (sid !== undefined) return sid;
    sid = this.sylText.length;
    this.sylIds.set(text, sid);
    this.sylText.push(text);
    this.postings.push(new Postings());
    if (sid >= this.titleDf.length) {
      this.titleDf = grow(this.titleDf, this.titleDf.length * 2);
      this.liveDf = grow(this.liveDf, this.titleDf.length);
    }
    const at = lowerBound(this.sorted, text);
    this.sorted.splice(at, 0, text);
    this.sortedIds.splice(at, 0, sid);
    return sid;
  }

  private toneId(tone: string, spelling: string): number {
    let id = this.toneIds.get(tone);
    if (id === undefined) {
      id = this.toneSpelling.length;
      this.toneIds.set(tone, id);
      this.toneSpelling.push(spelling);
    }
    return id;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Search
  // -------------------------------------------------------------------------------------------------------------

  search(query: string, opts: SearchOptions = {}): SearchResult {
    return this.run(parseQuery(query, opts.synonyms), opts, 0);
  }

  /** @param quorum 0: every word required, then the fallbacks; n > 0: documents holding at least n words. */
  private run(parsed: ParsedQuery, opts: SearchOptions, quorum: number): SearchResult {
    const limit = Math.max(0, Math.min(200, Math.floor(opts.limit ?? 20)));
    const offset = Math.max(0, Math.floor(opts.offset ?? 0));
    // The cap is shared among the readings of the query: "hộ khẩu" reads as itself, "thường trú" and "cư trú".
    const cap = Math.max(
      limit + offset,
      Math.floor(Math.max(1, opts.candidateCap ?? DEFAULT_CAP) / parsed.variants.length),
      1,
    );
    if (parsed.tokens.length === 0 || this.slotOf.size === 0) return { total: 0, items: [], approximate: false };
    this.ensureScratch();
    const accept = this.filter(opts);
    const readings: (Reading | undefined)[] = [];
    const scored: number[] = [];
    const gBest = ++this.genBest;
    const words = (this.docs.length + 31) >>> 5;
    const union = this.unionBits;
    union.fill(0, 0, words);
    // Documents holding every word of a reading in their title or keywords (not only in their body).
    let strong = 0;
    const pass = (mode: "all" | "quorum", fuzzy: boolean, need: number) => {
      parsed.variants.forEach((variant, vi) => {
        // The fallback leaves out words that match nothing; they still count in Q and in the quorum.
        const lenient = mode === "quorum" && need >= 0;
        const rt = this.resolve(variant.tokens, fuzzy, lenient);
        if (rt.length === 0) return;
        const missing = variant.tokens.length - rt.length;
        this.prepareSyllables(rt);
        const reading = this.reading(rt, missing);
        let candidates: number[];
        const viaBits = mode === "all" ? this.bitmapCandidates(rt, accept !== null, cap) : null;
        if (viaBits) {
          if (viaBits.length === 0) return;
          candidates = viaBits;
          const acc = this.accBits;
          for (let w = 0; w < words; w++) (union[w] as number) |= acc[w] as number;
        } else {
          const n = mode === "all" ? this.intersect(rt, accept) : this.atLeast(rt, accept, need, missing);
          if (n === 0) return;
          const found = this.bufA;
          for (let x = 0; x < n; x++) {
            const slot = found[x] as number;
            (union[slot >>> 5] as number) |= 1 << (slot & 31);
          }
          candidates = n > cap ? this.selectByPrior(found, n, reading, cap) : Array.from(found.subarray(0, n));
        }
        readings[vi] = reading;
        const k = rt.length;
        for (const slot of candidates) {
          if (mode === "all" && this.strongStamp[slot] !== gBest) {
            let all = true;
            for (let i = 0; i < k && all; i++)
              if ((((this.fm[i] as Uint8Array)[slot] as number) & STRONG) === 0) all = false;
            if (all) {
              this.strongStamp[slot] = gBest;
              strong++;
            }
          }
          const s = Math.round(variant.weight * this.score(slot, reading) * 1e6) / 1e6;
          if (this.bestStamp[slot] !== gBest) {
            this.bestStamp[slot] = gBest;
            this.bestScore[slot] = s;
            this.bestVariant[slot] = vi;
            scored.push(slot);
          } else if (s > (this.bestScore[slot] as number)) {
            this.bestScore[slot] = s;
            this.bestVariant[slot] = vi;
          }
        }
      });
    };
    const count = () => {
      let n = 0;
      for (let w = 0; w < words; w++) n += popcount32(union[w] as number);
      return n;
    };
    // Every word as typed (whole, or prefix); failing that, with close spellings; failing that, most words.
    let approximate = false;
    if (quorum > 0) {
      pass("quorum", true, quorum);
      approximate = scored.length > 0;
    } else {
      pass("all", false, 0);
      // The documents holding all but one word include those holding all: they are counted again.
      if (scored.length > 0 && parsed.tokens.length >= 3 && strong < FEW) pass("quorum", false, -1);
      if (scored.length === 0) {
        pass("all", true, 0);
        if (scored.length === 0 && parsed.tokens.length > 1) pass("quorum", true, 0);
        approximate = scored.length > 0;
      }
    }
    const total = count();
    const top = this.topSlots(scored, offset + limit).slice(offset);
    const matchers = new Map<number, (folded: string) => boolean>();
    const items = top.map((slot): SearchHit => {
      const doc = this.docs[slot] as Doc;
      const variant = this.bestVariant[slot] as number;
      let isMatch = matchers.get(variant);
      if (!isMatch) {
        isMatch = this.matcher(readings[variant]?.rt ?? []);
        matchers.set(variant, isMatch);
      }
      return {
        id: doc.id,
        kind: this.kindNames[this.kindOf[slot] as number] as string,
        score: this.bestScore[slot] as number,
        title: doc.title,
        highlights: { title: highlight(doc.title, isMatch) },
      };
    });
    return { total, items, approximate };
  }

  private ensureScratch(): void {
    const slots = this.docs.length;
    if (this.stampA.length < slots) {
      const size = Math.max(1024, slots + (slots >> 2));
      this.fm = Array.from({ length: MAX_QUERY_TOKENS }, () => new Uint8Array(size));
      this.stampA = new Uint32Array(size);
      this.stampB = new Uint32Array(size);
      this.accBits = new Uint32Array((size >>> 5) + 1);
      this.titleAllBits = new Uint32Array((size >>> 5) + 1);
      this.orBits = new Uint32Array((size >>> 5) + 1);
      this.unionBits = new Uint32Array((size >>> 5) + 1);
      this.pickBits = new Uint32Array((size >>> 5) + 1);
      this.admitBits = new Uint32Array((size >>> 5) + 1);
      this.bestScore = new Float64Array(size);
      this.bestVariant = new Uint8Array(size);
      this.bestStamp = new Uint32Array(size);
      this.strongStamp = new Uint32Array(size);
      this.bufA = new Int32Array(size);
      this.bufB = new Int32Array(size);
      this.genA = this.genB = this.genBest = 0;
    }
    // Generation counters wrap after 2^32 queries: start again from clean stamps.
    if (this.genA > 0xfff00000 || this.genB > 0xfff00000 || this.genBest > 0xfff00000) {
      this.stampA.fill(0);
      this.stampB.fill(0);
      this.bestStamp.fill(0);
      this.strongStamp.fill(0);
      this.genA = this.genB = this.genBest = 0;
    }
    const syls = this.sylText.length;
    if (this.sylStamp.length < syls) {
      const size = Math.max(1024, syls + (syls >> 2));
      this.sylStamp = new Uint32Array(size);
      this.sylMask = new Uint32Array(size);
      this.sylExactMask = new Uint32Array(size);
      this.idf = new Float64Array(size);
      this.idfStale = true;
      this.genSyl = 0;
    }
    if (this.genSyl > 0xfff00000) {
      this.sylStamp.fill(0);
      this.genSyl = 0;
    }
    if (this.idfStale) {
      const n = this.slotOf.size;
      for (let s = 0; s < syls; s++) this.idf[s] = idf(n, this.titleDf[s] as number);
      this.idfStale = false;
    }
  }

  /**
   * The filter of the options as a bitmap of the live documents admitted (in `admitBits`) and a per-slot test on it;
   * null when there is no filter.
   */
  private filter(opts: SearchOptions): ((slot: number) => boolean) | null {
    if (opts.kinds === undefined && opts.scope === undefined) return null;
    const words = (this.docs.length + 31) >>> 5;
    const admit = this.admitBits;
    const or = this.orBits;
    admit.set(this.aliveBits.subarray(0, words));
    const restrict = (maps: readonly Uint32Array[], ids: readonly number[]) => {
      or.fill(0, 0, words);
      for (const id of ids) {
        const b = maps[id];
        if (b) for (let w = 0; w < words; w++) (or[w] as number) |= b[w] as number;
      }
      for (let w = 0; w < words; w++) (admit[w] as number) &= or[w] as number;
    };
    if (opts.kinds !== undefined) {
      const ids: number[] = [];
      for (const k of opts.kinds) {
        const id = this.kindIds.get(k);
        if (id !== undefined) ids.push(id);
      }
      restrict(this.kindBits, ids);
    }
    if (opts.scope !== undefined) {
      const wanted = typeof opts.scope === "string" ? [opts.scope] : opts.scope;
      const ids: number[] = [];
      this.scopeSets.forEach((set, id) => {
        if (id === 0 || set.some((s) => wanted.includes(s))) ids.push(id);
      });
      restrict(this.scopeBits, ids);
    }
    return (slot) => (((admit[slot >>> 5] as number) >>> (slot & 31)) & 1) === 1;
  }

  /** Resolve query words to syllables; empty when some word matches nothing at all, unless `lenient` (such words
   *  are then left out). */
  private resolve(tokens: readonly QueryToken[], allowFuzzy: boolean, lenient: boolean): Resolved[] {
    const out: Resolved[] = [];
    for (const token of tokens) {
      const exact = this.sylIds.get(token.folded) ?? -1;
      let sids: number[];
      let fuzzy = false;
      if (exact >= 0 && !token.prefix) sids = [exact];
      else {
        sids = this.prefixRange(token.folded);
        if (sids.length === 0 && allowFuzzy) {
          sids = this.fuzzy(token.folded, false);
          fuzzy = true;
        }
      }
      if (sids.length === 0) {
        if (lenient) continue;
        return [];
      }
      let df = 0;
      let live = 0;
      for (const s of sids) {
        df += (this.postings[s] as Postings).n;
        live += this.liveDf[s] as number;
      }
      const toneId = token.tone === null ? -1 : (this.toneIds.get(token.tone) ?? -2);
      const weight = idf(this.slotOf.size, live);
      out.push({ token, exact, sids, inexact: fuzzy ? FUZZY_QUALITY : PREFIX_QUALITY, fuzzy, df, weight, toneId });
    }
    return out;
  }

  private prefixRange(prefix: string): number[] {
    const out: number[] = [];
    for (let i = lowerBound(this.sorted, prefix); i < this.sorted.length; i++) {
      if (!(this.sorted[i] as string).startsWith(prefix)) break;
      out.push(this.sortedIds[i] as number);
    }
    return out;
  }

  /** Syllables within edit distance of a word (1; 2 from 6 letters), closest and most frequent first. */
  private fuzzy(word: string, titlesOnly: boolean): number[] {
    if (word.length < 3 || /^\d+$/.test(word)) return [];
    const max = word.length >= 6 ? 2 : 1;
    const found: { sid: number; d: number; df: number }[] = [];
    for (let sid = 0; sid < this.sylText.length; sid++) {
      const text = this.sylText[sid] as string;
      if (Math.abs(text.length - word.length) > max) continue;
      const df = titlesOnly ? (this.titleDf[sid] as number) : (this.postings[sid] as Postings).n;
      if (df <= 0) continue;
      const d = editDistance(word, text, max);
      if (d <= max) found.push({ sid, d, df });
    }
    found.sort(
      (a, b) => a.d - b.d || b.df - a.df || compareText(this.sylText[a.sid] as string, this.sylText[b.sid] as string),
    );
    return found.slice(0, FUZZY_MAX).map((x) => x.sid);
  }

  /** Mark, for this reading, which query words each syllable matches (bit i = word i), and which exactly. */
  private prepareSyllables(rt: readonly Resolved[]): void {
    const g = ++this.genSyl;
    rt.forEach((r, i) => {
      for (const sid of r.sids) {
        if (this.sylStamp[sid] !== g) {
          this.sylStamp[sid] = g;
          this.sylMask[sid] = 0;
          this.sylExactMask[sid] = 0;
        }
        (this.sylMask[sid] as number) |= 1 << i;
        if (sid === r.exact) (this.sylExactMask[sid] as number) |= 1 << i;
      }
    });
  }

  /** @param missing words of the reading left out (matching nothing), weighing as the rarest. */
  private reading(rt: Resolved[], missing: number): Reading {
    let weightSum = missing * idf(this.slotOf.size, 0);
    for (const r of rt) weightSum += r.weight;
    const lut = new Float64Array(rt.length * 64);
    let toneWords = 0;
    rt.forEach((r, i) => {
      for (let b = 1; b < 64; b++) {
        const exact = fieldQuality(b & 7);
        const inexact = fieldQuality(b >> INEXACT) * r.inexact;
        lut[i * 64 + b] = weightSum > 0 ? (r.weight * Math.max(exact, inexact)) / weightSum : 0;
      }
      if (r.toneId !== -1) toneWords |= 1 << i;
    });
    return { rt, lut, toneWords };
  }

  /** Field bits of word i in a document (exact bits low, inexact bits shifted by INEXACT), 0 when absent. */
  private docBits(slot: number, r: Resolved, i: number): number {
    const pool = this.sylPool;
    const from = this.sylAt[slot] as number;
    const to = from + (this.sylLen[slot] as number);
    if (r.sids.length === 1) {
      const x = r.sids[0] as number;
      let lo = from;
      let hi = to - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = pool[mid] as number;
        if (v === x) return (this.fieldPool[mid] as number) << (x === r.exact ? 0 : INEXACT);
        if (v < x) lo = mid + 1;
        else hi = mid - 1;
      }
      return 0;
    }
    const g = this.genSyl;
    const bit = 1 << i;
    let bits = 0;
    for (let j = from; j < to; j++) {
      const s = pool[j] as number;
      if (this.sylStamp[s] === g && ((this.sylMask[s] as number) & bit) !== 0)
        bits |= (this.fieldPool[j] as number) << (s === r.exact ? 0 : INEXACT);
    }
    return bits;
  }

  /** Mark word i's postings in its byte map (which must be clear). */
  private mark(r: Resolved, fmi: Uint8Array): void {
    for (const sid of r.sids) {
      const p = this.postings[sid] as Postings;
      const shift = sid === r.exact ? 0 : INEXACT;
      const pd = p.docs;
      const pf = p.fields;
      const n = p.n;
      if (shift === 0) for (let e = 0; e < n; e++) (fmi[pd[e] as number] as number) |= pf[e] as number;
      else for (let e = 0; e < n; e++) (fmi[pd[e] as number] as number) |= (pf[e] as number) << INEXACT;
    }
  }

  /**
   * Candidates of a reading whose words are all common syllables, from their bitmaps: AND over the words (each the
   * OR of its syllables), the filter, then, past the cap, the documents holding every word in the title before the
   * others, shortest titles (over boost) first, ties by a hash of the id then the id. Null when some syllable has no
   * bitmap or the rarest word is rare enough for postings to be cheaper. The matches are left in `accBits`; `fm` is
   * set for the candidates returned.
   */
  private bitmapCandidates(rt: readonly Resolved[], filtered: boolean, cap: number) {
    const words = (this.docs.length + 31) >>> 5;
    let rarest = Number.POSITIVE_INFINITY;
    for (const r of rt) {
      if (r.df < rarest) rarest = r.df;
      for (const sid of r.sids) if (!this.bitsAny[sid]) return null;
    }
    if (rarest < words * 4) return null;
    const acc = this.accBits;
    const tAll = this.titleAllBits;
    const or = this.orBits;
    acc.set((filtered ? this.admitBits : this.aliveBits).subarray(0, words));
    tAll.fill(0xffffffff, 0, words);
    for (const r of rt) {
      for (const [maps, into] of [
        [this.bitsAny, acc],
        [this.bitsTitle, tAll],
      ] as const) {
        if (r.sids.length === 1) {
          const b = maps[r.sids[0] as number] as Uint32Array;
          for (let w = 0; w < words; w++) (into[w] as number) &= b[w] as number;
        } else {
          or.fill(0, 0, words);
          for (const sid of r.sids) {
            const b = maps[sid] as Uint32Array;
            for (let w = 0; w < words; w++) (or[w] as number) |= b[w] as number;
          }
          for (let w = 0; w < words; w++) (into[w] as number) &= or[w] as number;
        }
      }
    }
    let n = 0;
    let inTitle = 0;
    for (let w = 0; w < words; w++) {
      const x = acc[w] as number;
      const t = (tAll[w] as number) & x;
      tAll[w] = t;
      n += popcount32(x);
      inTitle += popcount32(t);
    }
    let out: number[];
    if (n <= cap) out = this.slotsOf(acc, words);
    else if (inTitle >= cap) out = this.shortest(tAll, words, cap);
    else {
      out = this.slotsOf(tAll, words);
      for (let w = 0; w < words; w++) or[w] = (acc[w] as number) & ~(tAll[w] as number);
      for (const slot of this.shortest(or, words, cap - inTitle)) out.push(slot);
    }
    rt.forEach((r, i) => {
      const fmi = this.fm[i] as Uint8Array;
      for (const slot of out) fmi[slot] = this.docBits(slot, r, i);
    });
    return out;
  }

  /** Slots of the set bits. */
  private slotsOf(bits: Uint32Array, words: number): number[] {
    const out: number[] = [];
    for (let w = 0; w < words; w++)
      for (let y = bits[w] as number; y !== 0; y &= y - 1) out.push((w << 5) | (31 - Math.clz32(y & -y)));
    return out;
  }

  /**
   * The `m` slots of the set bits with the shortest titles (length over boost), ties by hash then id. Walks the
   * length classes from the shortest, counting with AND and popcount, so only about `m` documents are visited.
   */
  private shortest(bits: Uint32Array, words: number, m: number): number[] {
    const pick = this.pickBits;
    pick.fill(0, 0, words);
    let taken = 0;
    let boundary = -1;
    for (let c = 0; c < LEN_CLASSES; c++) {
      const cls = this.lenClassBits[c];
      if (!cls) continue;
      let cnt = 0;
      for (let w = 0; w < words; w++) cnt += popcount32((bits[w] as number) & (cls[w] as number));
      if (cnt === 0) continue;
      if (taken + cnt >= m) {
        boundary = c;
        break;
      }
      for (let w = 0; w < words; w++) (pick[w] as number) |= (bits[w] as number) & (cls[w] as number);
      taken += cnt;
    }
    const out = this.slotsOf(pick, words);
    if (boundary < 0) return out;
    const cls = this.lenClassBits[boundary] as Uint32Array;
    const ties: number[] = [];
    for (let w = 0; w < words; w++)
      for (let y = (bits[w] as number) & (cls[w] as number); y !== 0; y &= y - 1)
        ties.push((w << 5) | (31 - Math.clz32(y & -y)));
    if (boundary < LEN_EXACT) this.takeByHash(ties, m - out.length, out);
    else {
      // A class of long titles spans several lengths: the shortest first.
      const key = this.lenKey;
      const hash = this.hashOf;
      ties.sort(
        (a, b) =>
          (key[a] as number) - (key[b] as number) ||
          (hash[a] as number) - (hash[b] as number) ||
          compareText((this.docs[a] as Doc).id, (this.docs[b] as Doc).id),
      );
      for (let x = 0; out.length < m && x < ties.length; x++) out.push(ties[x] as number);
    }
    return out;
  }

  /** Append to `out` the `need` slots of `ties` with the smallest hashes (then ids); all when they fit. */
  private takeByHash(ties: number[], need: number, out: number[]): void {
    if (ties.length <= need) {
      for (const t of ties) out.push(t);
      return;
    }
    if (need <= 0) return;
    if (this.selectBuf.length < ties.length)
      this.selectBuf = new Float64Array(Math.max(ties.length, this.prior.length));
    const hashOf = this.hashOf;
    const hashes = this.selectBuf.subarray(0, ties.length);
    for (let x = 0; x < ties.length; x++) hashes[x] = -(hashOf[ties[x] as number] as number);
    const cut = -kthLargest(hashes, need);
    const equal: number[] = [];
    const target = out.length + need;
    for (const t of ties) {
      const h = hashOf[t] as number;
      if (h < cut) out.push(t);
      else if (h === cut) equal.push(t);
    }
    equal.sort((a, b) => compareText((this.docs[a] as Doc).id, (this.docs[b] as Doc).id));
    for (let x = 0; out.length < target && x < equal.length; x++) out.push(equal[x] as number);
  }

  /**
   * Live, accepted documents holding every word, into `bufA`; returns their number. `fm[i][slot]` holds word i's
   * field bits for each.
   */
  private intersect(rt: readonly Resolved[], accept: ((slot: number) => boolean) | null): number {
    const k = rt.length;
    const order = rt.map((_, i) => i).sort((a, b) => (rt[a] as Resolved).df - (rt[b] as Resolved).df || a - b);
    const first = order[0] as number;
    const driver = rt[first] as Resolved;
    const slots = this.docs.length;
    const alive = this.alive;
    let out = this.bufA;
    let n = 0;
    if (driver.df * 8 > slots) {
      // Dense: mark every word's postings, sweep the documents once.
      for (let i = 0; i < k; i++) (this.fm[i] as Uint8Array).fill(0, 0, slots);
      for (let i = 0; i < k; i++) this.mark(rt[i] as Resolved, this.fm[i] as Uint8Array);
      const maps = order.map((i) => this.fm[i] as Uint8Array);
      const f0 = maps[0] as Uint8Array;
      for (let slot = 0; slot < slots; slot++) {
        if (f0[slot] === 0 || alive[slot] === 0) continue;
        let all = true;
        for (let o = 1; o < k; o++)
          if ((maps[o] as Uint8Array)[slot] === 0) {
            all = false;
            break;
          }
        if (all && (accept === null || accept(slot))) out[n++] = slot;
      }
      return n;
    }
    // Sparse: from the rarest word's postings.
    const gA = ++this.genA;
    const stampA = this.stampA;
    const fm0 = this.fm[first] as Uint8Array;
    for (const sid of driver.sids) {
      const p = this.postings[sid] as Postings;
      const shift = sid === driver.exact ? 0 : INEXACT;
      const pd = p.docs;
      const pf = p.fields;
      for (let e = 0; e < p.n; e++) {
        const slot = pd[e] as number;
        if (stampA[slot] !== gA) {
          stampA[slot] = gA;
          if (alive[slot] === 0 || (accept !== null && !accept(slot))) {
            fm0[slot] = 0;
            continue;
          }
          fm0[slot] = (pf[e] as number) << shift;
          out[n++] = slot;
        } else if (fm0[slot] !== 0) (fm0[slot] as number) |= (pf[e] as number) << shift;
      }
    }
    const avgSyl = this.slotOf.size > 0 ? this.sylEntries / this.slotOf.size : 1;
    for (let o = 1; o < k && n > 0; o++) {
      const i = order[o] as number;
      const r = rt[i] as Resolved;
      const fmi = this.fm[i] as Uint8Array;
      // A lookup in a candidate costs a few cache misses, a posting a fraction of one.
      const perDoc = r.sids.length === 1 ? 24 : 8 + avgSyl;
      if (n * perDoc < r.df) {
        let w = 0;
        for (let x = 0; x < n; x++) {
          const slot = out[x] as number;
          const bits = this.docBits(slot, r, i);
          if (bits !== 0) {
            fmi[slot] = bits;
            out[w++] = slot;
          }
        }
        n = w;
      } else {
        const gB = ++this.genB;
        const stampB = this.stampB;
        for (const sid of r.sids) {
          const p = this.postings[sid] as Postings;
          const shift = sid === r.exact ? 0 : INEXACT;
          const pd = p.docs;
          const pf = p.fields;
          for (let e = 0; e < p.n; e++) {
            const slot = pd[e] as number;
            if (stampA[slot] !== gA) continue;
            if (stampB[slot] !== gB) {
              stampB[slot] = gB;
              fmi[slot] = (pf[e] as number) << shift;
            } else (fmi[slot] as number) |= (pf[e] as number) << shift;
          }
        }
        const next = out === this.bufA ? this.bufB : this.bufA;
        let w = 0;
        for (let x = 0; x < n; x++) {
          const slot = out[x] as number;
          if (stampB[slot] === gB) next[w++] = slot;
        }
        out = next;
        n = w;
      }
    }
    if (out !== this.bufA) this.bufA.set(out.subarray(0, n));
    return n;
  }

  /**
   * Live, accepted documents holding at least `need` words (−1: all but one), or with need 0, half of the words
   * (rounded up) or words carrying half of the query's weight (rare words weigh more; `missing` words, left out
   * because they match nothing, count in both); into `bufA`, their number returned; `fm` set for each.
   */
  private atLeast(
    rt: readonly Resolved[],
    accept: ((slot: number) => boolean) | null,
    need: number,
    missing: number,
  ): number {
    const k = rt.length;
    const required = need > 0 ? Math.min(need, k) : need < 0 ? Math.max(1, k - 1) : 0;
    const half = Math.ceil((k + missing) / 2);
    let halfWeight = (missing * idf(this.slotOf.size, 0)) / 2;
    for (const r of rt) halfWeight += r.weight / 2;
    const slots = this.docs.length;
    for (let i = 0; i < k; i++) (this.fm[i] as Uint8Array).fill(0, 0, slots);
    for (let i = 0; i < k; i++) this.mark(rt[i] as Resolved, this.fm[i] as Uint8Array);
    const out = this.bufA;
    let n = 0;
    for (let slot = 0; slot < slots; slot++) {
      if (this.alive[slot] === 0) continue;
      let count = 0;
      let weight = 0;
      for (let i = 0; i < k; i++)
        if ((this.fm[i] as Uint8Array)[slot] !== 0) {
          count++;
          weight += (rt[i] as Resolved).weight;
        }
      if (count === 0) continue;
      const ok = required > 0 ? count >= required : count >= half || weight >= halfWeight - 1e-9;
      if (ok && (accept === null || accept(slot))) out[n++] = slot;
    }
    return n;
  }

  /** The formula in the header, for one document and one reading. */
  private score(slot: number, reading: Reading): number {
    const { rt, lut, toneWords } = reading;
    const k = rt.length;
    let q = 0;
    for (let i = 0; i < k; i++) q += lut[i * 64 + ((this.fm[i] as Uint8Array)[slot] as number)] as number;
    const g = this.genSyl;
    const idfs = this.idf;
    const pool = this.titlePool;
    const stamp = this.sylStamp;
    const mask = this.sylMask;
    const exactMask = this.sylExactMask;
    const at = this.titleAt[slot] as number;
    const L = this.lenOf[slot] as number;
    let prev = 0; // words matched at the previous title syllable (bit i = word i)
    let pairs = 0; // bit i + 1 set: words i and i + 1 found at adjacent title syllables, in order
    let inTitle = 0;
    let covered = 0;
    let all = 0;
    let toneHit = 0;
    for (let j = 0; j < L; j++) {
      const s = pool[at + j] as number;
      const w = idfs[s] as number;
      all += w;
      const m = stamp[s] === g ? (mask[s] as number) : 0;
      if (m !== 0) {
        // A syllable matched only as a prefix or fuzzily covers half: "thu" prefers "Thu hồi" to "Thuế".
        covered += exactMask[s] !== 0 ? w : w / 2;
        pairs |= (prev << 1) & m;
        inTitle |= m;
        if (m & toneWords) {
          const tone = this.tonePool[at + j] as number;
          for (let i = 0; i < k; i++) if (m & (1 << i) && (rt[i] as Resolved).toneId === tone) toneHit |= 1 << i;
        }
      }
      prev = m;
    }
    const p = k > 1 ? popcount(pairs) / (k - 1) : inTitle !== 0 ? 1 : 0;
    const c = all > 0 ? covered / all : 0;
    const d = toneWords !== 0 ? popcount(toneHit) / popcount(toneWords) : 0;
    return (this.boostOf[slot] as number) * (W_Q * q + W_P * p + W_C * c + W_D * d);
  }

  /**
   * The `cap` best candidates by a prior that needs no title scan: Q, and title coverage as if each word in the title
   * matched one syllable. Linear: one pass computes the priors and a histogram of them, which gives the bucket where
   * the cap falls; within that bucket, selection by prior, then by a hash of the id (then the id) among equal
   * priors, so the choice is the same on every run whatever the order of the rows.
   */
  private selectByPrior(found: Int32Array, n: number, reading: Reading, cap: number): number[] {
    if (this.prior.length < n) {
      const size = Math.max(n, this.prior.length * 2);
      this.prior = new Float64Array(size);
      this.selectBuf = new Float64Array(size);
      this.bucketOf = new Uint16Array(size);
    }
    const prior = this.prior;
    const bucketOf = this.bucketOf;
    const hist = this.hist.fill(0);
    const { rt, lut } = reading;
    const k = rt.length;
    const lenOf = this.lenOf;
    const boostOf = this.boostOf;
    const fm = this.fm;
    const scale = (HIST - 1) / (this.maxBoost * (W_Q + W_C));
    for (let x = 0; x < n; x++) {
      const slot = found[x] as number;
      let q = 0;
      let inTitle = 0;
      for (let i = 0; i < k; i++) {
        const b = (fm[i] as Uint8Array)[slot] as number;
        q += lut[i * 64 + b] as number;
        if (((b | (b >> INEXACT)) & TITLE) !== 0) inTitle++;
      }
      const L = lenOf[slot] as number;
      const v = (boostOf[slot] as number) * (W_Q * q + W_C * (L > 0 ? Math.min(inTitle, L) / L : 0));
      prior[x] = v;
      const bucket = Math.min(HIST - 1, Math.floor(v * scale));
      bucketOf[x] = bucket;
      (hist[bucket] as number)++;
    }
    let boundary = HIST - 1;
    for (let acc = 0; boundary > 0; boundary--) {
      acc += hist[boundary] as number;
      if (acc >= cap) break;
    }
    const out: number[] = [];
    const mid: number[] = [];
    for (let x = 0; x < n; x++) {
      const b = bucketOf[x] as number;
      if (b > boundary) out.push(found[x] as number);
      else if (b === boundary) mid.push(x);
    }
    const need = cap - out.length;
    if (mid.length <= need) {
      for (const x of mid) out.push(found[x] as number);
      return out;
    }
    // Within the boundary bucket: the `need` best priors.
    const values = this.selectBuf.subarray(0, mid.length);
    mid.forEach((x, j) => {
      values[j] = prior[x] as number;
    });
    const threshold = kthLargest(values, need);
    const ties: number[] = [];
    for (const x of mid) {
      const v = prior[x] as number;
      if (v > threshold) out.push(found[x] as number);
      else if (v === threshold) ties.push(found[x] as number);
    }
    this.takeByHash(ties, cap - out.length, out);
    return out;
  }

  /** The n best scored slots: score, then folded title, title, id. */
  private topSlots(scored: readonly number[], n: number): number[] {
    const score = this.bestScore;
    const before = (a: number, b: number) => {
      const sa = scored[a] as number;
      const sb = scored[b] as number;
      const x = score[sa] as number;
      const y = score[sb] as number;
      if (x !== y) return x > y;
      const da = this.docs[sa] as Doc;
      const db = this.docs[sb] as Doc;
      if (da.foldedTitle !== db.foldedTitle) return da.foldedTitle < db.foldedTitle;
      if (da.title !== db.title) return da.title < db.title;
      return da.id < db.id;
    };
    return selectTop(scored.length, n, before).map((i) => scored[i] as number);
  }

  /** Does a syllable (search form) match one of the reading's words? For highlighting. */
  private matcher(rt: readonly Resolved[]): (folded: string) => boolean {
    const sids = new Set<number>();
    for (const r of rt) for (const s of r.sids) sids.add(s);
    return (folded) => {
      const sid = this.sylIds.get(folded);
      return sid !== undefined && sids.has(sid);
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Suggestions, for the page shown when nothing matched
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Correct each word to a syllable found in titles (kept when it is one; else the most frequent title syllable it
   * begins, e.g. "sin" → "sinh"; else a split of run-together words, "khaisinh" → "khai sinh"; else the closest by
   * edit distance, "kahi" → "khai"), then rank titles holding the corrected words, or failing that at least one of
   * them, with the search formula.
   */
  suggest(query: string, opts: Omit<SearchOptions, "offset" | "candidateCap"> = {}): Suggestions {
    const tokens = parseQuery(query).tokens;
    const words: string[] = [];
    let changed = false;
    for (const t of tokens) {
      const fixed = this.correct(t.folded);
      if (fixed.length === 1 && fixed[0] === t.folded) words.push(t.folded);
      else {
        changed = true;
        words.push(...fixed);
      }
    }
    if (words.length === 0) return { query: null, items: [] };
    const corrected = words.map((w) => this.spelling(w)).join(" ");
    const parsed = parseQuery(`${words.join(" ")} `, opts.synonyms);
    const o = { ...opts, limit: opts.limit ?? 5 };
    let result = this.run(parsed, o, 0);
    if (result.total === 0) result = this.run(parsed, o, 1);
    return { query: changed ? corrected : null, items: result.items };
  }

  /** One word corrected to title syllables: [] when nothing is close. */
  private correct(word: string): string[] {
    const exact = this.sylIds.get(word);
    if (exact !== undefined && (this.titleDf[exact] as number) > 0) return [word];
    if (word.length >= 2 && !/^\d+$/.test(word)) {
      let bestSid = -1;
      for (const sid of this.prefixRange(word))
        if ((this.titleDf[sid] as number) > (bestSid < 0 ? 0 : (this.titleDf[bestSid] as number))) bestSid = sid;
      if (bestSid >= 0) return [this.sylText[bestSid] as string];
    }
    const split = this.split(word);
    if (split) return split;
    const near = this.fuzzy(word, true)[0];
    return near === undefined ? [] : [this.sylText[near] as string];
  }

  /** Run-together words split into title syllables (2+ letters each), fewest pieces; null when impossible. */
  private split(word: string): string[] | null {
    if (word.length < 4 || word.length > 40) return null;
    const n = word.length;
    const best: (string[] | null)[] = new Array(n + 1).fill(null);
    best[0] = [];
    for (let i = 0; i < n; i++) {
      const head = best[i];
      if (!head) continue;
      for (let j = i + 2; j <= Math.min(n, i + 7); j++) {
        const piece = analyseWord(word.slice(i, j)).folded;
        const sid = this.sylIds.get(piece);
        if (sid === undefined || (this.titleDf[sid] as number) <= 0) continue;
        const cand = [...head, piece];
        const cur = best[j];
        if (!cur || cand.length < cur.length) best[j] = cand;
      }
    }
    const out = best[n];
    return out && out.length >= 2 ? out : null;
  }

  /** The most frequent spelling, with tone marks, of a syllable in titles. */
  private spelling(word: string): string {
    const sid = this.sylIds.get(word);
    const counts = sid === undefined ? undefined : this.toneCounts.get(sid);
    if (!counts) return word;
    let bestTone = -1;
    let bestCount = 0;
    for (const [tone, n] of counts)
      if (n > bestCount || (n === bestCount && tone < bestTone)) {
        bestTone = tone;
        bestCount = n;
      }
    return bestTone < 0 ? word : (this.toneSpelling[bestTone] ?? word);
  }
}
