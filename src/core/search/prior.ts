/**
 * A prior for what citizens do at a ward (issue 11 §3): when the lexical evidence for two results is close, the one
 * people commonly do at the ward (a birth registration, a certified copy) ranks above a rarely used one (an
 * enterprise's customs or tax declaration). The prior is data, never a list in the ranking code: each document gets
 * a value in [−1, 1] from the database (a weight per field and per procedure, set by staff, plus a weight learned
 * from how often results are opened), and the index applies this rule:
 *
 *   - band: only results scoring at least (1 − PRIOR_BAND) × the top score are touched; the others keep their
 *     lexical order, below every result of the band;
 *   - within the band, a result's rank score is its score + prior × PRIOR_SPAN × top score: a prior of ±1 moves a
 *     result by at most PRIOR_SPAN of the top score, so it reorders only results whose scores are that close;
 *   - an exact official match (the words as typed, all in the title, adjacent and in order) is never buried: its
 *     prior only lifts it, and a result that is not an exact match never passes an exact match that scored at least
 *     as high ("khai hải quan" still lists customs first whatever the prior of the customs field);
 *   - the learned part is log-scaled in the number of opens and capped at LEARNED_CAP, so popularity moves a
 *     result by at most LEARNED_CAP × PRIOR_SPAN of the top score (under 1%): a popular result cannot snowball.
 *
 * Ties of the rank score fall back to the index's own tie-break (folded title, title, id), the same on every run and
 * database. Pure functions, so the rule is tested alone (prior.test.ts).
 */

import defaults from "../db/migrations/20261207-039-search-prior.json" with { type: "json" };
import audienceDefaults from "../db/migrations/20261207-047-lexicon-and-audience.json" with { type: "json" };

/** Share of the top score within which the prior acts. */
export const PRIOR_BAND = 0.06;
/** Share of the top score a prior of ±1 moves a result by. */
export const PRIOR_SPAN = PRIOR_BAND / 3;
/** Most the learned part adds to a result's prior. */
export const LEARNED_CAP = 0.25;
/** Opens (over the search log's retention) at which the learned part reaches its cap. */
export const LEARNED_SATURATION = 1000;
/** A staff-set weight is within [−MAX_WEIGHT, MAX_WEIGHT]. */
export const MAX_WEIGHT = 1;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The learned part of a document's prior from its opens: log-scaled, in [0, LEARNED_CAP]. */
export function learnedWeight(opens: number): number {
  if (!Number.isFinite(opens) || opens <= 0) return 0;
  return round6(LEARNED_CAP * Math.min(1, Math.log1p(opens) / Math.log1p(LEARNED_SATURATION)));
}

/**
 * The audience key of a procedure only organisations may file (enterprises, co-operatives, agencies, officials in
 * office): its catalogue record's "Đối tượng thực hiện" names no person (citizen, Vietnamese abroad, foreigner,
 * individual, household). Its weight is data (`search_priors`, target 'audience'; default from migration 047).
 */
export const ORGANISATIONS_ONLY = "to-chuc";

const PERSON = /công dân|người|cá nhân|hộ gia đình/iu;

/** The audience key of a procedure from its subjects as the catalogue writes them; null when a person may file it. */
export function audienceOf(subjects: string): string | null {
  const text = subjects.normalize("NFC").trim();
  if (!text || PERSON.test(text)) return null;
  return ORGANISATIONS_ONLY;
}

/**
 * A document's prior: the staff's weight for it plus the learned part, within [−1, 1]. The staff's weight is its
 * procedure's when set; else its field's (0 when none), capped by its audience's when it has one: a field citizens
 * often deal with (land, social insurance) does not lift a procedure of that field that only organisations file.
 */
export function combinedPrior(parts: {
  procedure?: number | null;
  field?: number | null;
  audience?: number | null;
  learned?: number;
}): number {
  const field = parts.field ?? 0;
  const staff = parts.procedure ?? (parts.audience == null ? field : Math.min(field, parts.audience));
  const learned = clamp(parts.learned ?? 0, 0, LEARNED_CAP);
  return round6(clamp(clamp(staff, -MAX_WEIGHT, MAX_WEIGHT) + learned, -1, 1));
}

