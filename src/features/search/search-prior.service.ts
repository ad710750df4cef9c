/**
 * The search prior as data (issue 11 §3; the rule is core/search/prior.ts). Two parts:
 *
 * - Staff-set weights in [−1, 1] (`search_priors`), per field of the catalogue or per procedure. Owned like the
 *   catalogue they weigh (core/auth/owners.ts): the nation's rows (the reviewed defaults of migration 039) are shared
 *   by every ward and changed only by a deployment operator; a province sets its own for its wards, a ward its own
 *   for its search; a ward reads the nation's, then its province's, then its own (the latter win), and a procedure's
 *   weight wins over its field's. Each change replaces the row (a new id, so every server's index notices at its next
 *   search) and is audited in the same transaction.
 * - A learned weight per search document (`search_prior_learned`), from how often it was opened from the results
 *   page in every ward over the search log's retention (`search_opens`): log-scaled and capped (`learnedWeight`), so
 *   popularity adds at most LEARNED_CAP and cannot snowball. Computed by the job `search.prior.learn` (core/jobs),
 *   which runs once a day and schedules its next run; staff may run it now from the prior's page.
 */
import { type Actor, audit } from "../../core/audit.ts";
import { type Owner, ownersReadBy } from "../../core/auth/owners.ts";
import type { Db } from "../../core/db/connection.ts";
import { defineJob, enqueueJob, type JobContext } from "../../core/jobs/jobs.ts";
import { learnedWeight, MAX_WEIGHT } from "../../core/search/prior.ts";
import { compareVi, nfc } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { fresh, mayShow } from "./search.service.ts";

export type PriorTarget = "field" | "procedure" | "audience";

export interface PriorRow {
  id: number;
  owner: string;
  target: PriorTarget;
  key: string;
  weight: number;
  note: string;
  origin: "default" | "staff";
  updatedAt: string;
}

const TARGET_ORDER: readonly PriorTarget[] = ["field", "audience", "procedure"];

/** The rows of these owners, fields first, then audiences, then procedures, by key. */
export async function listPriors(db: Db, owners: readonly Owner[]): Promise<PriorRow[]> {
  if (owners.length === 0) return [];
  const rows = await db.kysely
    .selectFrom("search_priors")
    .selectAll()
    .where("owner", "in", [...owners])
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      owner: r.owner,
      target: r.target,
      key: r.key,
      weight: Number(r.weight),
      note: r.note,
      origin: r.origin,
      updatedAt: r.updated_at,
    }))
    .sort(
      (a, b) =>
        TARGET_ORDER.indexOf(a.target) - TARGET_ORDER.indexOf(b.target) || compareVi(a.key, b.key) || a.id - b.id,
    );
}

/** The fields and procedures (code, name) a ward's search may weigh: those its visitors may see. */
export async function weighable(
  db: Db,
  ward: Ward,
  national: boolean,
): Promise<{ fields: string[]; procedures: Map<string, { name: string; field: string }> }> {
  const s = await fresh(db);
  const fields = new Set<string>();
  const procedures = new Map<string, { name: string; field: string }>();
  for (const p of s.procedures()) {
    if (!national && !mayShow(s, ward, p.id)) continue;
    if (p.field) fields.add(p.field);
    procedures.set(p.code, { name: s.metaOf(p.id)?.title ?? p.code, field: p.field });
  }
  return { fields: [...fields].sort((a, b) => compareVi(a, b)), procedures };
}

export type PriorErrors = Partial<Record<"field" | "code" | "weight" | "note", string>>;

export const MAX_NOTE_CHARS = 200;

/**
 * Set the weight of a field or a procedure for `owner` (who may write for it is the caller's check, `mayChange`).
 * The key must be one the caller may weigh (`weighable`). Replaces the owner's row for that key; audited.
 */
export async function setPrior(
  db: Db,
  actor: Actor,
  owner: Owner,
  input: { target: PriorTarget; key: string; weight: number; note: string },
  now: Date,
): Promise<{ id: number }> {
  const key = nfc(input.key).trim();
  const weight = Math.round(Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, input.weight)) * 100) / 100;
  const note = nfc(input.note).replace(/\s+/g, " ").trim();
  return db.kysely.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("search_priors")
      .selectAll()
      .where("owner", "=", owner)
      .where("target", "=", input.target)
      .where("key", "=", key)
      .executeTakeFirst();
    if (before) await trx.deleteFrom("search_priors").where("id", "=", before.id).execute();
    const row = await trx
      .insertInto("search_priors")
      .values({
        owner,
        target: input.target,
        key,
        weight,
        note,
        origin: "staff",
        updated_by: actor.userId,
        updated_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      actor,
      {
        action: "search.prior.set",
        entity: "search_prior",
        entityId: row.id,
        before: before ? { weight: Number(before.weight), note: before.note, origin: before.origin } : undefined,
        after: { owner, target: input.target, key, weight, note },
      },
      now,
    );
    return { id: row.id };
  });
}

