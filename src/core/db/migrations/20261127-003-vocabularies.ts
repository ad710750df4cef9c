/** The national vocabularies every ward's figures add up on: the six reform pillars and the channel kinds. */
import type { Kysely } from "kysely";
import { CHANNEL_KINDS, PILLARS } from "../../../features/plans/plan-draft.ts";
import type { MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const rows = [
    ...Object.entries(PILLARS).map(([code, label], i) => ({ vocabulary: "pillar", code, label, position: i })),
    ...Object.entries(CHANNEL_KINDS).map(([code, label], i) => ({
      vocabulary: "channel_kind",
      code,
      label,
      position: i,
    })),
  ];
  // Kysely<unknown> has no table types; the rows match the vocabularies table of migration 001.
  await (db as Kysely<{ vocabularies: { vocabulary: string; code: string; label: string; position: number } }>)
    .insertInto("vocabularies")
    .values(rows)
    .execute();
}
