/**
 * The higher level (issue 9 §5): province users, report requests, and the province's own reports.
 *
 * - The `viewer` role ("Cấp trên", read only, kept in a ward) becomes a province's read-only account: each viewer
 *   account moves to the province its ward is under (the ward's parent, walking up through a district for a unit
 *   from before 1/7/2025, and from a province dissolved in the reform to the province it went into), with that
 *   province's scope (`owner_scope = 'unit:{province id}'`); its unit (a ward's office) is dropped. A viewer whose
 *   ward leads to no province in force is disabled rather than left with a ward's access. Each move is audited.
 * - `report_requests` (a province, or a department of it, asks its wards for a report of a period by a deadline) and
 *   `report_request_wards` (the wards asked: chosen, or every ward in force when it was sent).
 * - `reports.request_id`: the request a ward's report answers; `reports.issuer_org_unit_id`: the department that
 *   issues a province's report (null: the People's Committee itself).
 * - `document_register.issuer_org_unit_id`: a department keeps its own outgoing register beside its province's, so
 *   a number is unique per (unit, department or none, year). SQLite cannot drop the old UNIQUE constraint: the table
 *   is rebuilt from its own stored definition, so columns added by other migrations are kept.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

interface UnitRow {
  id: number;
  level: string;
  parent_id: number | null;
  valid_to: string | null;
}

/** The province in force above a unit: walk parents, then from a dissolved province to the one it went into. */
async function provinceAbove(db: Kysely<unknown>, unitId: number): Promise<number | null> {
  const unitOf = async (id: number) =>
    (await sql<UnitRow>`select id, level, parent_id, valid_to from admin_units where id = ${id}`.execute(db)).rows[0];
  let unit = await unitOf(unitId);
  for (let hops = 0; unit && unit.level !== "province" && hops < 4; hops++)
    unit = unit.parent_id == null ? undefined : await unitOf(unit.parent_id);
  for (let hops = 0; unit?.valid_to != null && hops < 4; hops++) {
    const next = (
      await sql<{ to_id: number }>`select to_id from admin_unit_links where from_id = ${unit.id} order by id`.execute(
        db,
      )
    ).rows;
    unit = next.length === 1 && next[0] ? await unitOf(next[0].to_id) : undefined;
  }
  return unit && unit.level === "province" && unit.valid_to == null ? unit.id : null;
}

/** Exported for its test: the move of viewer accounts, run again on accounts made the old way. */
export async function moveViewersToProvinces(db: Kysely<unknown>): Promise<void> {
  const viewers = (
    await sql<{ id: number; username: string; ward_id: number }>`select id, username, ward_id from users
      where role = 'viewer' order by id`.execute(db)
  ).rows;
  const at = new Date().toISOString();
  for (const v of viewers) {
    const province = await provinceAbove(db, v.ward_id);
    if (province === v.ward_id) continue; // already a province's account
    if (province != null)
      await sql`update users set ward_id = ${province}, owner_scope = ${`unit:${province}`}, org_unit_id = null
        where id = ${v.id}`.execute(db);
    else await sql`update users set active = 0 where id = ${v.id}`.execute(db);
    await sql`insert into audit_log (at, ward_id, user_id, actor, action, entity, entity_id, before_json, after_json)
      values (${at}, ${v.ward_id}, null, 'migration 026', ${province != null ? "user.move_to_province" : "user.disable"},
        'user', ${String(v.id)}, ${JSON.stringify({ wardId: v.ward_id, role: "viewer" })},
        ${JSON.stringify(province != null ? { provinceId: province } : { active: false, reason: "no province" })})`.execute(
      db,
    );
  }
}

async function registerPerBody(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable("document_register")
    .addColumn("issuer_org_unit_id", "integer", (c) => c.references("org_units.id"))
    .execute();
  if (ctx.dialect === "postgres") {
    await sql`alter table document_register drop constraint document_register_number_once`.execute(db);
  } else {
    const stored = (
      await sql<{
        sql: string;
      }>`select sql from sqlite_master where type = 'table' and name = 'document_register'`.execute(db)
    ).rows[0]?.sql;
    if (!stored) throw new Error("document_register missing");
    const next = stored
      .replace(/,\s*constraint\s+"?document_register_number_once"?\s+unique\s*\([^)]*\)/i, "")
      .replace(/create table\s+"?document_register"?/i, 'create table "document_register_next"');
    if (next === stored || /document_register_number_once/.test(next))
      throw new Error("document_register's definition is not the one this migration knows");
    await sql.raw(next).execute(db);
    await sql`insert into document_register_next select * from document_register`.execute(db);
    await sql`drop table document_register`.execute(db);
    await sql`alter table document_register_next rename to document_register`.execute(db);
  }
  await sql`create unique index document_register_number_per_body
    on document_register (issuer_unit_id, (coalesce(issuer_org_unit_id, 0)), year, number)`.execute(db);
}

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await moveViewersToProvinces(db);

  await db.schema
    .createTable("report_requests")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("province_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("org_unit_id", "integer", (c) => c.references("org_units.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("quarter", "integer")
    .addColumn("period_from", "text", (c) => c.notNull())
    .addColumn("period_to", "text", (c) => c.notNull())
    .addColumn("deadline", "text", (c) => c.notNull())
    .addColumn("all_wards", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("report_requests_province")
    .on("report_requests")
    .columns(["province_id", "deadline"])
    .execute();
  await db.schema
    .createTable("report_request_wards")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("request_id", "integer", (c) => c.notNull().references("report_requests.id"))
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addUniqueConstraint("report_request_wards_once", ["request_id", "ward_id"])
    .execute();
  await db.schema.createIndex("report_request_wards_ward").on("report_request_wards").column("ward_id").execute();

  await db.schema
    .alterTable("reports")
    .addColumn("request_id", "integer", (c) => c.references("report_requests.id"))
    .execute();
  await db.schema
    .alterTable("reports")
    .addColumn("issuer_org_unit_id", "integer", (c) => c.references("org_units.id"))
    .execute();
  await db.schema.createIndex("reports_request").on("reports").column("request_id").execute();

  await registerPerBody(db, ctx);
  await watchAllTables(db, ctx);
}
