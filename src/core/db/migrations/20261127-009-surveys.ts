/**
 * Satisfaction surveys (SIPAS): a survey per service field, its questions (seeded from the default factors and
 * criteria, then editable data), the anonymous responses (one per one-time form token) and their raw scores 1–5.
 * No personal data is stored: a response holds its time, month and field only.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("surveys")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("title", "text", (c) => c.notNull())
    // The service field (lĩnh vực) surveyed; null: every service of the ward.
    .addColumn("field", "text")
    .addColumn("open", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("surveys_ward").on("surveys").column("ward_id").execute();
  await db.schema
    .createTable("survey_questions")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("survey_id", "integer", (c) => c.notNull().references("surveys.id"))
    .addColumn("factor", "text", (c) => c.notNull())
    .addColumn("factor_title", "text", (c) => c.notNull())
    .addColumn("criterion", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addUniqueConstraint("survey_questions_criterion", ["survey_id", "criterion"])
    .execute();
  await db.schema
    .createTable("survey_responses")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("survey_id", "integer", (c) => c.notNull().references("surveys.id"))
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("field", "text")
    // One response per rendered form: a double submit carries the same token and stores nothing new.
    .addColumn("form_token", "text", (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createIndex("survey_responses_survey_month")
    .on("survey_responses")
    .columns(["survey_id", "month"])
    .execute();
  await db.schema
    .createTable("survey_answers")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("response_id", "integer", (c) => c.notNull().references("survey_responses.id"))
    .addColumn("question_id", "integer", (c) => c.notNull().references("survey_questions.id"))
    .addColumn("score", "integer", (c) => c.notNull())
    .addUniqueConstraint("survey_answers_once", ["response_id", "question_id"])
    .addCheckConstraint("survey_answers_score", sql`score between 1 and 5`)
    .execute();
  await watchAllTables(db, ctx);
}
