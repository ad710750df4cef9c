/**
 * Migration 033 on a database that already has events: the announced ones (approved, held) get their site search
 * document, with the text the public page shows; drafts and withdrawn ones get none; the minutes table is there.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Kysely, sql } from "kysely";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { testDatabases } from "./helpers/env.ts";
import { migrateBefore } from "./helpers/migrate-before.ts";

for (const target of testDatabases()) {
  describe(`migration 033 on a database with events (${target.name})`, () => {
    test("announced events become findable; drafts and withdrawn ones do not", async () => {
      const { db, cleanup } = await target.open();
      try {
        await migrateBefore(db, "20261207-033");
        const k = db.kysely as unknown as Kysely<unknown>;
        const at = "2026-03-02T03:00:00.000Z";
        await sql`insert into admin_units (code, name, short_name, type, level, name_key) values ('99999', 'Phường Thử', 'Thử', 'phường', 'commune', 'thu')`.execute(
          k,
        );
        const ward = (await sql<{ id: number }>`select id from admin_units where code = '99999'`.execute(k)).rows[0]
          ?.id;
        await sql`insert into org_units (ward_id, code, name, created_at) values (${ward}, 'radio', 'Đài truyền thanh phường', ${at})`.execute(
          k,
        );
        const unit = (await sql<{ id: number }>`select id from org_units where ward_id = ${ward}`.execute(k)).rows[0]
          ?.id;
        for (const [title, status] of [
          ["Hội nghị tuyên truyền dịch vụ công trực tuyến", "approved"],
          ["Sinh hoạt tổ dân phố 2 về cư trú", "held"],
          ["Cuộc họp còn là dự thảo", "draft"],
          ["Hội nghị đã hủy", "withdrawn"],
        ]) {
          await sql`insert into events (ward_id, org_unit_id, kind, title, description, place, starts_on, starts_at,
            ends_at, partners_json, status, created_at, updated_at)
            values (${ward}, ${unit}, 'conference', ${title}, 'Hướng dẫn nộp hồ sơ trực tuyến.', 'Hội trường UBND phường',
            '2026-03-20', '08:00', '10:30', '["Hội Nông dân phường"]', ${status}, ${at}, ${at})`.execute(k);
        }
        await migrateToLatest(db);
        const docs = (
          await sql<{ title: string; kind: string; body: string; url: string; scope: string; deleted: number }>`
            select title, kind, body, url, scope, deleted from search_docs where kind = 'event' order by doc_key`.execute(
            k,
          )
        ).rows;
        assert.deepEqual(
          docs.map((d) => d.title).sort(),
          ["Hội nghị tuyên truyền dịch vụ công trực tuyến", "Sinh hoạt tổ dân phố 2 về cư trú"],
          "the approved and the held event, not the draft nor the withdrawn one",
        );
        for (const d of docs) {
          assert.match(d.url, /^\/su-kien\/\d+$/, "each leads to its public page");
          assert.equal(d.scope, `unit:${ward}`, "found from its own ward");
          assert.equal(Number(d.deleted), 0, "live");
          assert.match(
            d.body,
            /Hội nghị, tập huấn, 08:00–10:30 ngày 20\/03\/2026, tại Hội trường UBND phường\./,
            "when, where",
          );
          assert.match(d.body, /Đơn vị tổ chức: Đài truyền thanh phường; phối hợp: Hội Nông dân phường\./, "who");
        }
        const minutes = await sql<{ n: number | string }>`select count(*) as n from event_minutes`.execute(k);
        assert.equal(Number(minutes.rows[0]?.n), 0, "the minutes table exists, empty");
      } finally {
        await cleanup();
      }
    });
  });
}
