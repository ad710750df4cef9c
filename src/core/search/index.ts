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
 *     matches). When all this finds fewer than MIN_RESULTS (3) documents, those holding half of the words as typed
 *     follow them, each scored below the last of them;
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
 *   P  phrase: share of the k − 1 adjacent query word pairs (wᵢ, wᵢ₊₁) found at adjacent title syllables, in order
 *      (in a concept reading, only the pairs within one concept: analyze.ts); for one word, 1 when it is in the
 *      title. "dang ky khai sinh" in "Thủ tục đăng ký khai sinh" → 1; in "Thủ tục
 *      đăng ký lại khai sinh" → 2/3.
 *   C  title coverage: Σ idf of the title syllables matched by some word / Σ idf of all its syllables, idf over
 *      titles (a syllable matched only as a prefix or fuzzily counts half). Among titles holding the whole query the
 *      shortest wins, and frequent filler ("Thủ tục …") weighs little: "Thủ tục đăng ký khai sinh" before "… lưu
 *      động", "… có yếu tố nước ngoài".
 *   D  diacritics: among the words typed with tone marks, the share found in the title with exactly those marks
 *      ("đăng ký" rather than "đang kỳ"; tone placement and ký/kí do not matter); 0 for a query without marks.
 *   weight  1 for the words as typed; for an expanded reading, the synonym entries' weights multiplied (default 0.9);
 *           for a concept reading (analyze.ts), its own, × up to 1 + CONCEPT_SPECIFICITY by its words' mean idf,
 *           × up to 1 + CONCEPT_CONTEXT by the share of the sentence's other words in the document's title or keywords.
 *           A document found by several readings keeps its best score.
 *   boost   the document's own (default 1), e.g. to lift a kind of content or a featured page.
 *
 * Prior (`opts.prior`, prior.ts): among the results within PRIOR_BAND of the top score, each document's prior (what
 * citizens commonly do at a ward) moves it by at most PRIOR_SPAN of the top score, never below a result that is not
 * an exact match of the words as typed when it is one; results outside the band keep their lexical order below. The
 * score reported stays the lexical one.
 *
 * Associations (`opts.associations`, associations.ts): what earlier queries of the same words led to is added to the
 * lexical score of the documents they led to, by up to ASSOCIATION_WEIGHT of the top score (ASSOCIATION_WEIGHT_STRONG
 * when the top score reaches ASSOCIATION_STRONG, then ordering only what the words found), a document found only so
 * joining the results while the words find nothing strong; a result that is not
 * an exact match never passes an exact match that scored at least as high by its words. The score reported then
 * includes it (and may pass 100). The work is per feature of the query (its words and pairs of adjacent words, a
 * bounded list of documents each), whatever the number of documents.
 *
 * Ties (equal scores, rounded to 1e-6) are broken by folded title, then title, then id: the same order on every run
 * and every database. The statistics (idf) depend only on the documents indexed, not on the order they came in.
 */
import { type ParsedQuery, parseQuery } from "./analyze.ts";
import { type Associations, associationScores, featuresOf } from "./associations.ts";

import { highlight } from "./highlight.ts";
import {
  DEFAULT_CAP,
  type Doc,
  FEW,
  idf,
  popcount32,
  type Reading,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
  STRONG,
  type Suggestions,
} from "./index-model.ts";
import { IndexScoring } from "./index-scoring.ts";
import { PRIOR_BAND, type PriorCandidate, priorRanks } from "./prior.ts";

/**
 * A concept reading's weight grows with how specific its words are (their mean idf over the largest possible):
 * by up to this share. A sentence naming a common event and a rare benefit ("bố mất có được hưởng tiền tuất") is
 * about the rare one; a reading of rare words tells more of what was asked than one of common words.
 */
export const CONCEPT_SPECIFICITY = 0.06;

/**
 * A concept reading's score grows, by up to this share, with how much of the rest of the sentence the document's title
 * or keywords hold (`contextShare`): the concept says what is asked, the other words which of its procedures.
 */
export const CONCEPT_CONTEXT = 0.05;

/**
 * The concept readings are read too when the best result of the other readings scores below this (of 100): a match
 * of every word, but scattered over a long title, its keywords and body ("bố mất ở bệnh viện tỉnh" in a tax portal's
 * account procedure), is no answer the sentence's concepts should give way to.
 */
export const CONCEPT_FLOOR = 70;

