/**
 * Migrations 037, 041, 048, 053, 054, 055 and 056 on a database whose national synonym table was edited by staff: each release of the everyday
 * lexicon is added as national rows with a note of each entry's source, an existing national term keeps its
 * staff-edited meaning, and a ward's own rows are untouched. A fresh database holds exactly the in-memory defaults
 * (`DEFAULT_SYNONYMS`, what the tests and the bench measure).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Kysely, sql } from "kysely";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { DEFAULT_SYNONYM_WEIGHT } from "../src/core/search/analyze.ts";
import { DEFAULT_SYNONYMS, EVERYDAY_LEXICON, LEXICON_RELEASES } from "../src/core/search/synonyms.ts";
import { synonymEntryOf } from "../src/features/search/search.service.ts";
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

    for (const { migration, next, name } of [
      { migration: "20261207-041-everyday-lexicon-more", next: "20261207-042", name: "041" },
      { migration: "20261207-048-everyday-concepts", next: "20261207-049", name: "048" },
      { migration: "20261207-053-everyday-lexicon-five", next: "20261207-054", name: "053" },
      { migration: "20261207-054-everyday-lexicon-six", next: "20261207-055", name: "054" },
      { migration: "20261207-055-everyday-lexicon-seven", next: "20261207-056", name: "055" },
      { migration: "20261207-056-everyday-lexicon-eight", next: "20261207-057", name: "056" },
      { migration: "20261207-057-everyday-lexicon-nine", next: "20261207-058", name: "057" },
    ])
      test(`${name} adds its release beside staff edits and earlier releases' rows, never over them`, async () => {
        const { db, cleanup } = await target.open();
        try {
          await migrateBefore(db, migration.slice(0, 12));
          const k = db.kysely as unknown as Kysely<unknown>;
          const release = LEXICON_RELEASES.find((r) => r.migration === migration);
          const [edited, wardTerm, plain] = release?.entries ?? [];
          assert.ok(edited && wardTerm && plain, `the ${name} release holds entries`);
          // An operator gave one of the release's terms a meaning of their own before the release; a ward added another.
          await sql`insert into search_synonyms (owner, term, expansions) values ('nation', ${edited.from}, '["khai sinh"]')`.execute(
            k,
          );
          await sql`insert into search_synonyms (owner, term, expansions) values ('unit:7', ${wardTerm.from}, '["thường trú"]')`.execute(
            k,
          );
          const before = Number(
            (await sql<{ n: number }>`select count(*) as n from search_synonyms where owner = 'nation'`.execute(k))
              .rows[0]?.n,
          );
          // This release alone: later releases add rows of their own.
          await migrateBefore(db, next);
          const rows = (
            await sql<{ owner: string; term: string; expansions: string; note: string }>`
            select owner, term, expansions, note from search_synonyms`.execute(k)
          ).rows;
          const national = new Map(rows.filter((r) => r.owner === "nation").map((r) => [r.term, r]));
          assert.equal(national.get(edited.from)?.expansions, '["khai sinh"]', "the staff edit is kept");
          assert.equal(national.get(edited.from)?.note, "", "and is not given the lexicon's note");
          assert.deepEqual(
            rows.filter((r) => r.owner === "unit:7").map((r) => [r.term, r.expansions]),
            [[wardTerm.from, '["thường trú"]']],
            "a ward's own row is untouched",
          );
          const added = national.get(plain.from);
          assert.equal(added?.note, `${plain.field}: ${plain.note}`, "a new row carries its field and source");
          assert.deepEqual(JSON.parse(added?.expansions ?? "{}"), { to: plain.to, weight: plain.weight });
          assert.equal(
            national.size,
            before + (release?.entries.length ?? 0) - 1,
            `every ${name} term but the staff-edited one is added, once`,
          );
        } finally {
          await cleanup();
        }
      });

    for (const { migration, next, name } of [
      { migration: "20261207-053-everyday-lexicon-five", next: "20261207-054", name: "053" },
      { migration: "20261207-054-everyday-lexicon-six", next: "20261207-055", name: "054" },
      { migration: "20261207-055-everyday-lexicon-seven", next: "20261207-056", name: "055" },
      { migration: "20261207-056-everyday-lexicon-eight", next: "20261207-057", name: "056" },
      { migration: "20261207-057-everyday-lexicon-nine", next: "20261207-058", name: "057" },
    ])
      test(`${name} revises an earlier default only where the row still holds what was shipped`, async () => {
        const release = LEXICON_RELEASES.find((r) => r.migration === migration);
        const revision = release?.revised?.[0];
        assert.ok(revision, `release ${name} revises an earlier default`);
        const termRow = async (edit: string | null) => {
          const { db, cleanup } = await target.open();
          try {
            await migrateBefore(db, migration.slice(0, 12));
            const k = db.kysely as unknown as Kysely<unknown>;
            const before = (
              await sql<{ expansions: string }>`
              select expansions from search_synonyms where owner = 'nation' and term = ${revision.from}`.execute(k)
            ).rows[0];
            // Migration 006 wrote a row without a weight as a bare list (057 revises one such row).
            const shipped = JSON.parse(before?.expansions ?? "null");
            assert.deepEqual(
              Array.isArray(shipped) ? { to: shipped } : shipped,
              revision.was,
              "the earlier release shipped it so",
            );
            if (edit !== null)
              await sql`update search_synonyms set expansions = ${edit}, note = '' where owner = 'nation' and term = ${revision.from}`.execute(
                k,
              );
            await migrateBefore(db, next);
            return (
              await sql<{ expansions: string; note: string }>`
              select expansions, note from search_synonyms where owner = 'nation' and term = ${revision.from}`.execute(
                k,
              )
            ).rows;
          } finally {
            await cleanup();
          }
        };
        const untouched = await termRow(null);
        assert.equal(untouched.length, 1, "one row, rewritten in place");
        assert.deepEqual(JSON.parse(untouched[0]?.expansions ?? "null"), { to: revision.to, weight: revision.weight });
        assert.equal(untouched[0]?.note, `${revision.field}: ${revision.note}`, "with the revision's field and source");
        const edited = await termRow('["tạm vắng","về nhà"]');
        assert.deepEqual(
          edited.map((r) => [r.expansions, r.note]),
          [['["tạm vắng","về nhà"]', ""]],
          "an operator's edit is kept",
        );
      });

    test("a fresh database holds the in-memory defaults, entry for entry", async () => {
      const { db, cleanup } = await target.open();
      try {
        await migrateToLatest(db);
        const k = db.kysely as unknown as Kysely<unknown>;
        const rows = (
          await sql<{ term: string; expansions: string }>`
            select term, expansions from search_synonyms where owner = 'nation' order by id`.execute(k)
        ).rows;
        const shape = (e: { from: string; to: readonly string[]; weight?: number }) =>
          JSON.stringify([e.from.normalize("NFC"), e.to, e.weight ?? DEFAULT_SYNONYM_WEIGHT]);
        const stored = rows.map((r) => synonymEntryOf(r.term, r.expansions)).map((e) => (e ? shape(e) : "unusable"));
        assert.deepEqual(stored, DEFAULT_SYNONYMS.map(shape), "the national rows are DEFAULT_SYNONYMS, in order");
        assert.ok(EVERYDAY_LEXICON.length > 1528, "both releases are read");
      } finally {
        await cleanup();
      }
    });
  });
}
