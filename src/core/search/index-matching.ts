/**
 * The search index's matching: resolving query words to syllables (whole, prefix, fuzzy), filters, candidate
 * documents from bitmaps or postings under the candidate cap, partial matches, and the words for "did you mean".
 */
import { analyseWord, MAX_QUERY_TOKENS, type QueryToken } from "./analyze.ts";
import {
  compareText,
  type Doc,
  editDistance,
  FUZZY_MAX,
  FUZZY_QUALITY,
  INEXACT,
  idf,
  kthLargest,
  LEN_CLASSES,
  LEN_EXACT,
  lowerBound,
  type Postings,
  PREFIX_QUALITY,
  popcount32,
  type Resolved,
  type SearchOptions,
} from "./index-model.ts";
import { IndexStructure } from "./index-structure.ts";

export abstract class IndexMatching extends IndexStructure {
  protected ensureScratch(): void {
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
      this.countOf = new Uint8Array(size);
      this.weightOf = new Float64Array(size);
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
  protected filter(opts: SearchOptions): ((slot: number) => boolean) | null {
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
  protected resolve(tokens: readonly QueryToken[], allowFuzzy: boolean, lenient: boolean): Resolved[] {
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

  protected prefixRange(prefix: string): number[] {
    const out: number[] = [];
    for (let i = lowerBound(this.sorted, prefix); i < this.sorted.length; i++) {
      if (!(this.sorted[i] as string).startsWith(prefix)) break;
      out.push(this.sortedIds[i] as number);
    }
    return out;
  }

  /** Syllables within edit distance of a word (1; 2 from 6 letters), closest and most frequent first. */
  protected fuzzy(word: string, titlesOnly: boolean): number[] {
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
  protected prepareSyllables(rt: readonly Resolved[]): void {
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

  /** Field bits of word i in a document (exact bits low, inexact bits shifted by INEXACT), 0 when absent. */
  protected docBits(slot: number, r: Resolved, i: number): number {
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
  protected mark(r: Resolved, fmi: Uint8Array): void {
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
  protected bitmapCandidates(rt: readonly Resolved[], filtered: boolean, cap: number) {
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
  protected slotsOf(bits: Uint32Array, words: number): number[] {
    const out: number[] = [];
    for (let w = 0; w < words; w++)
      for (let y = bits[w] as number; y !== 0; y &= y - 1) out.push((w << 5) | (31 - Math.clz32(y & -y)));
    return out;
  }

  /**
   * The `m` slots of the set bits with the shortest titles (length over boost), ties by hash then id. Walks the
   * length classes from the shortest, counting with AND and popcount, so only about `m` documents are visited.
   */
  protected shortest(bits: Uint32Array, words: number, m: number): number[] {
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
  protected takeByHash(ties: number[], need: number, out: number[]): void {
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
  protected intersect(rt: readonly Resolved[], accept: ((slot: number) => boolean) | null): number {
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
  protected atLeast(
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
    // How many words (and how much of their weight) each document holds, counted from the words' postings (each
    // document once per word: a stamp per word), not by a scan of every document per word: a long sentence's reading
    // holds up to MAX_QUERY_TOKENS words, and its fallback passes ran k scans of the whole index per reading.
    const count = this.countOf;
    const weightOf = this.weightOf;
    count.fill(0, 0, slots);
    weightOf.fill(0, 0, slots);
    const touched = this.bufB;
    let t = 0;
    const stamp = this.stampA;
    for (let i = 0; i < k; i++) {
      const r = rt[i] as Resolved;
      const fmi = this.fm[i] as Uint8Array;
      const g = ++this.genA;
      // Marked as `mark` does, in the same walk of the postings.
      for (const sid of r.sids) {
        const p = this.postings[sid] as Postings;
        const shift = sid === r.exact ? 0 : INEXACT;
        const pd = p.docs;
        const pf = p.fields;
        for (let e = 0; e < p.n; e++) {
          const slot = pd[e] as number;
          (fmi[slot] as number) |= (pf[e] as number) << shift;
          if (stamp[slot] === g) continue;
          stamp[slot] = g;
          if ((count[slot] as number) === 0) touched[t++] = slot;
          (count[slot] as number)++;
          (weightOf[slot] as number) += r.weight;
        }
      }
    }
    const out = this.bufA;
    let n = 0;
    const keep = (slot: number) => {
      if (this.alive[slot] === 0) return;
      const c = count[slot] as number;
      const ok = required > 0 ? c >= required : c >= half || (weightOf[slot] as number) >= halfWeight - 1e-9;
      if (ok && (accept === null || accept(slot))) out[n++] = slot;
    };
    // In slot order, as a scan would give them: the touched documents sorted when few, else a scan of the counts.
    if (t * 16 < slots) {
      const few = touched.subarray(0, t).sort();
      for (let x = 0; x < t; x++) keep(few[x] as number);
    } else for (let slot = 0; slot < slots; slot++) if ((count[slot] as number) !== 0) keep(slot);
    return n;
  }

  /** Does a syllable (search form) match one of the reading's words? For highlighting. */
  protected matcher(rt: readonly Resolved[]): (folded: string) => boolean {
    const sids = new Set<number>();
    for (const r of rt) for (const s of r.sids) sids.add(s);
    return (folded) => {
      const sid = this.sylIds.get(folded);
      return sid !== undefined && sids.has(sid);
    };
  }

  /** One word corrected to title syllables: [] when nothing is close. */
  protected correct(word: string): string[] {
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
  protected split(word: string): string[] | null {
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
  protected spelling(word: string): string {
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