/**
 * Fewest results a page shows when partial matches exist: a query whose readings find only one or two documents
 * ("dẹp quán, trả giấy phép" → the lexicon's "tạm ngừng kinh doanh" alone) is completed, below them, by the documents
 * holding half of its words as typed ("Chấm dứt hoạt động hộ kinh doanh" among them), as a query matching nothing in
 * full is.
 */
export const MIN_RESULTS = 3;

/**
 * Most an association with earlier queries (associations.ts, `opts.associations`) adds to a document's score, as a
 * share of the query's top score, when the words themselves find nothing strong: the words of "nhà tui ở trên ghe"
 * find residence procedures, the queries that said "ghe" before led to the mooring of a boat used as a home.
 */
export const ASSOCIATION_WEIGHT = 1.5;
/** The same when the top score reaches ASSOCIATION_STRONG: earlier queries then only order close results. */
export const ASSOCIATION_WEIGHT_STRONG = 0.2;
/**
 * An association (Σ idf × share) from which the most associated document gets all of its weight: below it, as
 * when a query's only known word is a number or a word of many senses, it gets a share in proportion.
 */
export const ASSOCIATION_FULL = 6;
/** A top score from which the words are taken to say what is asked (a title holding them, or nearly). */
export const ASSOCIATION_STRONG = 90;

export type { SearchDoc, SearchHit, SearchOptions, SearchResult, Suggestions } from "./index-model.ts";

