/**
 * Questions (hỏi đáp): what a citizen asks, optionally about a procedure; the asker's personal data in a table of
 * its own (never joined into a public page); and each workflow step kept once by a UNIQUE constraint, so a step
 * happens once however many identical requests race for it. A published answer becomes a FAQ entry and a
 * `search_docs` row of kind "answer".
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("questions")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("procedure_code", "text")
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text")
    .addColumn("assigned_unit_id", "integer", (c) => c.references("org_units.id"))
    .addColumn("answer_draft", "text")
    .addColumn("answer_final", "text")
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("published_at", "text")
    .addColumn("notified_channel", "text")
    .addUniqueConstraint("questions_ward_idem", ["ward_id", "idempotency_key"])
    .execute();
  await db.schema.createIndex("questions_ward_status").on("questions").columns(["ward_id", "status"]).execute();
  await db.schema
    .createTable("question_askers")
    .addColumn("question_id", "integer", (c) => c.primaryKey().references("questions.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("consent_at", "text", (c) => c.notNull())
    .addColumn("consent_text", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("question_steps")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("question_id", "integer", (c) => c.notNull().references("questions.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addUniqueConstraint("question_steps_once", ["question_id", "to_status"])
    .execute();
  await watchAllTables(db, ctx);
}
