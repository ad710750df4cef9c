/**
 * Issue 9 §4 over HTTP on every database: a plan whose work is assigned in a table is saved with each row's lead
 * and cooperating units (roles), partners told apart, timings as due dates or recurrences, and the signer's
 * authority lines; re-importing it over the seed is shown as a large change and saved only when confirmed.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Kysely, sql } from "kysely";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";
import { migrateBefore } from "./helpers/migrate-before.ts";
import { seedWithTaskTable } from "./helpers/plan-layouts.ts";

const form = (text: string, extra: Record<string, string> = {}) => {
  const f = new FormData();
  f.set("text", text);
  for (const [k, v] of Object.entries(extra)) f.set(k, v);
  return f;
};

interface PlanJson {
  signer: { name: string | null; position: string | null; authority: string | null; onBehalfOf: string | null };
  tasks: {
    text: string;
    units: { id: number; name: string; role: string; kind: string }[];
    dueOn: string | null;
    recurrence: string | null;
  }[];
}

for (const target of testDatabases()) {
  describe(`plan layouts: task tables, partners, signer (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office");
    });
    after(async () => w.cleanup());

    const planJson = async () => {
      const list = (await (await w.app.request("/api/v1/plans")).json()) as { items: { id: number }[] };
      const id = list.items[0]?.id;
      assert.ok(id, "a plan is listed");
      return (await (await w.app.request(`/api/v1/plans/${id}`)).json()) as PlanJson;
    };

    test("the seed: signer without authority lines, “thường xuyên” continuous", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const saved = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(seedPlanText()));
      assert.equal(saved.status, 303, (await saved.text()).slice(0, 300));
      const plan = await planJson();
      assert.deepEqual(plan.signer, { name: "Lê Duy Bảo", position: "CHỦ TỊCH", authority: null, onBehalfOf: null });
      assert.equal(plan.tasks.length, 16);
      const regular = plan.tasks.find((t) => t.text.startsWith("Thường xuyên rà soát"));
      assert.equal(regular?.recurrence, "continuous");
      const front = plan.tasks.at(-1)?.units[0];
      assert.deepEqual([front?.role, front?.kind], ["lead", "partner"], "the Front is a partner of the ward");
      assert.equal(plan.tasks[0]?.units[0]?.kind, "own", "the office is the ward's own unit");
    });

    test("a task table with a row missing its task is refused at the preview and at saving, naming the row", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const bad = seedWithTaskTable().replace(
        "| 4 | Lồng ghép tuyên truyền cải cách hành chính vào phổ biến, giáo dục pháp luật |",
        "| 4 | |",
      );
      const plansBefore = await w.db.kysely.selectFrom("plans").select(["id", "updated_at"]).execute();
      const preview = await coord.post("/quan-tri/ke-hoach/nhap", form(bad));
      assert.equal(preview.status, 400);
      assert.match(await preview.text(), /Bảng phân công nhiệm vụ, dòng 4 \(STT 4\): không có nội dung nhiệm vụ/);
      const saved = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(bad, { replace: "1" }));
      assert.equal(saved.status, 400);
      assert.deepEqual(
        await w.db.kysely.selectFrom("plans").select(["id", "updated_at"]).execute(),
        plansBefore,
        "nothing written",
      );
    });

    test("the table layout over the seed: a large change, refused unless confirmed, then saved row by row", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const text = seedWithTaskTable();
      const preview = await coord.post("/quan-tri/ke-hoach/nhap", form(text));
      const html = await preview.text();
      assert.equal(preview.status, 200, html.slice(0, 300));
      assert.match(html, /Thay đổi lớn/, "the preview warns of a large change");
      assert.match(html, /bỏ \d+ và sửa \d+ trong 16 nhiệm vụ/, "with its size");
      assert.match(html, /name="replace" value="1" required/, "and asks to confirm the replacement");
      assert.match(html, /Hội Liên hiệp Phụ nữ phường/, "new cooperating units are listed before saving");
      assert.match(
        html,
        /Phối hợp: Hội Liên hiệp Phụ nữ phường, Đoàn Thanh niên phường/,
        "each task shows its cooperating units",
      );
      assert.doesNotMatch(html, /Nội dung nhiệm vụ<\/td>|Đơn vị chủ trì<\/td>/, "no header cell as a task");

      const before = await w.db.kysely.selectFrom("tasks").select(["id", "removed_at"]).execute();
      const refused = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(text));
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /Thay đổi lớn: văn bản mới bỏ \d+ và sửa \d+ trong 16 nhiệm vụ/);
      assert.deepEqual(
        await w.db.kysely.selectFrom("tasks").select(["id", "removed_at"]).execute(),
        before,
        "nothing written",
      );

      const saved = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(text, { replace: "1" }));
      assert.equal(saved.status, 303, (await saved.text()).slice(0, 300));
      const plan = await planJson();
      assert.deepEqual(plan.signer, {
        name: "Lê Duy Bảo",
        position: "PHÓ CHỦ TỊCH",
        authority: "TM. ỦY BAN NHÂN DÂN",
        onBehalfOf: "KT. CHỦ TỊCH",
      });
      assert.equal(plan.tasks.length, 5, "five rows, five tasks");
      const byStart = (s: string) => plan.tasks.find((t) => t.text.startsWith(s));
      const units = (s: string) => byStart(s)?.units.map((u) => [u.name, u.role, u.kind]);
      assert.deepEqual(units("Tổng hợp tình hình"), [
        ["Văn phòng – Thống kê", "lead", "own"],
        ["Văn hóa – Xã hội", "support", "own"],
      ]);
      assert.deepEqual(units("Tổ chức tuyên truyền cải cách hành chính trong sinh hoạt"), [
        ["Văn hóa – Xã hội", "lead", "own"],
        ["Hội Liên hiệp Phụ nữ", "support", "partner"],
        ["Đoàn Thanh niên", "support", "partner"],
      ]);
      assert.deepEqual(units("Lồng ghép"), [
        ["Tư pháp – Hộ tịch", "lead", "own"],
        ["Ủy ban MTTQ và các đoàn thể", "support", "partner"],
      ]);
      assert.deepEqual(
        plan.tasks.map((t) => t.recurrence ?? t.dueOn),
        ["quarterly", "continuous", "2024-06-30", "2024-09-30", "2024-03-31"],
      );
      const partners = await w.db.kysely
        .selectFrom("org_units")
        .select("name")
        .where("kind", "=", "partner")
        .orderBy("id")
        .execute();
      assert.deepEqual(
        partners.map((u) => u.name),
        ["Ủy ban MTTQ và các đoàn thể", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên"],
        "the unknown cooperating units were created as partners",
      );
      const audited = await w.db.kysely
        .selectFrom("audit_log")
        .select("after_json")
        .where("action", "=", "org_unit.create")
        .where("after_json", "like", '%"kind":"partner"%')
        .execute();
      assert.equal(audited.length, 2, "each creation audited");
    });
  });

  describe(`migration 024 on a database with plans and units (${target.name})`, () => {
    test("the Front and the unions become partners; a joined “KT. CHỦ TỊCH PHÓ CHỦ TỊCH” is split", async () => {
      const { db, cleanup } = await target.open();
      try {
        await migrateBefore(db, "20261206-024");
        const k = db.kysely as unknown as Kysely<unknown>;
        const at = "2026-03-02T03:00:00.000Z";
        await sql`insert into admin_units (code, name, short_name, type, level, name_key) values ('99999', 'Phường Thử', 'Thử', 'phường', 'commune', 'thu')`.execute(
          k,
        );
        const ward = (await sql<{ id: number }>`select id from admin_units where code = '99999'`.execute(k)).rows[0]
          ?.id;
        for (const [code, name] of [
          ["office", "Văn phòng – Thống kê"],
          ["front", "Ủy ban MTTQ và các đoàn thể"],
          [null, "Hội Cựu chiến binh phường"],
          [null, "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường"],
        ]) {
          await sql`insert into org_units (ward_id, code, name, created_at) values (${ward}, ${code}, ${name}, ${at})`.execute(
            k,
          );
        }
        for (const [number, position] of [
          ["1/KH-UBND", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"],
          ["2/KH-UBND", "CHỦ TỊCH"],
        ]) {
          await sql`insert into plans (ward_id, kind, number, number_key, issued_on, title, basis_json, purposes_json,
            requirements_json, documents_text, mentions_json, recipients_json, signer_position, signer_name,
            source_hash, source_text, created_at, updated_at)
            values (${ward}, 'Kế hoạch', ${number}, ${number}, '2024-02-19', 'Kế hoạch thử', '[]', '[]', '[]', '', '[]',
            '[]', ${position}, 'Nguyễn Văn An', ${number}, '', ${at}, ${at})`.execute(k);
        }

        await migrateToLatest(db);
        const units = await db.kysely.selectFrom("org_units").select(["name", "kind"]).orderBy("id").execute();
        assert.deepEqual(
          units.map((u) => u.kind),
          ["own", "partner", "partner", "partner"],
          "the Front and the unions are partners, the office the ward's own",
        );
        const plans = await db.kysely
          .selectFrom("plans")
          .select(["signer_position", "signer_on_behalf_of", "signer_authority"])
          .orderBy("id")
          .execute();
        assert.deepEqual(plans, [
          { signer_position: "PHÓ CHỦ TỊCH", signer_on_behalf_of: "KT. CHỦ TỊCH", signer_authority: null },
          { signer_position: "CHỦ TỊCH", signer_on_behalf_of: null, signer_authority: null },
        ]);
      } finally {
        await cleanup();
      }
    });
  });
}
