/**
 * The procedure-search quality sets, measured the same way by test/search-everyday.test.ts and `npm run bench`: the
 * real 588 commune-level records indexed exactly as the import writes their search documents, searched with the
 * national default synonyms (migration 006's table and the everyday lexicon of migrations 037, 041, 047, 048, 053, 054, 055, 056 and 057) and the national
 * default prior of the fields and audiences (migrations 039 and 047; no procedure weights, nothing learned), as a fresh
 * database searches; with the associations learnt from migration 058's examples (`shippedAssociations`) where a
 * figure is to say what the site does.
 */
import fs from "node:fs";
import path from "node:path";
import { type Associations, learnAssociations } from "../../src/core/search/associations.ts";
import { SearchIndex } from "../../src/core/search/index.ts";
import { audienceOf, DEFAULT_AUDIENCE_PRIORS, DEFAULT_FIELD_PRIORS, priorMap } from "../../src/core/search/prior.ts";
import { DEFAULT_SYNONYMS } from "../../src/core/search/synonyms.ts";
import { normalizeRecord } from "../../src/features/procedures/normalize-record.ts";
import { isProvincialDecision, procedureSearchDoc } from "../../src/features/procedures/procedures.service.ts";

export interface SetQuery {
  q: string;
  expect: string[];
  first?: boolean;
  style?: string;
  kind?: string;
  field?: string;
  knownMiss?: string;
}

const setFile = (name: string) => new URL(`../../src/features/procedures/${name}`, import.meta.url);

/** The blind everyday set (issue 11) and the commit that added it, never edited to fit the engine. */
export const EVERYDAY_SET = { file: "search-everyday.json", addedIn: "21f929c" };
/**
 * The second blind everyday set, written on 2026-12-07 by someone who had seen neither the lexicon, the ranking nor
 * the first set, after the engine had been tuned on the first one. Never edited to fit the engine. It was the
 * estimate for queries not tuned on until it was tuned on in its turn, from 2026-12-07 (`tunedOnSince`: migration
 * 048's lexicon and the concept readings of analyze.ts were written studying its failures, as 041 and 047 studied
 * the first set's); its figures from then on say how much of that tuning holds, not how the engine does on unseen
 * queries.
 */
export const EVERYDAY_SET_2 = { file: "search-everyday-2.json", addedIn: "c6c55c8", tunedOnSince: "2026-12-07" };

/**
 * The third blind everyday set (353 queries), written on 2026-12-07 by someone who had seen neither the lexicon, the
 * ranking nor the other sets, from the procedures' codes, names and fields only, while the engine was being tuned on
 * the second. Never edited (nor reformatted: biome.json leaves it out). It was the estimate for queries not tuned on
 * until it was tuned on in its turn, from 2026-12-07 (`tunedOnSince`: migration 053's lexicon, the "ng" typed "g"
 * reading and the pairs of concepts in analyze.ts were written studying its failures); its figures from then on say
 * how much of that tuning holds. A fourth blind set, kept apart, takes over as the estimate for unseen queries.
 */
export const EVERYDAY_SET_3 = { file: "search-everyday-3.json", addedIn: "ac66f5c", tunedOnSince: "2026-12-07" };

/**
 * The fourth blind everyday set (504 queries), written on 2026-12-07 by someone who had seen neither the lexicon, the
 * ranking nor the other sets, from the procedures' codes, names and fields only, while the engine was being tuned on
 * the third. Never edited (nor reformatted: biome.json leaves it out). It was the estimate for queries not tuned on
 * until it was tuned on in its turn, from 2026-12-07 (`tunedOnSince`: migration 054's lexicon and the doubled last
 * letter of analyze.ts were written studying its failures), once a fifth had been written and kept apart.
 */
export const EVERYDAY_SET_4 = { file: "search-everyday-4.json", addedIn: "d6ab640", tunedOnSince: "2026-12-07" };

/**
 * The fifth blind everyday set (785 queries), written on 2026-12-07 by someone who had seen neither the lexicon, the
 * ranking nor the other sets, from the procedures' codes, names and fields only, before anyone tuned on the fourth.
 * Never edited (nor reformatted: biome.json leaves it out). It was the estimate for queries not tuned on until it was
 * tuned on in its turn, from 2026-12-07 (`tunedOnSince`: migration 055's head words, the one-word homograph guard
 * and the concept readings' context and floor were written studying its failures), once a sixth was being written
 * and kept apart.
 */
export const EVERYDAY_SET_5 = { file: "search-everyday-5.json", addedIn: "38871fd", tunedOnSince: "2026-12-07" };

/**
 * The sixth blind everyday set (771 queries), written on 2026-12-07 by someone who had seen neither the lexicon, the
 * ranking nor the other sets, from the procedures' codes, names and fields only, while the engine was being tuned on
 * the fifth. Never edited (nor reformatted: biome.json leaves it out). It was the estimate for queries not tuned on
 * until it was tuned on in its turn, from 2026-12-07 (`tunedOnSince`: migration 056, the doubled letter inside a
 * word, the reading of words run together and the guard on a filler word's homograph typed bare were written
 * studying its failures), once a seventh was being written and kept apart (bench key `quality.everyday6`).
 */
export const EVERYDAY_SET_6 = { file: "search-everyday-6.json", addedIn: "2da3c4f", tunedOnSince: "2026-12-07" };

