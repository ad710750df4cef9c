/**
 * The search index's structure: dictionary of syllables and tone spellings, postings, per-document packed arrays,
 * the bitmaps of common syllables, kinds, scopes and title lengths; adding, replacing, removing and compacting.
 */
import { nfc } from "../text/vi.ts";
import { spelledOut } from "./abbreviations.ts";
import { syllables, tokenize } from "./analyze.ts";
import { estimateBytes } from "./index-memory.ts";
import {
  BODY,
  type Doc,
  fnv1a,
  grow,
  HIST,
  KEYWORDS,
  lenClass,
  lowerBound,
  MAX_TITLE_SYLLABLES,
  type Packed,
  Postings,
  type SearchDoc,
  TITLE,
} from "./index-model.ts";

export abstract class IndexStructure {
  // Dictionary of syllables.
  protected readonly sylIds = new Map<string, number>();
  protected readonly sylText: string[] = [];
  /** Syllables sorted, for prefix ranges. */
  protected readonly sorted: string[] = [];
  protected readonly sortedIds: number[] = [];
  protected readonly postings: Postings[] = [];
  /** Live documents holding the syllable in their title. */
  protected titleDf = new Int32Array(64);
  // Tone keys of title syllables: their id, first spelling seen (for corrected queries), counts per syllable.
  protected readonly toneIds = new Map<string, number>();
  protected readonly toneSpelling: string[] = [];
  protected readonly toneCounts = new Map<number, Map<number, number>>();
  // Kinds and scope sets, interned.
  protected readonly kindIds = new Map<string, number>();
  protected readonly kindNames: string[] = [];
  protected readonly scopeSetIds = new Map<string, number>([["", 0]]);
  protected readonly scopeSets: (readonly string[])[] = [[]];
  // Documents: objects for what queries rarely touch, packed arrays per slot for what they touch often.
  protected docs: (Doc | undefined)[] = [];
  protected readonly slotOf = new Map<string, number>();
  protected alive = new Uint8Array(1024);
  protected kindOf = new Uint16Array(1024);
  protected scopeOf = new Uint32Array(1024);
  protected lenOf = new Uint16Array(1024);
  protected titleAt = new Uint32Array(1024);
  protected boostOf = new Float64Array(1024);
  protected hashOf = new Uint32Array(1024);
  /** Title length over boost, clamped to MAX_TITLE_SYLLABLES: the order of candidates past the cap. */
  protected lenKey = new Uint16Array(1024);
  protected sylAt = new Uint32Array(1024);
  protected sylLen = new Uint32Array(1024);
  // Pools: title syllables and tone keys (from titleAt, lenOf long), distinct syllables and field bits (from sylAt,
  // sylLen long). Removed documents leave garbage until compaction.
  protected titlePool = new Int32Array(16384);
  protected tonePool = new Int32Array(16384);
  protected poolUsed = 0;
  protected sylPool = new Int32Array(65536);
  protected fieldPool = new Uint8Array(65536);
  protected sylPoolUsed = 0;
  protected dead = 0;
  protected sylEntries = 0;
  // Scratch of upsert over the dictionary.
  protected docStamp = new Uint32Array(1024);
  protected docBitsOf = new Uint8Array(1024);
  protected genDoc = 0;
  // Per-query scratch over slots.
  protected fm: Uint8Array[] = [];
  protected stampA = new Uint32Array(0);
  protected stampB = new Uint32Array(0);
  protected bestScore = new Float64Array(0);
  protected bestVariant = new Uint8Array(0);
  protected bestStamp = new Uint32Array(0);
  /** Slots counted among the strong matches of the current query (generation genBest). */
  protected strongStamp = new Uint32Array(0);
  protected bufA = new Int32Array(0);
  protected bufB = new Int32Array(0);
  /** Per slot: how many of a reading's words it holds, and their weight (atLeast). */
  protected countOf = new Uint8Array(0);
  protected weightOf = new Float64Array(0);
  protected genA = 0;
  protected genB = 0;
  protected genBest = 0;
  protected prior = new Float64Array(0);
  protected selectBuf = new Float64Array(0);
  protected bucketOf = new Uint16Array(0);
  protected readonly hist = new Uint32Array(HIST);
  // Bitmaps (bit = slot) of the common syllables: documents holding the syllable in any field, in the title. Kept
  // exact on add and remove; built when a syllable becomes common (liveDf ≥ max(256, N/32)).
  protected bitsAny: (Uint32Array | undefined)[] = [];
  protected bitsTitle: (Uint32Array | undefined)[] = [];
  protected liveDf = new Int32Array(64);
  protected aliveBits = new Uint32Array(32);
  // Per-query bitmap scratch.
  protected accBits = new Uint32Array(0);
  protected titleAllBits = new Uint32Array(0);
  protected orBits = new Uint32Array(0);
  protected unionBits = new Uint32Array(0);
  /** Live documents by kind, by scope set. */
  protected kindBits: Uint32Array[] = [];
  protected scopeBits: Uint32Array[] = [];
  protected admitBits = new Uint32Array(0);
  /** Live documents by length class of their title (see lenClass). */
  protected lenClassBits: (Uint32Array | undefined)[] = [];
  protected pickBits = new Uint32Array(0);
  /** Largest boost ever indexed: bounds the prior. */
  protected maxBoost = 1;
  // Per-query scratch over syllables: which query words a syllable matches.
  protected sylStamp = new Uint32Array(0);
  protected sylMask = new Uint32Array(0);
  protected sylExactMask = new Uint32Array(0);
  protected genSyl = 0;
  /** Title weight of each syllable, idf(N, titleDf), recomputed after changes. */
  protected idf = new Float64Array(0);
  protected idfStale = true;

  /** Changes made (adds, removes, clears): the memory figure is computed again only after one. */
  private changes = 0;
  private memory: { at: number; bytes: number } | null = null;

  /** Live documents. */
  get size(): number {
    return this.slotOf.size;
  }

  /** The index's memory in bytes, computed from its structures (index-memory.ts: an estimate, documented there). */
  memoryBytes(): number {
    if (this.memory?.at !== this.changes) {
      const at = this.changes;
      this.memory = null;
      this.memory = { at, bytes: estimateBytes(this) };
    }
    return this.memory.bytes;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Add a document, or replace the one with the same id. */
  upsert(doc: SearchDoc): void {
    if (typeof doc.id !== "string" || doc.id === "") throw new Error("search: document id required");
    this.changes++;
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
    // A title's abbreviations ("cấp thẻ BHYT") are found by their full words too, as keywords.
    for (const tok of titleTokens) for (const w of spelledOut(tok.folded)) add(this.syllableId(w), KEYWORDS);
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
    this.changes++;
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
    this.changes++;
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
  protected place(slot: number, doc: Doc, packed: Packed, kind: number, scope: number, boost: number): void {
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
  protected packed(slot: number): Packed {
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
  protected link(slot: number, sign: 1 | -1): void {
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
  protected compact(): void {
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

  protected buildBitmaps(sid: number): void {
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

  protected syllableId(text: string): number {
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

  protected toneId(tone: string, spelling: string): number {
    let id = this.toneIds.get(tone);
    if (id === undefined) {
      id = this.toneSpelling.length;
      this.toneIds.set(tone, id);
      this.toneSpelling.push(spelling);
    }
    return id;
  }
}
