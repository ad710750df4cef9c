/**
 * Feedback and petitions (phản ánh, kiến nghị — Nghị định 20/2008): the items, the senders' personal data kept in
 * a table of their own (never joined into a public page), and the per-client hits of the public rate limit. The
 * secret that signs the public form's one-time tokens is made here, once, so every process shares it.
 */
import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("feedback_items")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("procedure_code", "text")
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    // A double click or a retried request carries the same key and files nothing new.
    .addColumn("idempotency_key", "text")
    .addUniqueConstraint("feedback_items_ward_idem", ["ward_id", "idempotency_key"])
    .execute();
  await db.schema
    .createIndex("feedback_items_ward_received")
    .on("feedback_items")
    .columns(["ward_id", "received_at"])
    .execute();
  await db.schema
    .createTable("feedback_senders")
    .addColumn("feedback_id", "integer", (c) => c.primaryKey().references("feedback_items.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("phone", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("consent_at", "text", (c) => c.notNull())
    .addColumn("consent_text", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("feedback_rate_hits")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("client_key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("feedback_rate_hits_client")
    .on("feedback_rate_hits")
    .columns(["bucket", "client_key", "at"])
    .execute();
  const secret = randomBytes(32).toString("base64url");
  await sql`insert into settings (key, value) values ('feedback_form_secret', ${secret})`.execute(db);
  await watchAllTables(db, ctx);
}