/**
 * The seventh blind everyday set (771 queries), written on 2026-12-07 by someone who had seen neither the lexicon, the
 * ranking nor the other sets, from the procedures' codes, names and fields only, while the engine was being tuned on
 * the sixth. Never edited (nor reformatted: biome.json leaves it out). It was the estimate for unseen queries until it
 * was tuned on in its turn, from 2026-12-07 (`tunedOnSince`: migration 057 was written studying its failures, and the
 * sixth's), once an eighth was being written and kept apart (bench key `quality.everyday7`).
 */
export const EVERYDAY_SET_7 = { file: "search-everyday-7.json", addedIn: "acb3b71", tunedOnSince: "2026-12-07" };

/**
 * The eighth blind everyday set (845 queries), written on 2026-12-07 by someone who had seen neither the lexicon, the
 * ranking nor the other sets, from the procedures' codes, names and fields only, while the engine was being tuned on
 * the seventh. Never edited (nor reformatted: biome.json leaves it out), never tuned on: the estimate for unseen
 * queries (bench key `quality.everydayNotTunedOn`). Whoever tunes on it must write a ninth first.
 */
export const EVERYDAY_SET_8 = { file: "search-everyday-8.json", addedIn: "43033b5" };

/** The sets whose queries migration 058 ships as examples the search learns from (never the eighth). */
export const LEARNT_SETS: readonly string[] = [
  EVERYDAY_SET,
  EVERYDAY_SET_2,
  EVERYDAY_SET_3,
  EVERYDAY_SET_4,
  EVERYDAY_SET_5,
  EVERYDAY_SET_6,
  EVERYDAY_SET_7,
].map((s) => s.file);

export function readSet(name: string): { queries: SetQuery[] } {
  return JSON.parse(fs.readFileSync(setFile(name), "utf8"));
}

/** The index of the real records, their names by code, and their default prior (migration 039's field weights, 047's audience weights). */
export function realIndex(sharedDir: string): {
  index: SearchIndex;
  names: Map<string, string>;
  prior: Map<string, number>;
} {
  const index = new SearchIndex();
  const names = new Map<string, string>();
  const fields: { id: string; code: string; field: string; audience: string | null }[] = [];
  fs.readFileSync(path.join(sharedDir, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) return;
      const r = normalizeRecord(JSON.parse(line), i + 1);
      if (!r.ok) throw new Error(`line ${i + 1}: ${r.problem.reason}`);
      // Any province id: provincial records are scoped to one, as the import does; no scope filter is applied.
      index.upsert(procedureSearchDoc(r.record, isProvincialDecision(r.record.decisionNumber) ? 1 : null));
      names.set(r.record.code, r.record.name);
      const audience = audienceOf(r.record.subjects.join(", "));
      fields.push({ id: `procedure:${r.record.code}`, code: r.record.code, field: r.record.field, audience });
    });
  const none = new Map<string, number>();
  const prior = priorMap(fields, {
    fields: DEFAULT_FIELD_PRIORS,
    procedures: none,
    audiences: DEFAULT_AUDIENCE_PRIORS,
    learned: none,
  });
  return { index, names, prior };
}

export interface SetFigures {
  queries: number;
  top1: number;
  top3: number;
  top1Share: number;
  top3Share: number;
  misses: { q: string; expect: string[]; got: string[] }[];
}

/** Top-1 and top-3 of a set: a query counts when one of its accepted codes is first / among the first three. */
export function measure(
  index: SearchIndex,
  queries: SetQuery[],
  prior?: ReadonlyMap<string, number>,
  associations?: Associations,
): SetFigures {
  let top1 = 0;
  let top3 = 0;
  const misses: SetFigures["misses"] = [];
  for (const q of queries) {
    const got = index
      .search(q.q, { limit: 3, synonyms: DEFAULT_SYNONYMS, prior, ...(associations ? { associations } : {}) })
      .items.map((h) => h.id.replace(/^procedure:/, ""));
    if (q.expect.includes(got[0] ?? "")) top1++;
    if (got.some((c) => q.expect.includes(c))) top3++;
    else misses.push({ q: q.q, expect: q.expect, got });
  }
  const share = (n: number) => Math.round((n / Math.max(1, queries.length)) * 1000) / 1000;
  return { queries: queries.length, top1, top3, top1Share: share(top1), top3Share: share(top3), misses };
}

/**
 * Associations (associations.ts) learnt from sets of queries, each query leading to the procedures it accepts, read
 * with the national default synonyms (for their filler words), as a search log's opened results would teach them.
 */
export function learntFrom(files: readonly string[]): Associations {
  return learntFromQueries(files.flatMap((f) => readSet(f).queries));
}

/**
 * The associations a fresh database searches with: learnt from the examples migration 058 ships (the queries of sets
 * 1–7 with their accepted procedures), read with the national default synonyms, as SearchService learns them.
 */
export function shippedAssociations(): Associations {
  return learntFromQueries(shippedExamples());
}

/** The examples migration 058 ships, as queries with their accepted codes. */
export function shippedExamples(): Pick<SetQuery, "q" | "expect">[] {
  const shipped = JSON.parse(
    fs.readFileSync(new URL("../../src/core/db/migrations/20261207-058-search-examples.json", import.meta.url), "utf8"),
  ) as { examples: [string, string[], number][] };
  return shipped.examples.map(([q, expect]) => ({ q: q.normalize("NFC"), expect }));
}

function learntFromQueries(queries: readonly Pick<SetQuery, "q" | "expect">[]): Associations {
  return learnAssociations(
    queries.map((q) => ({ q: q.q, ids: q.expect.map((c) => `procedure:${c}`) })),
    DEFAULT_SYNONYMS,
  );
}
