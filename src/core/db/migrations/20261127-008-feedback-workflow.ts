/**
 * The feedback workflow (Nghị định 20/2008 Điều 9, 14, 19): each item's steps, kept once each by a UNIQUE
 * constraint so that two staff members (or fifty clicks) cannot move an item twice; the classification, unit,
 * deadline and answer on the item; the public holidays as editable data for working-day deadlines; and the
 * working days each stage may take (the law fixes only the 5-day forwarding limit; the ward sets the rest).
 */
import { type Kysely, sql } from "kysely";
import { DEFAULT_HOLIDAYS } from "../../../features/feedback/holidays.ts";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

/** Ward defaults; "forward" is the legal limit and should not be raised. */
const STAGE_DAYS: readonly [string, number, string][] = [
  ["classify", 2, "Phân loại sau khi vào sổ (mức do phường đặt)"],
  ["forward", 5, "Chuyển cơ quan có thẩm quyền: không quá 05 ngày làm việc (NĐ 20/2008 Điều 9)"],
  ["answer", 10, "Xử lý, trả lời phản ánh thuộc thẩm quyền (mức do phường đặt)"],
];

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("feedback_steps")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("item_id", "integer", (c) => c.notNull().references("feedback_items.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    // Every status is reached at most once (the workflow only moves forward): the database, not the code,
    // guarantees that concurrent identical requests change the item once.
    .addUniqueConstraint("feedback_steps_once", ["item_id", "to_status"])
    .execute();
  // SQLite adds one column per statement.
  const columns: [string, "text" | "integer"][] = [
    ["classification", "text"],
    ["reason", "text"],
    ["forwarded_to", "text"],
    ["due_on", "text"],
    ["answer_draft", "text"],
    ["answer_final", "text"],
    ["approved_by", "integer"],
    ["published_at", "text"],
  ];
  for (const [name, type] of columns) await db.schema.alterTable("feedback_items").addColumn(name, type).execute();
  await db.schema
    .alterTable("feedback_items")
    .addColumn("assigned_unit_id", "integer", (c) => c.references("org_units.id"))
    .execute();
  await db.schema
    .createTable("holidays")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("date", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .execute();
  for (const h of DEFAULT_HOLIDAYS)
    await sql`insert into holidays (date, kind, name) values (${h.date}, ${h.kind}, ${h.name})`.execute(db);
  await db.schema
    .createTable("feedback_stage_days")
    .addColumn("stage", "text", (c) => c.primaryKey())
    .addColumn("working_days", "integer", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .execute();
  for (const [stage, days, note] of STAGE_DAYS)
    await sql`insert into feedback_stage_days (stage, working_days, note) values (${stage}, ${days}, ${note})`.execute(
      db,
    );
  await watchAllTables(db, ctx);
}
