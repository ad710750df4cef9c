/** Every query of the ward profile feature. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const profileOf = (db: Q, wardId: number) =>
  db.selectFrom("ward_profiles").selectAll().where("ward_id", "=", wardId).executeTakeFirst();

export async function upsertProfile(
  db: Q,
  row: {
    ward_id: number;
    address: string;
    desk_hours: string;
    hotline: string;
    email: string;
    map_url: string;
    updated_at: string;
    updated_by: number | null;
  },
): Promise<void> {
  const { ward_id, ...rest } = row;
  await db
    .insertInto("ward_profiles")
    .values(row)
    .onConflict((oc) => oc.column("ward_id").doUpdateSet(rest))
    .execute();
}
