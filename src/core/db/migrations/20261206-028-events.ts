/**
 * Conferences, community meetings and meetings with a reform item (issue 10 §4): an event a unit of the ward
 * organises, reviewed by the office and approved by a leader before it is announced, then marked held with its
 * attendance by group, which writes its one ledger activity. Steps are unique per (event, round, status) like the
 * other workflows, so a step happens once however many identical requests race for it.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("events")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    // conference | residential | union | integrated
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("place", "text", (c) => c.notNull())
    // Vietnam local date and times: what the invitation says ("08:00 ngày 20/03/2024").
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("partners_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("area_ids_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("expected_audience", "integer")
    // draft → submitted → reviewed → approved → held; any but held → withdrawn, held → withdrawn undoes the ledger row
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("return_reason", "text")
    // Set when a leader approves it: from then on it is public (a later cancellation too, so calendars learn of it).
    .addColumn("announced_at", "text")
    .addColumn("attendance_json", "text")
    .addColumn("attended", "integer")
    .addColumn("cost", "integer")
    .addColumn("withdrawn_reason", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_ward_day").on("events").columns(["ward_id", "starts_on"]).execute();

  await db.schema
    .createTable("event_steps")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("event_id", "integer", (c) => c.notNull().references("events.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("event_steps_once", ["event_id", "round", "to_status"])
    .execute();
  await watchAllTables(db, ctx);
}
