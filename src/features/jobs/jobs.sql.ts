/** The jobs page's reads of the `jobs` table (written by core/jobs/jobs.ts): every statement of the feature. */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";

/** `wardId` null: every job (the deployment's operator). */
type WardFilter = { wardId: number | null };

export async function jobsInState(
  db: Kysely<Database>,
  o: WardFilter & { status: string; finishedSince?: string; limit: number },
) {
  let query = db
    .selectFrom("jobs")
    .leftJoin("admin_units", "admin_units.id", "jobs.ward_id")
    .select([
      "jobs.id",
      "jobs.kind",
      "jobs.status",
      "jobs.attempts",
      "jobs.run_at",
      "jobs.created_at",
      "jobs.finished_at",
      "jobs.last_error",
      "admin_units.name as ward_name",
    ])
    .where("jobs.status", "=", o.status);
  if (o.wardId !== null) query = query.where("jobs.ward_id", "=", o.wardId);
  if (o.finishedSince) query = query.where("jobs.finished_at", ">=", o.finishedSince);
  // Waiting and running jobs by when they are due; finished and failed ones, newest first.
  query =
    o.status === "queued" || o.status === "running"
      ? query.orderBy("jobs.run_at").orderBy("jobs.id")
      : query.orderBy("jobs.finished_at", "desc").orderBy("jobs.id", "desc");
  return query.limit(o.limit).execute();
}

export type JobRow = Awaited<ReturnType<typeof jobsInState>>[number];

/** How many jobs are in each state (finished ones since `doneSince`). */
export async function jobCounts(db: Kysely<Database>, o: WardFilter & { doneSince: string }) {
  let query = db
    .selectFrom("jobs")
    .select((eb) => ["status", eb.fn.countAll<number | string>().as("n")])
    .where((eb) =>
      eb.or([
        eb("status", "in", ["queued", "running", "failed"]),
        eb.and([eb("status", "=", "done"), eb("finished_at", ">=", o.doneSince)]),
      ]),
    )
    .groupBy("status");
  if (o.wardId !== null) query = query.where("ward_id", "=", o.wardId);
  return query.execute();
}

/** One job, if the scope may see it. */
export async function jobOf(db: Kysely<Database>, id: number, wardId: number | null) {
  let query = db
    .selectFrom("jobs")
    .select(["id", "kind", "ward_id", "status", "attempts", "last_error"])
    .where("id", "=", id);
  if (wardId !== null) query = query.where("ward_id", "=", wardId);
  return query.executeTakeFirst();
}
