/**
 * The synonym table as editable data: seeded, when empty, with the abbreviations and everyday words citizens type
 * (DEFAULT_SYNONYMS). Staff edit it afterwards (/quan-tri/tu-dong-nghia); later versions of the defaults never
 * overwrite those edits.
 */
import { type Kysely, sql } from "kysely";
import { DEFAULT_SYNONYMS } from "../../search/synonyms.ts";
import type { MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const r = await sql<{ n: number | string }>`select count(*) as n from search_synonyms`.execute(db);
  if (Number(r.rows[0]?.n ?? 0) > 0) return;
  const seen = new Set<string>();
  for (const e of DEFAULT_SYNONYMS) {
    const term = e.from.normalize("NFC").trim();
    if (!term || seen.has(term)) continue;
    seen.add(term);
    // The same JSON as search.service.ts `expansionsJson`: a list, or { to, weight } when the weight is set.
    const expansions = JSON.stringify(e.weight === undefined ? [...e.to] : { to: [...e.to], weight: e.weight });
    await sql`insert into search_synonyms (term, expansions) values (${term}, ${expansions})`.execute(db);
  }
}
