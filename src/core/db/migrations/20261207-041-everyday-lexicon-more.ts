/**
 * Issue 11, second release of the everyday lexicon: more of citizens' own words for the fields of the catalogue
 * (life events, papers and places as people in the North, Centre and South name them, abbreviations, common
 * misspellings), from the JSON beside this file (frozen once shipped, as 037's). Inserted as national rows with their
 * note, exactly as migration 037 inserts its release: a national term that already exists (an operator's edit, 006's
 * or 037's default) is left as it is, and rows of wards and provinces are never touched.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import lexicon from "./20261207-041-everyday-lexicon-more.json" with { type: "json" };

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const existing = await sql<{ term: string }>`select term from search_synonyms where owner = 'nation'`.execute(db);
  const taken = new Set(existing.rows.map((r) => r.term.normalize("NFC").toLowerCase()));
  const rows: ReturnType<typeof sql>[] = [];
  // Every entry of this release sets its weight.
  for (const e of lexicon.entries as { from: string; to: string[]; weight: number; field: string; note: string }[]) {
    const term = e.from.normalize("NFC");
    if (taken.has(term.toLowerCase())) continue;
    taken.add(term.toLowerCase());
    // The JSON search.service.ts reads (`expansionsJson`) when the weight is set.
    const expansions = JSON.stringify({ to: e.to, weight: e.weight });
    rows.push(sql`('nation', ${term}, ${expansions}, ${`${e.field}: ${e.note}`})`);
  }
  // In the release's order (ids follow it), a few hundred rows per statement.
  for (let i = 0; i < rows.length; i += 200)
    await sql`insert into search_synonyms (owner, term, expansions, note) values ${sql.join(rows.slice(i, i + 200))}`.execute(
      db,
    );
}
