/**
 * Migration 037 on a database whose national synonym table was edited by staff: the everyday lexicon is added as
 * national rows with a note of each entry's source, an existing national term keeps its staff-edited meaning, and a
 * ward's own rows are untouched.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Kysely, sql } from "kysely";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { EVERYDAY_LEXICON } from "../src/core/search/synonyms.ts";
import { testDatabases } from "./helpers/env.ts";
import { migrateBefore } from "./helpers/migrate-before.ts";

for (const target of testDatabases()) {
  describe(`migration 037, the everyday lexicon (${target.name})`, () => {
    test("adds the lexicon beside staff edits, never over them", async () => {
      const { db, cleanup } = await target.open();
      try {
        await migrateBefore(db, "20261207-037");
        const k = db.kysely as unknown as Kysely<unknown>;
        // An operator gave "bé mới sinh" a meaning of their own; a ward added "khai sanh" for itself.
        await sql`insert into search_synonyms (owner, term, expansions) values ('nation', 'bé mới sinh', '["khai sinh"]')`.execute(
          k,
        );
        await sql`insert into search_synonyms (owner, term, expansions) values ('unit:7', 'khai sanh', '["khai sinh lưu động"]')`.execute(
          k,
        );
        await migrateToLatest(db);
        const rows = (
          await sql<{ owner: string; term: string; expansions: string; note: string }>`
            select owner, term, expansions, note from search_synonyms`.execute(k)
        ).rows;
        const national = new Map(rows.filter((r) => r.owner === "nation").map((r) => [r.term, r]));
        assert.equal(national.get("bé mới sinh")?.expansions, '["khai sinh"]', "the staff edit is kept");
        assert.equal(national.get("bé mới sinh")?.note, "", "and is not given the lexicon's note");
        const ward = rows.filter((r) => r.owner === "unit:7");
        assert.deepEqual(
          ward.map((r) => [r.term, r.expansions]),
          [["khai sanh", '["khai sinh lưu động"]']],
          "a ward's own row is untouched",
        );
        const sanh = national.get("khai sanh");
        assert.ok(sanh, "the lexicon's national entry is added beside the ward's");
        assert.match(sanh?.note ?? "", /Hộ tịch: phương ngữ Nam Bộ/, "with the field and source it comes from");
        assert.deepEqual(JSON.parse(sanh?.expansions ?? "{}"), { to: ["đăng ký khai sinh"], weight: 0.98 });
        const added = EVERYDAY_LEXICON.filter((e) => national.has(e.from)).length;
        assert.equal(added, EVERYDAY_LEXICON.length, "every lexicon term is a national row");
      } finally {
        await cleanup();
      }
    });
  });
}
