/**
 * Pre-rendered copies of a ward's heaviest public pages (the notice board, the catalogue), shared by every app
 * process, and the counters that say whether a copy is still current (issue 12).
 * - `page_copies`: one row per ward, page and day in Vietnam: the page compressed (gzip and brotli), its ETag, and
 *   the stamp of what it was rendered from (see below). Derived data: a lost row costs one render.
 * - `copy_inputs`: a generation per administrative unit (0: shared data, the national catalogue), advanced in the
 *   writing transaction itself by row triggers on every table a copied page is rendered from: the units and their
 *   links (the ward's name, predecessors, province), procedures and their versions (by the procedure's scope unit:
 *   NULL is national, 0), the units' local values, the ward's contact details. A copy records the generations it
 *   was rendered after; any write since moves one of them, so comparing costs one indexed read, in any process.
 * Both quiet (no change notification, no data-epoch trigger): no page shows them, and the job's own write must not
 * evict the ward's cached pages.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

/** Each watched table and the SQL of the unit(s) a row (`R`: NEW or OLD) belongs to. */
const WATCHED: [table: string, units: (r: string) => string[]][] = [
  ["admin_units", (r) => [`${r}.id`]],
  ["admin_unit_links", (r) => [`${r}.from_id`, `${r}.to_id`]],
  ["procedures", (r) => [`coalesce(${r}.scope_unit_id, 0)`]],
  [
    "procedure_versions",
    // The procedure's scope; 0 (every ward) when it is national or already gone (deleted in the same statement).
    (r) => [`coalesce((select p.scope_unit_id from procedures p where p.id = ${r}.procedure_id), 0)`],
  ],
  ["procedure_overrides", (r) => [`${r}.unit_id`]],
  ["ward_profiles", (r) => [`${r}.ward_id`]],
];

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const bytes = ctx.dialect === "postgres" ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable("page_copies")
    .addColumn("ward_id", "integer", (c) => c.notNull())
    .addColumn("page", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("stamp", "text", (c) => c.notNull())
    .addColumn("etag", "text", (c) => c.notNull())
    .addColumn("gzip", bytes, (c) => c.notNull())
    .addColumn("brotli", bytes, (c) => c.notNull())
    .addColumn("html_bytes", "integer", (c) => c.notNull())
    .addColumn("rendered_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("page_copies_pk", ["ward_id", "page", "day"])
    .execute();
  await db.schema
    .createTable("copy_inputs")
    .addColumn("unit_id", "integer", (c) => c.primaryKey())
    .addColumn("gen", "integer", (c) => c.notNull())
    .execute();

  if (ctx.dialect === "postgres") {
    // Already compressed: PostgreSQL's own compression of the bodies would only cost time.
    await sql`alter table page_copies alter column gzip set storage external`.execute(db);
    await sql`alter table page_copies alter column brotli set storage external`.execute(db);
    await sql`
create function copy_inputs_bump(unit integer) returns void language sql as $$
  insert into copy_inputs (unit_id, gen) values (coalesce(unit, 0), 1)
  on conflict (unit_id) do update set gen = copy_inputs.gen + 1
$$`.execute(db);
    for (const [table, units] of WATCHED) {
      const fn = `copy_inputs_${table}`;
      const bumps = (r: string) => units(r).map((u) => `perform copy_inputs_bump((${u})::integer);`);
      await sql
        .raw(`create function ${fn}() returns trigger language plpgsql as $body$
begin
  if tg_op in ('UPDATE', 'DELETE') then ${bumps("OLD").join(" ")} end if;
  if tg_op in ('INSERT', 'UPDATE') then ${bumps("NEW").join(" ")} end if;
  return null;
end
$body$`)
        .execute(db);
      await sql
        .raw(`create trigger copy_inputs_bump after insert or update or delete on ${table}
        for each row execute function ${fn}()`)
        .execute(db);
    }
    return;
  }
  for (const [table, units] of WATCHED) {
    const bumps = (r: string) =>
      units(r)
        .map(
          // No conflict clause: inside a trigger SQLite applies the outer statement's (an upsert's) instead of
          // `or ignore`, and the insert of a unit already counted failed. So insert only what is missing.
          (u) =>
            `insert into copy_inputs (unit_id, gen) select coalesce(${u}, 0), 0
               where not exists (select 1 from copy_inputs where unit_id = coalesce(${u}, 0));
             update copy_inputs set gen = gen + 1 where unit_id = coalesce(${u}, 0);`,
        )
        .join("\n");
    const trigger = (op: string, rows: string[]) =>
      sql.raw(`create trigger copy_inputs_${op.toLowerCase()}_${table} after ${op} on ${table}
        begin ${rows.map(bumps).join("\n")} end`);
    await trigger("INSERT", ["NEW"]).execute(db);
    await trigger("UPDATE", ["OLD", "NEW"]).execute(db);
    await trigger("DELETE", ["OLD"]).execute(db);
  }
}
