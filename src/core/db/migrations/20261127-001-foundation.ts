/** Foundation: administrative units, the ward's own units, accounts, sessions, the append-only audit log, vocabularies. */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("admin_units")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("short_name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("parent_id", "integer", (c) => c.references("admin_units.id"))
    .addColumn("valid_from", "text")
    .addColumn("valid_to", "text")
    .addColumn("name_key", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("admin_units_code").on("admin_units").columns(["code", "valid_to"]).execute();
  await db.schema.createIndex("admin_units_parent").on("admin_units").column("parent_id").execute();

  await db.schema
    .createTable("admin_unit_links")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("from_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("to_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('full', 'partial')`))
    .addUniqueConstraint("admin_unit_links_pair", ["from_id", "to_id"])
    .execute();
  await db.schema.createIndex("admin_unit_links_to").on("admin_unit_links").column("to_id").execute();

  await db.schema
    .createTable("org_units")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("code", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("valid_from", "text")
    .addColumn("valid_to", "text")
    .addColumn("successor_id", "integer", (c) => c.references("org_units.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("org_units_ward").on("org_units").column("ward_id").execute();

  await db.schema
    .createTable("org_unit_aliases")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("alias", "text", (c) => c.notNull())
    .addColumn("alias_key", "text", (c) => c.notNull())
    .addUniqueConstraint("org_unit_aliases_key", ["ward_id", "alias_key"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('admin', 'leader', 'coordinator', 'officer', 'viewer')`),
    )
    .addColumn("org_unit_id", "integer", (c) => c.references("org_units.id"))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    // Reserved for the second factor (TOTP): login already passes through a "second_factor" session state.
    .addColumn("totp_secret", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("second_factor", "text", (c) => c.notNull().defaultTo("not_required"))
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("login_attempts")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("ok", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_attempts_user").on("login_attempts").columns(["username_key", "at"]).execute();
  await db.schema.createIndex("login_attempts_ip").on("login_attempts").columns(["ip", "at"]).execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("ward_id", "integer")
    .addColumn("user_id", "integer")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .execute();
  await db.schema.createIndex("audit_log_ward_at").on("audit_log").columns(["ward_id", "at"]).execute();
  // Append-only, enforced by the database itself so no code path can rewrite history.
  if (ctx.dialect === "sqlite") {
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(
      db,
    );
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(
      db,
    );
  } else {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only'; end $$`.execute(
      db,
    );
    await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(
      db,
    );
    await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(
      db,
    );
  }

  await db.schema
    .createTable("vocabularies")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("vocabulary", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addUniqueConstraint("vocabularies_code", ["vocabulary", "code"])
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}
