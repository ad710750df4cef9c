import { IndexMatching } from "./index-matching.ts";
import {
  type Doc,
  fieldQuality,
  HIST,
  INEXACT,
  idf,
  KEYWORDS,
  kthLargest,
  popcount,
  type Reading,
  type Resolved,
  selectTop,
  TITLE,
  W_C,
  W_D,
  W_P,
  W_Q,
} from "./index-model.ts";

export abstract class IndexScoring extends IndexMatching {
  /** The phrase share P of the last document scored (see `exactOf`). */
  protected lastPhrase = 0;
  /** Rank scores of the current query when a prior applies (prior.ts), by slot. */
  protected rankScore = new Float64Array(0);
  /** Slots found as an exact match of the words as typed by the current query (generation genBest). */
  protected exactStamp = new Uint32Array(0);

  /**
   * Whether the document last scored with this reading is an exact match of it: every word in the title as typed
   * (not a prefix, not a fuzzy spelling), adjacent and in order. Call right after `score(slot, reading)`.
   */
  protected exactOf(slot: number, reading: Reading): boolean {
    if (this.lastPhrase !== 1) return false;
    for (let i = 0; i < reading.rt.length; i++)
      if ((((this.fm[i] as Uint8Array)[slot] as number) & TITLE) === 0) return false;
    return true;
  }

  /**
   * @param missing words of the reading left out (matching nothing), weighing as the rarest.
   * @param segmented the words come in phrases of their own (a concept reading: each starts with `brk`): P counts
   *   only the pairs within a phrase.
   */
  protected reading(rt: Resolved[], missing: number, segmented = false): Reading {
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
    let pairMask = 0;
    for (let i = 1; i < rt.length; i++) if (!segmented || rt[i]?.token.brk !== true) pairMask |= 1 << i;
    return { rt, lut, toneWords, pairMask };
  }

  /** The formula in the header, for one document and one reading. */
  protected score(slot: number, reading: Reading): number {
    const { rt, lut, toneWords, pairMask } = reading;
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
    const p = pairMask !== 0 ? popcount(pairs & pairMask) / popcount(pairMask) : inTitle !== 0 ? 1 : 0;
    this.lastPhrase = p;
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
  protected selectByPrior(found: Int32Array, n: number, reading: Reading, cap: number): number[] {
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

  /**
   * The share (idf-weighted) of the sentence's own words, as typed (`context`: exact syllables, filler left out), that a
   * document holds in its title or keywords: what a concept reading leaves out of the sentence still tells two
   * documents holding the concept apart ("xe bị mất cắp, hủy đăng ký" → "cấp lại": the title that also says "đăng
   * ký xe", not "cấp lại thẻ căn cước").
   */
  protected contextShare(slot: number, context: readonly { sid: number; weight: number }[], total: number): number {
    if (total <= 0) return 0;
    const pool = this.sylPool;
    const fields = this.fieldPool;
    const from = this.sylAt[slot] as number;
    const to = from + (this.sylLen[slot] as number);
    let held = 0;
    for (const { sid, weight } of context) {
      let lo = from;
      let hi = to - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = pool[mid] as number;
        if (v === sid) {
          if (((fields[mid] as number) & (TITLE | KEYWORDS)) !== 0) held += weight;
          break;
        }
        if (v < sid) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return held / total;
  }

  /** The n best scored slots: score (or rank score, when a prior applies), then folded title, title, id. */
  protected topSlots(scored: readonly number[], n: number, byRank = false): number[] {
    const score = byRank ? this.rankScore : this.bestScore;
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
}
