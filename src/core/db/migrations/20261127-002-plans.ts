/** Plans as living data: plans and their parts, tasks assigned to units, progress updates, the activity ledger, evidence files. */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("plans")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("number_key", "text", (c) => c.notNull())
    .addColumn("issued_on", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("place", "text")
    .addColumn("issuer", "text")
    .addColumn("period_from", "text")
    .addColumn("period_to", "text")
    .addColumn("basis_json", "text", (c) => c.notNull())
    .addColumn("purposes_json", "text", (c) => c.notNull())
    .addColumn("requirements_json", "text", (c) => c.notNull())
    .addColumn("documents_text", "text", (c) => c.notNull())
    .addColumn("mentions_json", "text", (c) => c.notNull())
    .addColumn("recipients_json", "text", (c) => c.notNull())
    .addColumn("signer_position", "text")
    .addColumn("signer_name", "text")
    .addColumn("source_hash", "text", (c) => c.notNull())
    .addColumn("source_text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    // A plan's identity: its issuing unit, normalised number and issue date.
    .addUniqueConstraint("plans_identity", ["ward_id", "number_key", "issued_on"])
    .execute();

  await db.schema
    .createTable("plan_content_areas")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("pillar", "text")
    .addColumn("items_json", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_content_areas_plan").on("plan_content_areas").column("plan_id").execute();

  await db.schema
    .createTable("plan_channels")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_channels_plan").on("plan_channels").column("plan_id").execute();

  await db.schema
    .createTable("plan_references")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("number", "text")
    .addColumn("title", "text")
    .addColumn("issued_on", "text")
    .addColumn("issuer", "text")
    .addColumn("year", "integer")
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_references_plan").on("plan_references").column("plan_id").execute();

  await db.schema
    .createTable("tasks")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id"))
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("group_code", "text", (c) => c.notNull())
    .addColumn("group_heading", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("text_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("not_started").check(sql`status in ('not_started', 'in_progress', 'done')`),
    )
    .addColumn("due_on", "text")
    .addColumn("recurrence", "text")
    // A task dropped by a revised plan text is retired, never deleted: its progress stays on record.
    .addColumn("removed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("tasks_plan").on("tasks").column("plan_id").execute();

  await db.schema
    .createTable("task_units")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('lead', 'support')`))
    .addUniqueConstraint("task_units_pair", ["task_id", "org_unit_id"])
    .execute();
  await db.schema.createIndex("task_units_unit").on("task_units").column("org_unit_id").execute();

  await db.schema
    .createTable("task_updates")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("task_updates_task").on("task_updates").column("task_id").execute();

  await db.schema
    .createTable("activities")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    .addColumn("plan_id", "integer", (c) => c.references("plans.id"))
    .addColumn("task_id", "integer", (c) => c.references("tasks.id"))
    .addColumn("channel_kind", "text", (c) => c.notNull())
    .addColumn("pillar", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("occurred_on", "text", (c) => c.notNull())
    .addColumn("place", "text")
    .addColumn("audience", "integer")
    .addColumn("participants", "text")
    .addColumn("cost", "bigint")
    // Which feature wrote it (manual, feedback, radio, …) and its own id, so reports never double count.
    .addColumn("source", "text", (c) => c.notNull().defaultTo("manual"))
    .addColumn("source_ref", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("activities_ward_date").on("activities").columns(["ward_id", "occurred_on"]).execute();
  await db.schema.createIndex("activities_task").on("activities").column("task_id").execute();

  await db.schema
    .createTable("stored_files")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("mime", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("original_name", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("evidence")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("file_id", "integer", (c) => c.notNull().references("stored_files.id"))
    .addColumn("task_update_id", "integer", (c) => c.references("task_updates.id"))
    .addColumn("activity_id", "integer", (c) => c.references("activities.id"))
    .execute();
  await db.schema.createIndex("evidence_update").on("evidence").column("task_update_id").execute();
  await db.schema.createIndex("evidence_activity").on("evidence").column("activity_id").execute();
}
