/** Plan import over HTTP on every database: import, idempotence, revision, bad files, permissions, audit, API. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const form = (text: string) => {
  const f = new FormData();
  f.set("text", text);
  return f;
};

for (const target of testDatabases()) {
  describe(`plan import over HTTP (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("canbo", "officer", "radio");
    });
    after(async () => w.cleanup());

    const count = async (table: "plans" | "tasks" | "audit_log") =>
      Number(
        (
          await w.db.kysely
            .selectFrom(table)
            .select((e) => e.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test("healthz names the database", async () => {
      const res = await w.app.request("/healthz");
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: "ok", db: target.name });
    });

    test("anonymous users reach no staff page and cannot import", async () => {
      const page = await w.app.request("/quan-tri/ke-hoach/nhap");
      assert.equal(page.status, 303);
      assert.match(page.headers.get("location") ?? "", /^\/dang-nhap/);
      const post = await w.app.request("/quan-tri/ke-hoach/xac-nhan", { method: "POST", body: form(seedPlanText()) });
      assert.notEqual(post.status, 200);
      assert.equal(await count("plans"), 0);
    });

    test("an officer cannot import a plan", async () => {
      const officer = await logIn(w.app, "canbo", pw("canbo"));
      const res = await officer.post("/quan-tri/ke-hoach/xac-nhan", form(seedPlanText()));
      assert.equal(res.status, 403);
      assert.equal(await count("plans"), 0);
    });

    test("a missing CSRF token is refused", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const res = await w.app.request("/quan-tri/ke-hoach/xac-nhan", {
        method: "POST",
        body: form(seedPlanText()),
        headers: { cookie: coord.cookie },
      });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ/);
      assert.equal(await count("plans"), 0);
    });

    test("the coordinator previews, confirms, and the plan is saved with its 16 tasks", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const preview = await coord.post("/quan-tri/ke-hoach/nhap", form(seedPlanText()));
      assert.equal(preview.status, 200);
      const html = await preview.text();
      assert.match(html, /18\/KH-UBND/);
      assert.match(html, /Phường Phổ Minh \(mã 21463\)/);
      assert.match(html, /6 nhóm nhiệm vụ với 16 nhiệm vụ/);
      assert.equal(await count("plans"), 0, "a preview writes nothing");

      const saved = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(seedPlanText()));
      assert.equal(saved.status, 303);
      const id = Number(/\/quan-tri\/ke-hoach\/(\d+)/.exec(saved.headers.get("location") ?? "")?.[1]);
      assert.ok(id > 0, "expected: id > 0");
      assert.equal(await count("tasks"), 16);

      const list = (await (await w.app.request("/api/v1/plans")).json()) as {
        total: number;
        items: { number: string; year: number; ward: { code: string; validTo: string } }[];
      };
      assert.equal(list.total, 1);
      assert.equal(list.items[0]?.number, "18/KH-UBND");
      assert.equal(list.items[0]?.year, 2024);
      assert.deepEqual(list.items[0]?.ward, {
        code: "21463",
        name: "Phường Phổ Minh",
        validTo: "2025-06-30",
        partial: false,
      });

      const plan = (await (await w.app.request(`/api/v1/plans/${id}`)).json()) as Record<string, unknown> & {
        tasks: { unit: { name: string } | null; status: string; units: { role: string }[] }[];
        contentAreas: { items: unknown[]; pillar: string }[];
        references: unknown[];
        recipients: unknown[];
        purposes: unknown[];
        requirements: unknown[];
        channels: { kind: string }[];
      };
      assert.equal(plan.issuedOn, "2024-02-19");
      assert.equal(plan.title, "Tuyên truyền cải cách hành chính năm 2024 trên địa bàn phường Phổ Minh");
      assert.deepEqual(plan.period, { from: "2024-01-01", to: "2024-12-31" });
      // The contract: the seed's "CHỦ TỊCH" signs without an authority line.
      assert.deepEqual(plan.signer, { name: "Lê Duy Bảo", position: "CHỦ TỊCH", authority: null, onBehalfOf: null });
      assert.equal(plan.purposes.length, 5);
      assert.equal(plan.requirements.length, 6);
      assert.deepEqual(
        plan.contentAreas.map((a) => a.items.length),
        [3, 3, 2, 2, 1, 3],
      );
      assert.deepEqual(
        plan.contentAreas.map((a) => a.pillar),
        ["institutions", "procedures", "apparatus", "civil_service", "public_finance", "e_government"],
      );
      assert.equal(plan.channels.length, 4);
      assert.equal(plan.references.length, 14);
      assert.equal(plan.recipients.length, 8);
      assert.equal(plan.tasks.length, 16);
      const leads = plan.tasks.map((t) => t.unit?.name);
      assert.deepEqual(
        [...new Set(leads)],
        [
          "Văn phòng – Thống kê",
          "Văn hóa – Xã hội",
          "Tư pháp – Hộ tịch",
          "Đài truyền thanh",
          "Tài chính – Kế toán",
          "Ủy ban MTTQ và các đoàn thể",
        ],
      );
      assert.ok(
        plan.tasks.every((t) => t.units.some((u) => u.role === "lead")),
        'expected: plan.tasks.every((t) => t.units.some((u) => u.role === "lead"))',
      );
      assert.ok(
        plan.tasks.every((t) => ["not_started", "in_progress", "done", "overdue"].includes(t.status)),
        'expected: plan.tasks.every((t) => ["not_started", "in_progress", "done", "overdue"].includes(t.st...',
      );

      const audit = await w.db.kysely.selectFrom("audit_log").selectAll().where("action", "=", "plan.import").execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.actor, "dieuphoi");
    });

    test("importing the same plan again changes nothing, even with CRLF and NFD text", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const before = { plans: await count("plans"), tasks: await count("tasks"), audit: await count("audit_log") };
      const variant = seedPlanText().normalize("NFD").replace(/\n/g, "\r\n");
      const res = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(variant));
      assert.equal(res.status, 303);
      assert.match(res.headers.get("location") ?? "", /ket-qua=unchanged/);
      assert.deepEqual(
        { plans: await count("plans"), tasks: await count("tasks"), audit: await count("audit_log") },
        before,
      );
    });

    test("a revised text shows its differences and keeps recorded progress", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const plan = await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow();
      const radioTask = await w.db.kysely
        .selectFrom("tasks")
        .selectAll()
        .where("text", "like", "Tăng cường công tác thông tin%")
        .executeTakeFirstOrThrow();
      await w.db.kysely.updateTable("tasks").set({ status: "in_progress" }).where("id", "=", radioTask.id).execute();
      const unitId = w.unitIds.get("radio") as number;
      await w.db.kysely
        .insertInto("activities")
        .values({
          ward_id: w.wardId,
          org_unit_id: unitId,
          plan_id: plan.id,
          task_id: radioTask.id,
          channel_kind: "radio",
          pillar: "procedures",
          title: "Bản tin CCHC tháng 3",
          occurred_on: "2024-03-01",
          place: null,
          audience: 1200,
          participants: null,
          cost: 0,
          source: "manual",
          source_ref: null,
          created_by: null,
          created_at: new Date().toISOString(),
        })
        .execute();

      const revised = seedPlanText()
        .replace(
          "Lồng ghép nội dung tuyên truyền cải cách hành chính vào chương trình, kế hoạch tuyên truyền, phổ biến, giáo dục pháp luật.",
          "Lồng ghép nội dung tuyên truyền cải cách hành chính vào chương trình, kế hoạch tuyên truyền, phổ biến, giáo dục pháp luật hằng năm của phường.",
        )
        .replace(
          "Tham mưu xây dựng, bố trí kinh phí thực hiện công tác thông tin, tuyên truyền cải cách hành chính trên địa bàn phường.",
          "Tham mưu xây dựng, bố trí kinh phí thực hiện công tác thông tin, tuyên truyền cải cách hành chính trên địa bàn phường.\n\n- Tổng hợp, báo cáo kinh phí đã chi cho công tác tuyên truyền trước ngày 15/12/2024.",
        );
      const preview = await coord.post("/quan-tri/ke-hoach/nhap", form(revised));
      const html = await preview.text();
      assert.match(html, /Đã có kế hoạch cùng số và ngày/);
      assert.match(html, /Thêm mới:/);
      const res = await coord.post("/quan-tri/ke-hoach/xac-nhan", form(revised));
      assert.match(res.headers.get("location") ?? "", /ket-qua=updated/);
      assert.equal(await count("plans"), 1);
      const kept = await w.db.kysely
        .selectFrom("tasks")
        .selectAll()
        .where("id", "=", radioTask.id)
        .executeTakeFirstOrThrow();
      assert.equal(kept.status, "in_progress", "progress survives a revision");
      assert.equal(kept.removed_at, null);
      const acts = await w.db.kysely.selectFrom("activities").selectAll().where("task_id", "=", radioTask.id).execute();
      assert.equal(acts.length, 1);
      const live = await w.db.kysely.selectFrom("tasks").select("id").where("removed_at", "is", null).execute();
      assert.ok(live.length >= 17, "expected: live.length >= 17");
    });

    test("documents that are not plans are refused with a Vietnamese message and nothing is written", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const before = { plans: await count("plans"), tasks: await count("tasks") };
      const cases: [string, Blob][] = [
        ["empty", new Blob([""])],
        ["binary", new Blob([new Uint8Array([0, 1, 2, 3, 255, 254, 0, 7, 8, 9])])],
        [
          "decision",
          new Blob([
            "QUYẾT ĐỊNH\nVề việc ban hành quy chế\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.\n\nĐiều 3. Chánh Văn phòng chịu trách nhiệm thi hành.",
          ]),
        ],
        [
          "article",
          new Blob([
            "Hôm nay trời đẹp. Người dân đi chợ đông vui, giá rau xanh ổn định, các tiểu thương phấn khởi vì buôn bán thuận lợi.",
          ]),
        ],
      ];
      for (const [name, blob] of cases) {
        const f = new FormData();
        f.set("file", new File([blob], `${name}.txt`));
        const res = await coord.post("/quan-tri/ke-hoach/nhap", f);
        assert.equal(res.status, 400, name);
        const html = await res.text();
        assert.match(html, /error-summary/, name);
      }
      const big = new FormData();
      big.set("file", new File([new Uint8Array(20 * 1024 * 1024).fill(65)], "big.txt"));
      const res = await coord.post("/quan-tri/ke-hoach/nhap", big);
      assert.equal(res.status, 413);
      assert.match(await res.text(), /quá lớn/);
      assert.deepEqual({ plans: await count("plans"), tasks: await count("tasks") }, before);
    });

    test("the public plan page shows the plan and its progress with no personal data", async () => {
      const plan = await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow();
      const res = await w.app.request(`/ke-hoach/${plan.id}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /Kế hoạch 18\/KH-UBND/);
      assert.match(html, /Phường Phổ Minh/);
      assert.match(html, /<svg/);
      assert.doesNotMatch(html, /dieuphoi|canbo|Pm-/);
      const other = await w.app.request(`/w/21463@2024-02-19/ke-hoach/${plan.id}`);
      assert.equal(other.status, 200, "the predecessor, addressed on a past date, shows its own plan");
    });

    test("cached pages go gzipped to clients that take gzip, as plain HTML to others, the same page", async () => {
      const plan = await w.db.kysely.selectFrom("plans").select(["id"]).executeTakeFirstOrThrow();
      const path = `/ke-hoach/${plan.id}`;
      const plain = await w.app.request(path);
      const html = await plain.text();
      assert.equal(plain.headers.get("content-encoding"), null, "no Accept-Encoding: plain");
      assert.match(plain.headers.get("vary") ?? "", /Accept-Encoding/, "the answer varies with the encoding");
      for (const round of ["miss or hit", "hit"]) {
        const zipped = await w.app.request(path, { headers: { "accept-encoding": "gzip, deflate" } });
        assert.equal(zipped.headers.get("content-encoding"), "gzip", round);
        assert.match(zipped.headers.get("vary") ?? "", /Accept-Encoding/, round);
        const bytes = Buffer.from(await zipped.arrayBuffer());
        assert.ok(bytes.length < Buffer.byteLength(html) / 2, `${round}: much smaller (${bytes.length} bytes)`);
        assert.equal(gunzipSync(bytes).toString("utf8"), html, `${round}: the same page`);
      }
      const refused = await w.app.request(path, { headers: { "accept-encoding": "gzip;q=0, identity" } });
      assert.equal(refused.headers.get("content-encoding"), null, "gzip;q=0 is a refusal");
      assert.equal(await refused.text(), html);
    });

    test("a cached public page changes as soon as the data does, whoever wrote it", async () => {
      const plan = await w.db.kysely.selectFrom("plans").select(["id", "title"]).executeTakeFirstOrThrow();
      const first = await w.app.request(`/ke-hoach/${plan.id}`);
      assert.equal(first.status, 200);
      await first.text();
      const second = await w.app.request(`/ke-hoach/${plan.id}`);
      assert.equal(second.headers.get("x-cache"), "hit");
      // A write by any means (here, straight to the database, as another process would) invalidates it.
      await w.db.kysely
        .updateTable("plans")
        .set({ title: "Tiêu đề đã sửa để kiểm tra bộ đệm" })
        .where("id", "=", plan.id)
        .execute();
      const third = await w.app.request(`/ke-hoach/${plan.id}`);
      assert.notEqual(third.headers.get("x-cache"), "hit");
      assert.match(await third.text(), /Tiêu đề đã sửa để kiểm tra bộ đệm/);
      await w.db.kysely.updateTable("plans").set({ title: plan.title }).where("id", "=", plan.id).execute();
    });

    test("the audit log cannot be rewritten", async () => {
      await assert.rejects(w.db.kysely.updateTable("audit_log").set({ actor: "x" }).execute());
      await assert.rejects(w.db.kysely.deleteFrom("audit_log").execute());
    });
  });
}