/** The search index: documents in through `upsert`, ranked results out through `search` and `suggest`. */
export class SearchIndex extends IndexScoring {
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
    // The cap is shared among the readings of the query: "hộ khẩu" reads as itself, "thường trú" and "cư trú" (the
    // concept readings, read only when the others find nothing strong, do not count).
    let plain = 0;
    for (const v of parsed.variants) if (v.concept !== true) plain++;
    const cap = Math.max(
      limit + offset,
      Math.floor(Math.max(1, opts.candidateCap ?? DEFAULT_CAP) / Math.max(1, plain)),
      1,
    );
    if (parsed.tokens.length === 0 || this.slotOf.size === 0) return { total: 0, items: [], approximate: false };
    this.ensureScratch();
    if (this.exactStamp.length < this.bestStamp.length) {
      this.exactStamp = new Uint32Array(this.bestStamp.length);
      this.rankScore = new Float64Array(this.bestStamp.length);
    }
    if (this.genBest === 0) this.exactStamp.fill(0);
    const accept = this.filter(opts);
    const readings: (Reading | undefined)[] = [];
    const scored: number[] = [];
    const gBest = ++this.genBest;
    const words = (this.docs.length + 31) >>> 5;
    const union = this.unionBits;
    union.fill(0, 0, words);
    // Documents holding every word of a reading in their title or keywords (not only in their body).
    let strong = 0;
    // Concept readings (the lexicon's matches alone, see analyze.ts) are read only when no other reading matches every
    // word in a title or keywords (a word found only in a body is weak: "mướn nhà nguyên căn để ở" → "đăng ký tạm
    // trú để ở" holds "để ở" only in the bodies of unrelated procedures; "đăng ký tạm trú" alone is the answer), or
    // when the best of them scores below CONCEPT_FLOOR.
    let concepts = false;
    // The sentence's own words (exact syllables), for a concept reading's context (`contextShare`).
    const context: { sid: number; weight: number }[] = [];
    let contextTotal = 0;
    for (const t of parsed.context ?? parsed.tokens) {
      const sid = this.sylIds.get(t.folded);
      if (sid === undefined || context.some((c) => c.sid === sid)) continue;
      const weight = this.idf[sid] as number;
      context.push({ sid, weight });
      contextTotal += weight;
    }
    const pass = (mode: "all" | "quorum", fuzzy: boolean, need: number, onlyConcepts = false) => {
      parsed.variants.forEach((variant, vi) => {
        if (variant.concept === true ? !concepts : onlyConcepts) return;
        // The fallback leaves out words that match nothing; they still count in Q and in the quorum.
        const lenient = mode === "quorum" && need >= 0;
        const rt = this.resolve(variant.tokens, fuzzy, lenient);
        if (rt.length === 0) return;
        const missing = variant.tokens.length - rt.length;
        this.prepareSyllables(rt);
        const reading = this.reading(rt, missing, variant.concept === true);
        let weight = variant.weight;
        if (variant.concept === true) {
          let sum = 0;
          for (const r of rt) sum += r.weight;
          weight *= 1 + CONCEPT_SPECIFICITY * (sum / rt.length / idf(this.slotOf.size, 1));
        }
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
          const ctx =
            variant.concept === true ? 1 + CONCEPT_CONTEXT * this.contextShare(slot, context, contextTotal) : 1;
          const s = Math.round(weight * ctx * this.score(slot, reading) * 1e6) / 1e6;
          // The words as typed, every one whole in the title, in order: an exact official match (prior.ts).
          if (vi === 0 && mode === "all" && !fuzzy && this.exactOf(slot, reading)) this.exactStamp[slot] = gBest;
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
      let best = 0;
      for (const slot of scored) if ((this.bestScore[slot] as number) > best) best = this.bestScore[slot] as number;
      if ((scored.length === 0 || strong === 0 || best < CONCEPT_FLOOR) && parsed.variants.some((v) => v.concept)) {
        concepts = true;
        pass("all", false, 0, scored.length > 0);
      }
      // The documents holding all but one word include those holding all: they are counted again.
      if (scored.length > 0 && parsed.tokens.length >= 3 && strong < FEW && !concepts) pass("quorum", false, -1);
      if (scored.length === 0) {
        pass("all", true, 0);
        if (scored.length === 0 && parsed.tokens.length > 1) pass("quorum", true, 0);
        approximate = scored.length > 0;
      }
      if (scored.length > 0 && scored.length < MIN_RESULTS && parsed.tokens.length >= 2) {
        concepts = false;
        this.complete(scored, () => pass("quorum", false, 0));
      }
    }
    if (opts.associations && quorum === 0) this.associate(opts.associations, parsed, scored, accept, gBest);
    const total = count();
    const byRank = this.rankByPrior(scored, opts.prior, gBest);
    const ranked = this.topSlots(scored, offset + limit, byRank);
    const top = ranked.slice(offset);
    const first = ranked[0];
    const firstReading = first === undefined ? undefined : parsed.variants[this.bestVariant[first] as number];
    const readAs = first !== undefined && firstReading?.lexicon ? this.shown(first, firstReading.tokens) : undefined;
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
        highlights: { title: highlight(doc.title, isMatch, { phrase: (readings[variant]?.rt.length ?? 0) > 1 }) },
      };
    });
    return readAs ? { total, items, approximate, readAs } : { total, items, approximate };
  }

  /**
   * Add to each scored document its association with the query's words (associations.ts): the most associated one
   * gets ASSOCIATION_WEIGHT × the top score, the others in proportion, or ASSOCIATION_WEIGHT_STRONG when the top
   * score is ASSOCIATION_STRONG or more (the words themselves already say what is asked: earlier queries only order
   * what they found). Below it, a document associated but not found by its words joins the results with that alone. A result
   * that is not an exact official match stays below the best exact match.
   */
  private associate(
    table: Associations,
    parsed: ParsedQuery,
    scored: number[],
    accept: ((slot: number) => boolean) | null,
    gen: number,
  ): void {
    const scores = associationScores(table, featuresOf(parsed.tokens.map((t) => t.folded)));
    if (scores.size === 0) return;
    let most = 0;
    for (const a of scores.values()) if (a > most) most = a;
    // Alone (the words find nothing), only a strong association gives results: not a number or a stray word.
    if (scored.length === 0 && most < ASSOCIATION_FULL) return;
    let top = 0;
    for (const slot of scored) if ((this.bestScore[slot] as number) > top) top = this.bestScore[slot] as number;
    const weight = top >= ASSOCIATION_STRONG ? ASSOCIATION_WEIGHT_STRONG : ASSOCIATION_WEIGHT;
    // With no result at all, as if the top score were half of the largest.
    const scale = (weight * (top > 0 ? top : 50)) / Math.max(most, ASSOCIATION_FULL);
    const union = this.unionBits;
    const added: { slot: number; lexical: number }[] = [];
    for (const [id, a] of scores) {
      const slot = this.slotOf.get(id);
      if (slot === undefined || (accept !== null && !accept(slot))) continue;
      // When the words say what is asked, earlier queries only order what they found: nothing joins the results.
      if (this.bestStamp[slot] !== gen && top >= ASSOCIATION_STRONG) continue;
      if (this.bestStamp[slot] !== gen) {
        this.bestStamp[slot] = gen;
        this.bestScore[slot] = 0;
        this.bestVariant[slot] = 0;
        scored.push(slot);
        (union[slot >>> 5] as number) |= 1 << (slot & 31);
      }
      const lexical = this.bestScore[slot] as number;
      this.bestScore[slot] = Math.round((lexical + a * scale) * 1e6) / 1e6;
      added.push({ slot, lexical });
    }
    // As the prior's rule (prior.ts): a result that is not an exact match never passes an exact match that scored at
    // least as high by its words. The exact matches by lexical score, highest first, with the lowest final score
    // among each prefix.
    const lexicalOf = new Map(added.map((x) => [x.slot, x.lexical]));
    const exact: { lexical: number; low: number }[] = [];
    for (const slot of scored)
      if (this.exactStamp[slot] === gen)
        exact.push({
          lexical: lexicalOf.get(slot) ?? (this.bestScore[slot] as number),
          low: this.bestScore[slot] as number,
        });
    if (exact.length === 0) return;
    exact.sort((x, y) => y.lexical - x.lexical);
    for (let i = 1; i < exact.length; i++)
      (exact[i] as { low: number }).low = Math.min(
        (exact[i] as { low: number }).low,
        (exact[i - 1] as { low: number }).low,
      );
    for (const { slot, lexical } of added) {
      if (this.exactStamp[slot] === gen) continue;
      let lo = 0;
      let hi = exact.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((exact[mid] as { lexical: number }).lexical >= lexical) lo = mid + 1;
        else hi = mid;
      }
      if (lo === 0) continue;
      const cap = (exact[lo - 1] as { low: number }).low - 1e-6;
      if ((this.bestScore[slot] as number) > cap) this.bestScore[slot] = Math.round(cap * 1e6) / 1e6;
    }
  }

  /**
   * Complete a short list (fewer than MIN_RESULTS): `more` scores further documents (the partial matches of the words
   * as typed), which are kept below every document already found, whose scores stay as they were.
   */
  private complete(scored: number[], more: () => void): void {
    const before = scored.length;
    const kept = scored.map(
      (slot) => [slot, this.bestScore[slot] as number, this.bestVariant[slot] as number] as const,
    );
    let low = Number.POSITIVE_INFINITY;
    for (const [, s] of kept) if (s < low) low = s;
    more();
    for (const [slot, s, v] of kept) {
      this.bestScore[slot] = s;
      this.bestVariant[slot] = v;
    }
    // Below the lowest found, in their own order (a share of it: scores stay positive and distinct in order).
    for (let x = before; x < scored.length; x++) {
      const slot = scored[x] as number;
      this.bestScore[slot] = Math.round(low * 0.5 * Math.min(1, (this.bestScore[slot] as number) / 100) * 1e6) / 1e6;
    }
  }

  /** A reading's words with tone marks: as the document's title writes them, else their most frequent spelling. */
  private shown(slot: number, tokens: readonly { folded: string }[]): string {
    const at = this.titleAt[slot] as number;
    const L = this.lenOf[slot] as number;
    // Where the previous word stood in the title: the next one is looked for right after it first, so "dụng" of
    // "quyền sử dụng đất" is not spelt as the "đúng" of "không đúng quy định" earlier in the same title.
    let last = -2;
    return tokens
      .map((t) => {
        const sid = this.sylIds.get(t.folded);
        if (sid !== undefined) {
          let found = last + 1 < L && this.titlePool[at + last + 1] === sid ? last + 1 : -1;
          for (let j = 0; found < 0 && j < L; j++) if (this.titlePool[at + j] === sid) found = j;
          last = found;
          const spelt = found < 0 ? undefined : this.toneSpelling[this.tonePool[at + found] as number];
          if (spelt) return spelt.toLowerCase();
        } else last = -2;
        return this.spelling(t.folded).toLowerCase();
      })
      .join(" ");
  }

  /**
   * Rank scores by the prior (prior.ts) of every scored slot into `rankScore`; false (lexical order) when there is
   * no prior or nothing to reorder. Only the slots within the band of the top score look their prior up.
   */
  private rankByPrior(scored: readonly number[], prior: ReadonlyMap<string, number> | undefined, gen: number): boolean {
    if (!prior || prior.size === 0 || scored.length < 2) return false;
    const score = this.bestScore;
    let top = 0;
    for (const slot of scored) if ((score[slot] as number) > top) top = score[slot] as number;
    const floor = top * (1 - PRIOR_BAND);
    const band: number[] = [];
    const cands: PriorCandidate[] = [];
    for (const slot of scored) {
      const s = score[slot] as number;
      this.rankScore[slot] = s;
      if (s < floor) continue;
      band.push(slot);
      const id = (this.docs[slot] as Doc).id;
      cands.push({ score: s, exact: this.exactStamp[slot] === gen, prior: prior.get(id) ?? 0 });
    }
    const ranks = priorRanks(cands, top);
    band.forEach((slot, i) => {
      this.rankScore[slot] = ranks[i] as number;
    });
    return true;
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
}
