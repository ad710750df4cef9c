/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as 037's, 039's and 041's):
 * - the third release of the everyday lexicon: inserted as national rows with their note exactly as migrations 037
 *   and 041 insert theirs: a national term that already exists (an operator's edit, an earlier default) is left as
 *   it is, and rows of wards and provinces are never touched;
 * - the prior's weight per audience (`search_priors`, target 'audience', core/search/prior.ts `audienceOf`): the
 *   procedures only organisations may file rank after the citizens' ones when the lexical evidence is close. A
 *   national row already there (an operator's) is left as it is.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-047-lexicon-and-audience.json" with { type: "json" };

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

  const now = new Date().toISOString();
  for (const a of data.audiences as { key: string; weight: number; note: string }[]) {
    const there = await sql<{ id: number }>`select id from search_priors
      where owner = 'nation' and target = 'audience' and key = ${a.key}`.execute(db);
    if (there.rows.length > 0) continue;
    await sql`insert into search_priors (owner, target, key, weight, note, origin, updated_at)
      values ('nation', 'audience', ${a.key}, ${a.weight}, ${a.note.normalize("NFC")}, 'default', ${now})`.execute(db);
  }
}
