/**
 * Issue 11: the everyday lexicon joins the national synonym table. Each row gains `note` (where the entry comes
 * from: "phương ngữ Nam Bộ", "viết tắt thường gặp"…; '' for rows written before), and the reviewed release of the
 * lexicon is inserted as national rows, from the JSON beside this file (frozen once shipped: a later release is a
 * new file with a migration of its own; src/core/search/synonyms.ts reads this one for the tests and the bench).
 * Staff edits win: a national term that already exists (an operator's edit, or migration 006's default) is left as
 * it is, and rows of wards and provinces are never touched.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import lexicon from "./20261207-037-everyday-lexicon.json" with { type: "json" };

interface Entry {
  from: string;
  to: string[];
  weight?: number;
  field: string;
  note: string;
}

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable("search_synonyms")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  const existing = await sql<{ term: string }>`select term from search_synonyms where owner = 'nation'`.execute(db);
  const taken = new Set(existing.rows.map((r) => r.term.normalize("NFC").toLowerCase()));
  for (const e of lexicon.entries as Entry[]) {
    const term = e.from.normalize("NFC");
    if (taken.has(term.toLowerCase())) continue;
    taken.add(term.toLowerCase());
    // The same JSON as search.service.ts `expansionsJson`: a list, or { to, weight } when the weight is set.
    const expansions = JSON.stringify(e.weight === undefined ? e.to : { to: e.to, weight: e.weight });
    const note = `${e.field}: ${e.note}`;
    await sql`insert into search_synonyms (owner, term, expansions, note) values ('nation', ${term}, ${expansions}, ${note})`.execute(
      db,
    );
  }
}
