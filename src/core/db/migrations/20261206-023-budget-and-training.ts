/**
 * Issue 9 §2 and §3. A plan's budget: the total its text states and its lines (amount in đồng, source, purpose),
 * read from the plan's budget section on import and editable by staff afterwards (`budget_edited_at` set: a
 * re-import no longer rewrites them). Spending is not stored here: it is the cost recorded on activities.
 * The ward's training list (staff sent to administrative-reform courses) and its commendations (emulation and
 * rewards): staff records with names, never public.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("plans").addColumn("budget_stated", "bigint").execute();
  await db.schema.alterTable("plans").addColumn("budget_edited_at", "text").execute();
  await db.schema
    .createTable("plan_budget_lines")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    // Đồng; null: the plan names the source but no amount.
    .addColumn("amount", "bigint")
    .addColumn("source", "text")
    .addColumn("purpose", "text", (c) => c.notNull())
    // The channel the money is for (read from the purpose's words) and the unit that spends it; null: not tied.
    .addColumn("channel_kind", "text")
    .addColumn("org_unit_id", "integer", (c) => c.references("org_units.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("plan_budget_lines_plan")
    .on("plan_budget_lines")
    .columns(["plan_id", "position"])
    .execute();

  await db.schema
    .createTable("training_records")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("person_name", "text", (c) => c.notNull())
    .addColumn("position", "text", (c) => c.notNull())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    .addColumn("course", "text", (c) => c.notNull())
    .addColumn("organiser", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    // attended | partial | absent
    .addColumn("attendance", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("training_records_ward").on("training_records").columns(["ward_id", "ends_on"]).execute();

  await db.schema
    .createTable("commendations")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    // person | unit
    .addColumn("recipient_kind", "text", (c) => c.notNull())
    .addColumn("person_name", "text")
    .addColumn("position", "text")
    // The unit commended, or the person's unit.
    .addColumn("org_unit_id", "integer", (c) => c.references("org_units.id"))
    .addColumn("form", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("decided_on", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("commendations_ward").on("commendations").columns(["ward_id", "decided_on"]).execute();
  await watchAllTables(db, ctx);
}
