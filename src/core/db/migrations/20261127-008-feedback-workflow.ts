/**
 * The feedback workflow (Nghị định 20/2008 Điều 9, 14, 19): each item's steps, kept once each by a UNIQUE
 * constraint so that two staff members (or fifty clicks) cannot move an item twice; the classification, unit,
 * deadline and answer on the item; the public holidays as editable data for working-day deadlines; and the
 * working days each stage may take (the law fixes only the 5-day forwarding limit; the ward sets the rest).
 *
 * Frozen: the holidays below are this migration's own copy of the 2025–2027 calendar as it was shipped (the live
 * list with its sources and notes is src/features/feedback/holidays.ts); a new database gets what an old one got.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

/** Ward defaults; "forward" is the legal limit and should not be raised. */
const STAGE_DAYS: readonly [string, number, string][] = [
  ["classify", 2, "Phân loại sau khi vào sổ (mức do phường đặt)"],
  ["forward", 5, "Chuyển cơ quan có thẩm quyền: không quá 05 ngày làm việc (NĐ 20/2008 Điều 9)"],
  ["answer", 10, "Xử lý, trả lời phản ánh thuộc thẩm quyền (mức do phường đặt)"],
];

/** [date, kind, name] of the public holidays and make-up working days shipped with this migration. */
const HOLIDAYS: readonly (readonly [string, string, string])[] = [
  ["2025-01-01", "holiday", "Tết Dương lịch"],
  ["2025-01-25", "holiday", "Tết Nguyên đán"],
  ["2025-01-26", "holiday", "Tết Nguyên đán"],
  ["2025-01-27", "holiday", "Tết Nguyên đán"],
  ["2025-01-28", "holiday", "Tết Nguyên đán"],
  ["2025-01-29", "holiday", "Tết Nguyên đán (mùng 1)"],
  ["2025-01-30", "holiday", "Tết Nguyên đán"],
  ["2025-01-31", "holiday", "Tết Nguyên đán"],
  ["2025-02-01", "holiday", "Tết Nguyên đán"],
  ["2025-02-02", "holiday", "Tết Nguyên đán"],
  ["2025-04-07", "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"],
  ["2025-04-26", "makeup_workday", "Làm bù cho ngày nghỉ hoán đổi 02/5/2025"],
  ["2025-04-30", "holiday", "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"],
  ["2025-05-01", "holiday", "Ngày Quốc tế Lao động (1/5)"],
  ["2025-05-02", "holiday", "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)"],
  ["2025-09-01", "holiday", "Quốc khánh (ngày liền kề 2/9)"],
  ["2025-09-02", "holiday", "Quốc khánh (2/9)"],
  ["2026-01-01", "holiday", "Tết Dương lịch"],
  ["2026-02-14", "holiday", "Tết Nguyên đán"],
  ["2026-02-15", "holiday", "Tết Nguyên đán"],
  ["2026-02-16", "holiday", "Tết Nguyên đán"],
  ["2026-02-17", "holiday", "Tết Nguyên đán (mùng 1)"],
  ["2026-02-18", "holiday", "Tết Nguyên đán"],
  ["2026-02-19", "holiday", "Tết Nguyên đán"],
  ["2026-02-20", "holiday", "Tết Nguyên đán"],
  ["2026-02-21", "holiday", "Tết Nguyên đán"],
  ["2026-02-22", "holiday", "Tết Nguyên đán"],
  ["2026-04-26", "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"],
  ["2026-04-27", "holiday", "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)"],
  ["2026-04-30", "holiday", "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"],
  ["2026-05-01", "holiday", "Ngày Quốc tế Lao động (1/5)"],
  ["2026-09-01", "holiday", "Quốc khánh (ngày liền kề 2/9)"],
  ["2026-09-02", "holiday", "Quốc khánh (2/9)"],
  ["2027-01-01", "holiday", "Tết Dương lịch"],
  ["2027-02-05", "holiday", "Tết Nguyên đán (ngày cuối năm Bính Ngọ)"],
  ["2027-02-06", "holiday", "Tết Nguyên đán (mùng 1)"],
  ["2027-02-07", "holiday", "Tết Nguyên đán (mùng 2)"],
  ["2027-02-08", "holiday", "Tết Nguyên đán (mùng 3)"],
  ["2027-02-09", "holiday", "Tết Nguyên đán (mùng 4)"],
  ["2027-02-10", "holiday", "Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy)"],
  ["2027-02-11", "holiday", "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật)"],
  ["2027-04-16", "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"],
  ["2027-04-30", "holiday", "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"],
  ["2027-05-01", "holiday", "Ngày Quốc tế Lao động (1/5)"],
  ["2027-05-03", "holiday", "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 1/5)"],
  ["2027-09-02", "holiday", "Quốc khánh (2/9)"],
  ["2027-09-03", "holiday", "Quốc khánh (ngày liền kề 2/9)"],
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
  for (const [date, kind, name] of HOLIDAYS)
    await sql`insert into holidays (date, kind, name) values (${date}, ${kind}, ${name})`.execute(db);
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
