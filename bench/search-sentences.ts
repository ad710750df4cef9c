/**
 * Long everyday sentences' CPU cost: `npx tsx bench/search-sentences.ts [cpu|quality]`. `cpu`: the queries of seven
 * words or more of everyday sets 1–3 (never the held-out fourth) against bench/search.ts's 100,000 synthetic
 * documents, each warmed once then timed three times in process CPU time (process.cpuUsage: the machine is shared);
 * p50/p95/max/mean and the slowest. `quality`: top-1/top-3 and the misses of sets 1–3 and the official words, to
 * diff before and after a change.
 */

import { queryTokens } from "../src/core/search/analyze.ts";
import { DEFAULT_SYNONYMS } from "../src/core/search/synonyms.ts";
import {
  EVERYDAY_SET,
  EVERYDAY_SET_2,
  EVERYDAY_SET_3,
  measure,
  readSet,
  realIndex,
} from "../test/helpers/search-sets.ts";
import { readRecords, syntheticIndex } from "./search.ts";

const mode = process.argv[2] ?? "both";
if (mode !== "cpu") {
  const { index, prior } = realIndex("/work/shared");
  const out: Record<string, unknown> = {};
  for (const s of [EVERYDAY_SET, EVERYDAY_SET_2, EVERYDAY_SET_3]) {
    const f = measure(index, readSet(s.file).queries, prior);
    out[s.file] = { top1: f.top1, top3: f.top3, n: f.queries, misses: f.misses.map((m) => m.q) };
  }
  const ow = readSet("search-quality.json").queries;
  const f = measure(index, ow, prior);
  out.official = { top1: f.top1, top3: f.top3, n: f.queries, misses: f.misses.map((m) => m.q) };
  console.log(JSON.stringify(out));
}
if (mode !== "quality") {
  const big = syntheticIndex(readRecords(), 100_000);
  const qs = [EVERYDAY_SET, EVERYDAY_SET_2, EVERYDAY_SET_3].flatMap((s) => readSet(s.file).queries.map((q) => q.q));
  const long = qs.filter((q) => queryTokens(q).length >= 7);
  const opts = { limit: 20, synonyms: DEFAULT_SYNONYMS };
  for (const q of long) big.search(q, opts);
  const samples: { q: string; ms: number }[] = [];
  for (let r = 0; r < 3; r++)
    for (const q of long) {
      const c0 = process.cpuUsage();
      big.search(q, opts);
      const c = process.cpuUsage(c0);
      samples.push({ q, ms: (c.user + c.system) / 1000 });
    }
  const s = samples.map((x) => x.ms).sort((a, b) => a - b);
  const p = (k: number) => s[Math.min(s.length - 1, Math.ceil((k / 100) * s.length) - 1)];
  const worst = new Map<string, number>();
  for (const x of samples) worst.set(x.q, Math.min(worst.get(x.q) ?? 1e9, x.ms));
  console.log(
    JSON.stringify({
      long: long.length,
      p50: p(50),
      p95: p(95),
      max: s[s.length - 1],
      mean: s.reduce((a, b) => a + b, 0) / s.length,
      slowest: [...worst].sort((a, b) => b[1] - a[1]).slice(0, 8),
    }),
  );
}