/** What the rule needs of a scored result. */
export interface PriorCandidate {
  /** The lexical score. */
  score: number;
  /** An exact official match: every word as typed in the title, adjacent and in order. */
  exact: boolean;
  /** In [−1, 1]; 0 when the document has none. */
  prior: number;
}

/** Results of the band rank this far above the others, more than any score (scores are at most 100 × boost), with
 *  room for 6 decimals. */
const TIER = 1e6;

/**
 * The rank scores of a query's results (higher first; equal ones fall to the index's tie-break) when the best score
 * is `top`: outside the band, the score; within it, score + prior × PRIOR_SPAN × top, where an exact match's prior
 * counts only upward and a result that is not an exact match stays below every exact match scored at least as high.
 */
export function priorRanks(cands: readonly PriorCandidate[], top: number): number[] {
  const out = cands.map((c) => c.score);
  if (!(top > 0)) return out;
  const floor = top * (1 - PRIOR_BAND);
  const priorOf = (c: PriorCandidate) => (Number.isFinite(c.prior) ? clamp(c.prior, -1, 1) : 0);
  const exact: { score: number; rank: number }[] = [];
  cands.forEach((c, i) => {
    if (c.score < floor || !c.exact) return;
    out[i] = TIER + round6(c.score + Math.max(0, priorOf(c)) * PRIOR_SPAN * top);
    exact.push({ score: c.score, rank: out[i] as number });
  });
  // Exact matches by score, highest first, with the lowest rank among each prefix.
  exact.sort((a, b) => b.score - a.score);
  const lowest: number[] = [];
  for (const e of exact) lowest.push(Math.min(e.rank, lowest[lowest.length - 1] ?? Number.POSITIVE_INFINITY));
  cands.forEach((c, i) => {
    if (c.score < floor || c.exact) return;
    let rank = TIER + round6(c.score + priorOf(c) * PRIOR_SPAN * top);
    // The last exact match scored at least as high as this result (binary search).
    let lo = 0;
    let hi = exact.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((exact[mid] as { score: number }).score >= c.score) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) rank = Math.min(rank, round6((lowest[lo - 1] as number) - 1e-6));
    out[i] = rank;
  });
  return out;
}

/** The staff-set weights a ward's search reads (nation, then province, then the ward: the latter win), and the
 *  learned ones, by key. */
export interface PriorWeights {
  /** By field name, NFC. */
  fields: ReadonlyMap<string, number>;
  /** By procedure code. */
  procedures: ReadonlyMap<string, number>;
  /** By audience key (`audienceOf`); none means no audience weighs. */
  audiences?: ReadonlyMap<string, number>;
  /** By search document id. */
  learned: ReadonlyMap<string, number>;
}

/** Each document's prior (only those not 0), from its field, audience and procedure code when it is a procedure. */
export function priorMap(
  docs: Iterable<{ id: string; code?: string | null; field?: string | null; audience?: string | null }>,
  w: PriorWeights,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of docs) {
    const p = combinedPrior({
      procedure: d.code ? w.procedures.get(d.code) : undefined,
      field: d.field ? w.fields.get(d.field.normalize("NFC")) : undefined,
      audience: d.audience ? w.audiences?.get(d.audience) : undefined,
      learned: w.learned.get(d.id),
    });
    if (p !== 0) out.set(d.id, p);
  }
  return out;
}

/** The field weights shipped by migration 039 (the same file it seeds the national rows with). */
export const DEFAULT_FIELD_PRIORS: ReadonlyMap<string, number> = new Map(
  defaults.fields.map((f) => [f.field.normalize("NFC"), f.weight] as const),
);

/** The audience weights shipped by migration 047 (the same file it seeds the national rows with). */
export const DEFAULT_AUDIENCE_PRIORS: ReadonlyMap<string, number> = new Map(
  audienceDefaults.audiences.map((a) => [a.key, a.weight] as const),
);