/**
 * Remove one row (the owner's weight for a key; the level above then applies): its key, null when there is none,
 * "forbidden" when the caller may not change its owner. Audited.
 */
export async function removePrior(
  db: Db,
  actor: Actor,
  id: number,
  mayChange: (owner: string) => boolean,
  now: Date,
): Promise<string | null | "forbidden"> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("search_priors").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return null;
    if (!mayChange(row.owner)) return "forbidden" as const;
    await trx.deleteFrom("search_priors").where("id", "=", id).execute();
    await audit(
      trx,
      actor,
      {
        action: "search.prior.remove",
        entity: "search_prior",
        entityId: id,
        before: { owner: row.owner, target: row.target, key: row.key, weight: Number(row.weight), note: row.note },
      },
      now,
    );
    return row.key;
  });
}

/** The owners whose weights a ward's search reads, most general first (the same as the synonyms'). */
export const priorOwnersOf = (ward: Pick<Ward, "unit" | "province">) => ownersReadBy(ward);

// ---------------------------------------------------------------------------------------------------------------
// Learning from opens
// ---------------------------------------------------------------------------------------------------------------

export interface LearnedRow {
  docKey: string;
  opens: number;
  weight: number;
}

/**
 * Recompute the learned weights from the opens kept (every ward, every day the log keeps): one row per document
 * opened, `learnedWeight(opens)`. Writes only when something changed (an unchanged prior empties no cached page).
 */
export async function learnPrior(db: Db, now: Date): Promise<{ documents: number; changed: boolean }> {
  const sums = await db.kysely
    .selectFrom("search_opens")
    .select(["doc_key", (eb) => eb.fn.sum<number | string>("opens").as("n")])
    .groupBy("doc_key")
    .execute();
  const next = new Map<string, { opens: number; weight: number }>();
  for (const r of sums) {
    const opens = Number(r.n);
    const weight = learnedWeight(opens);
    if (weight > 0) next.set(r.doc_key, { opens, weight });
  }
  return db.kysely.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("search_prior_learned").select(["doc_key", "opens", "weight"]).execute();
    const same =
      current.length === next.size &&
      current.every((r) => {
        const n = next.get(r.doc_key);
        return n && n.opens === Number(r.opens) && n.weight === Number(r.weight);
      });
    if (same) return { documents: next.size, changed: false };
    await trx.deleteFrom("search_prior_learned").execute();
    const rows = [...next].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto("search_prior_learned")
        .values(
          rows.slice(i, i + 200).map(([doc_key, v]) => ({
            doc_key,
            opens: v.opens,
            weight: v.weight,
            computed_at: now.toISOString(),
          })),
        )
        .execute();
    return { documents: next.size, changed: true };
  });
}

/** The learned weights, most opened first (the staff page shows the first ones). */
export async function listLearned(db: Db, limit: number): Promise<LearnedRow[]> {
  const rows = await db.kysely
    .selectFrom("search_prior_learned")
    .select(["doc_key", "opens", "weight"])
    .orderBy("opens", "desc")
    .orderBy("doc_key")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ docKey: r.doc_key, opens: Number(r.opens), weight: Number(r.weight) }));
}

/** The job's key: one queued run at a time (a new schedule replaces the queued one). */
export const LEARN_JOB_KEY = "search-prior-learn";
/** How often the learned weights are recomputed. */
export const LEARN_EVERY_MS = 24 * 3600_000;

/** Recompute the learned weights, then schedule the next run a day later. */
export const learnPriorJob = defineJob<Record<string, never>>("search.prior.learn", async (_payload, ctx) => {
  await runLearning(ctx);
});

async function runLearning(ctx: JobContext): Promise<void> {
  const r = await learnPrior(ctx.db, ctx.now);
  if (r.changed) ctx.log.info({ event: "search_prior.learned", documents: r.documents }, "search prior learned");
  await ctx.db.kysely
    .transaction()
    .execute((trx) =>
      enqueueJob(
        trx,
        learnPriorJob,
        {},
        { key: LEARN_JOB_KEY, runAt: new Date(ctx.now.getTime() + LEARN_EVERY_MS) },
        ctx.now,
      ),
    );
}

/**
 * Queue the learning (at `runAt`, default now) unless a run is queued already and `replace` is not set: the server
 * calls it at start (so the daily runs begin), staff to run it now (`replace`).
 */
export async function scheduleLearning(db: Db, now: Date, opts: { runAt?: Date; replace?: boolean } = {}) {
  await db.kysely.transaction().execute(async (trx) => {
    if (!opts.replace) {
      const queued = await trx
        .selectFrom("jobs")
        .select("id")
        .where("key", "=", LEARN_JOB_KEY)
        .where("status", "in", ["queued", "running"])
        .executeTakeFirst();
      if (queued) return;
    }
    await enqueueJob(trx, learnPriorJob, {}, { key: LEARN_JOB_KEY, runAt: opts.runAt ?? now }, now);
  });
}
