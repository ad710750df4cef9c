/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as the earlier releases are): the eighth release of
 * the everyday lexicon, written studying the failures of the sixth blind set (tuned on from 2026-12-07). Most of that
 * set's misses of form (a letter doubled inside a word, two words run together) are read by rules in analyze.ts; this
 * release adds only head words that carry a concept in any sentence ("đẻ", "chào đời" → sinh; "đẻ" typed bare is the filler "để") and shorthand ("ks",
 * "KT1", "KT2", "KT4", "SDĐ", "QĐ"), and revises one earlier default whose folded form swallowed every sentence about
 * health insurance ("bảo hiểm ý tế"). Inserted as national rows with their note exactly as the earlier releases insert
 * theirs: a national term that already exists (an operator's edit, an earlier default) is left as it is, and rows of
 * wards and provinces are never touched.
 *
 * It may also revise earlier defaults (`revised`): a national row is rewritten only while it still holds exactly what
 * was shipped (`was`), so a row an operator edited keeps the operator's meaning.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-056-everyday-lexicon-eight.json" with { type: "json" };

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
  for (const r of data.revised as {
    from: string;
    was: { to: string[]; weight: number };
    to: string[];
    weight: number;
    field: string;
    note: string;
  }[]) {
    const found = await sql<{ id: number; expansions: string }>`
      select id, expansions from search_synonyms where owner = 'nation' and term = ${r.from.normalize("NFC")}`.execute(
      db,
    );
    for (const row of found.rows) {
      let v: unknown;
      try {
        v = JSON.parse(row.expansions);
      } catch {
        continue;
      }
      const held = v as { to?: unknown; weight?: unknown } | null;
      const shipped =
        held !== null &&
        typeof held === "object" &&
        JSON.stringify(held.to) === JSON.stringify(r.was.to) &&
        held.weight === r.was.weight;
      if (!shipped) continue;
      const expansions = JSON.stringify({ to: r.to, weight: r.weight });
      await sql`update search_synonyms set expansions = ${expansions}, note = ${`${r.field}: ${r.note}`} where id = ${row.id}`.execute(
        db,
      );
    }
  }
  for (let i = 0; i < rows.length; i += 200)
    await sql`insert into search_synonyms (owner, term, expansions, note) values ${sql.join(rows.slice(i, i + 200))}`.execute(
      db,
    );
}
