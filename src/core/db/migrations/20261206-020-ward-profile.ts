/**
 * The ward's own contact details (hồ sơ phường): where its one-stop desk is, when it is open, its hotline, its
 * e-mail and a map link. One row per ward, edited by the ward's administrator; shown in the public footer, on
 * procedure pages as "Nơi tiếp nhận" and on the notice board. No row: nothing is shown (never a guess).
 */
import type { Kysely } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("ward_profiles")
    .addColumn("ward_id", "integer", (c) => c.primaryKey().references("admin_units.id"))
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("desk_hours", "text", (c) => c.notNull())
    .addColumn("hotline", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("map_url", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .execute();
  await watchAllTables(db, ctx);
}
