/**
 * What queries led to (issue 11 §5, a loop that learns): from examples of queries and the documents that answered
 * them (a search log's opened results, or a reviewed set of everyday queries with their accepted procedures), each
 * query feature — a content word as typed, folded, filler left out, or two adjacent ones — is associated with the
 * documents it led to, by share. A new query's association with a document is the sum, over its features, of the
 * feature's idf (over the examples: "giấy" says little, "ghe" a lot) × the document's share of it.
 *
 * Word-level, not phrase-level: "ghe" learnt from "đăng ký ghe máy" also helps "nhà tui ở trên ghe". The index adds
 * it to the lexical score (index.ts, `opts.associations`). Pure functions: the same examples give the same table.
 */
import { contentTokens, type SynonymTable } from "./analyze.ts";

/** One example: a query and the documents (ids) that answered it. */
export interface QueryExample {
  q: string;
  ids: readonly string[];
}

/** The learnt table: per feature, how many examples hold it and the documents it led to, by share (summing to 1). */
export interface Associations {
  /** Examples learnt from. */
  n: number;
  features: ReadonlyMap<string, { df: number; ids: readonly { id: string; share: number }[] }>;
}

/** Documents kept per feature, the most associated first: a feature's tail says little and costs lookups. */
export const MAX_IDS_PER_FEATURE = 24;

/** A query's features: its content words (folded, filler left out) and each pair of adjacent ones ("khai sinh"). */
export function queryFeatures(query: string, synonyms?: SynonymTable): string[] {
  // The words `parseQuery` reads (its `tokens`), without building its readings: learning reads thousands of examples.
  return featuresOf(contentTokens(query, synonyms).map((t) => t.folded));
}

/** The features of a query's content words (folded): each word, each pair of adjacent words. */
export function featuresOf(words: readonly string[]): string[] {
  const out = new Set(words);
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  return [...out];
}

/** Learn the table from examples (deterministic: ties by id). */
export function learnAssociations(examples: Iterable<QueryExample>, synonyms?: SynonymTable): Associations {
  const counts = new Map<string, { df: number; ids: Map<string, number> }>();
  let n = 0;
  for (const ex of examples) {
    const ids = [...new Set(ex.ids)];
    if (ids.length === 0) continue;
    n++;
    for (const f of queryFeatures(ex.q, synonyms)) {
      let c = counts.get(f);
      if (!c) {
        c = { df: 0, ids: new Map() };
        counts.set(f, c);
      }
      c.df++;
      for (const id of ids) c.ids.set(id, (c.ids.get(id) ?? 0) + 1 / ids.length);
    }
  }
  const features = new Map<string, { df: number; ids: { id: string; share: number }[] }>();
  for (const [f, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    let total = 0;
    for (const v of c.ids.values()) total += v;
    const ids = [...c.ids]
      .map(([id, v]) => ({ id, share: Math.round((v / total) * 1e6) / 1e6 }))
      .sort((a, b) => b.share - a.share || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, MAX_IDS_PER_FEATURE);
    features.set(f, { df: c.df, ids });
  }
  return { n, features };
}

/** Each document's association with a query's features: Σ idf(feature) × share, idf = ln(n / df). */
export function associationScores(table: Associations, features: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (table.n === 0) return out;
  for (const f of features) {
    const entry = table.features.get(f);
    if (!entry) continue;
    const idf = Math.log(table.n / entry.df);
    if (!(idf > 0)) continue;
    for (const { id, share } of entry.ids) out.set(id, (out.get(id) ?? 0) + idf * share);
  }
  return out;
}
