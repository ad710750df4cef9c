/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as 037's, 041's and 047's): the fourth release of
 * the everyday lexicon, short concepts a citizen's sentence combines (what happened to a paper, a foreign country,
 * everyday and regional names of things), inserted as national rows with their note exactly as migrations 037, 041
 * and 047 insert theirs: a national term that already exists (an operator's edit, an earlier default) is left as it
 * is, and rows of wards and provinces are never touched.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-048-everyday-concepts.json" with { type: "json" };

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const existing = await sql<{ term: string }>`select term from search_synonyms where owner = 'nation'`.execute(db);
  const taken = new Set(existing.rows.map((r) => r.term.normalize("NFC").toLowerCase()));
  const rows: ReturnType<typeof sql>[] = [];
  for (const e of data.entries as { from: string; to: string[]; weight: number; field: string; note: string }[]) {
    const term = e.from.normalize("NFC");
    if (taken.has(term.toLowerCase())) continue;
    taken.add(term.toLowerCase());
    const expansions = JSON.stringify({ to: e.to, weight: e.weight });
    rows.push(sql`('nation', ${term}, ${expansions}, ${`${e.field}: ${e.note}`})`);
  }
  for (let i = 0; i < rows.length; i += 200)
    await sql`insert into search_synonyms (owner, term, expansions, note) values ${sql.join(rows.slice(i, i + 200))}`.execute(
      db,
    );
}
