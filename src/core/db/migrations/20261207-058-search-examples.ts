/**
 * Issue 11 §5, a loop that learns: examples of queries citizens type with the procedures that answer them
 * (`search_examples`), from which the search learns which words lead where (core/search/associations.ts: a word
 * such as "ghe" learnt from "đăng ký ghe máy" also helps "nhà tui ở trên ghe"). Owned like the catalogue
 * (core/auth/owners.ts): 'nation' for the shipped examples and an operator's. The shipped examples come from the JSON
 * beside this file (frozen once shipped): the 3,726 queries of the seven blind everyday sets written on 2026-12-07,
 * each row with the set it comes from; a later release is a new migration. The eighth blind set is not among them:
 * it stays the estimate for queries the search has not learnt from.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";
import shipped from "./20261207-058-search-examples.json" with { type: "json" };

type Example = [query: string, codes: string[], set: number];

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("search_examples")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("query", "text", (c) => c.notNull())
    // The search documents that answer it, as a JSON array of keys ("procedure:1.001193").
    .addColumn("doc_keys", "text", (c) => c.notNull())
    // Where the example comes from, in words.
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("search_examples_owner").on("search_examples").column("owner").execute();

  const now = new Date().toISOString();
  const sources = shipped.sources as Record<string, string>;
  const rows = (shipped.examples as Example[]).map(([query, codes, set]) => ({
    owner: "nation",
    query: query.normalize("NFC"),
    doc_keys: JSON.stringify(codes.map((c) => `procedure:${c}`)),
    source: sources[String(set)] ?? "",
    created_at: now,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await (db as Kysely<{ search_examples: (typeof rows)[number] }>)
      .insertInto("search_examples")
      .values(rows.slice(i, i + 200))
      .execute();
  await watchAllTables(db, ctx);
}
