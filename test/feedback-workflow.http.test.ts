/**
 * The feedback workflow over HTTP on every database: register → classify → assign → draft → a leader approves →
 * publish, with the sender's status page following; the 5-working-day forwarding limit across Tết; who may take
 * which step; fifty identical approvals in parallel changing the item exactly once; a leader sending a draft back
 * with a reason (the unit redrafts in a new round), refused without one or to anyone but a leader, and twenty
 * parallel send-backs and approvals of one draft changing it once.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { createWorld, FIXED_NOW, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const CODE = /PA-20\d\d-[0-9A-Z]{5,6}/;
const citizen = {
  content: "Đèn đường tổ 5 hỏng đã lâu, đề nghị phường sửa chữa.",
  name: "Trần Văn Bình",
  address: "Tổ 5, phường Đức Phổ",
  phone: "0987 654 321",
  consent: "yes",
};
const ANSWER = "Phường đã giao Tổ dân phố phối hợp sửa đèn đường trong tháng 3/2026.";

for (const target of testDatabases()) {
  describe(`feedback workflow over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let ipSeq = 0;
    const freshIp = () => `10.1.0.${++ipSeq}`;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("canbo", "officer", "radio");
      await w.createStaff("canbokhac", "officer", "finance");
    });
    after(async () => w.cleanup());

    const publicPost = (path: string, form: Record<string, string>) =>
      app.request(path, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": freshIp() },
      });

    /** A citizen files an item through the public form; its code and id. */
    const file = async () => {
      const form = await (await app.request("/gop-y")).text();
      const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] as string;
      const code = CODE.exec(await (await publicPost("/gop-y", { _form: token, ...citizen })).text())?.[0];
      assert.ok(code, "expected: code");
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      return { code, id, path: `/quan-tri/phan-anh/${id}` };
    };
    const status = async (id: number) =>
      (await w.db.kysely.selectFrom("feedback_items").select("status").where("id", "=", id).executeTakeFirstOrThrow())
        .status;
    const ok = (res: Response, path: string) => {
      assert.equal(res.status, 303);
      assert.ok(
        res.headers.get("location")?.startsWith(`${path}?da-luu=`),
        'expected: res.headers.get("location")?.startsWith(`{path}?da-luu=`)',
      );
    };

    test("the full lifecycle, each step audited, the sender's status page following it", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const officer = await logIn(app, "canbo", pw("canbo"));
      const { code, id, path } = await file();

      const first = await coordinator.get(path);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("cache-control"), "no-store");
      const p1 = await first.text();
      assert.ok(p1.includes(citizen.name) && p1.includes("0987654321"), "staff handling it see the sender");
      assert.match(p1, /Chưa có \(tính khi phân loại\)/, "no due date before classification");
      assert.match(p1, /action="[^"]+\/vao-so"/);
      assert.ok(!p1.includes("/phan-loai"), "only the next step's form");

      ok(await coordinator.post(`${path}/vao-so`, {}), path);
      const missing = await coordinator.post(`${path}/phan-loai`, {});
      assert.equal(missing.status, 400);
      assert.match(await missing.text(), /href="#pl-classification">Chọn kết quả phân loại/);
      ok(await coordinator.post(`${path}/phan-loai`, { classification: "in_scope" }), path);
      // Classified Monday 02/03/2026: ten working days later (the ward's "answer" stage) is Monday 16/03/2026.
      const p2 = await (await coordinator.get(path)).text();
      assert.match(p2, /16\/03\/2026/);
      assert.match(p2, /Thuộc thẩm quyền, đang xem xét/);

      assert.equal((await officer.get(path)).status, 403, "not yet assigned to the officer's unit");
      ok(await coordinator.post(`${path}/giao`, { unitId: String(w.unitIds.get("radio")) }), path);
      assert.equal((await officer.get(path)).status, 200);
      ok(await officer.post(`${path}/du-thao`, { answer: ANSWER }), path);

      const byCoordinator = await coordinator.post(`${path}/duyet`, {});
      assert.equal(byCoordinator.status, 403, "a coordinator cannot approve");
      assert.equal(await status(id), "drafted");
      ok(await leader.post(`${path}/duyet`, {}), path);
      const early = await publicPost("/gop-y/tra-cuu", { code, phone: citizen.phone });
      const e = await early.text();
      assert.match(e, /Đã có kết quả, chờ công bố/);
      assert.ok(!e.includes(ANSWER), "no answer before it is published");
      ok(await coordinator.post(`${path}/cong-bo`, {}), path);
      assert.equal(await status(id), "published");

      const lookup = await publicPost("/gop-y/tra-cuu", { code, phone: citizen.phone });
      assert.equal(lookup.status, 200);
      const page = await lookup.text();
      assert.match(page, /Đã công bố kết quả/);
      assert.ok(page.includes(ANSWER), "the sender reads the answer");
      assert.ok(!page.includes(citizen.name), "still no personal data on the public page");

      const history = await (await coordinator.get(path)).text();
      for (const label of ["Đã vào sổ", "Đang xử lý", "Đã công bố kết quả"])
        assert.ok(history.includes(label), "expected: history.includes(label)");
      const steps = await w.db.kysely
        .selectFrom("feedback_steps")
        .select("to_status")
        .where("item_id", "=", id)
        .orderBy("id")
        .execute();
      assert.deepEqual(
        steps.map((s) => s.to_status),
        ["registered", "in_scope", "processing", "drafted", "decided", "published"],
      );
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("entity", "=", "feedback")
        .where("entity_id", "=", String(id))
        .orderBy("id")
        .execute();
      assert.deepEqual(
        audits.map((a) => a.action),
        [
          "feedback.receive",
          "feedback.register",
          "feedback.classify",
          "feedback.assign",
          "feedback.draft",
          "feedback.approve",
          "feedback.publish",
        ],
      );
      const again = await coordinator.post(`${path}/cong-bo`, {});
      assert.equal(again.status, 409);
      assert.match(await again.text(), /đang ở trạng thái “Đã công bố kết quả”, không thể công bố/);
    });

    test("forwarding: due 5 working days after receipt across Tết; overdue items highlighted", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      // Received Friday 13/02/2026; Tết off 14–22/02: the fifth working day is Friday 27/02/2026.
      w.setNow(new Date("2026-02-13T03:00:00Z"));
      try {
        const fwd = await file();
        const late = await file();
        ok(await coordinator.post(`${fwd.path}/vao-so`, {}), fwd.path);
        const bad = await coordinator.post(`${fwd.path}/phan-loai`, { classification: "forwarded" });
        assert.equal(bad.status, 400);
        assert.match(await bad.text(), /Nhập cơ quan có thẩm quyền/);
        ok(
          await coordinator.post(`${fwd.path}/phan-loai`, { classification: "forwarded", forwardedTo: "Sở Tư pháp" }),
          fwd.path,
        );
        const page = await (await coordinator.get(fwd.path)).text();
        assert.match(page, /27\/02\/2026/);
        assert.match(page, /Sở Tư pháp/);
        assert.match(page, /không quá 05 ngày làm việc|Đã chuyển cơ quan có thẩm quyền/);

        // In scope on 13/02: ten working days after Tết end on Friday 06/03/2026.
        ok(await coordinator.post(`${late.path}/vao-so`, {}), late.path);
        ok(await coordinator.post(`${late.path}/phan-loai`, { classification: "in_scope" }), late.path);
        w.setNow(new Date("2026-03-09T03:00:00Z"));
        // A new session: the earlier one has been idle for weeks by this clock.
        const later = await logIn(app, "dieuphoi", pw("dieuphoi"));
        const list = await (await later.get("/quan-tri/phan-anh")).text();
        assert.match(list, /Hạn xử lý/);
        const row = new RegExp(
          `<tr class="gy-overdue">(?:(?!</tr>)[\\s\\S])*${late.code}(?:(?!</tr>)[\\s\\S])*</tr>`,
        ).exec(list);
        assert.ok(row, "the overdue item is highlighted");
        assert.match(row[0], /06\/03\/2026/);
        assert.ok(
          !new RegExp(`<tr class="gy-overdue">(?:(?!</tr>)[\\s\\S])*${fwd.code}`).test(list),
          'expected: !new RegExp(`<tr class="gy-overdue">(?:(?!</tr>)[\\\\s\\\\S])*{fwd.code}`).test(list)',
        );
      } finally {
        w.setNow(FIXED_NOW);
      }
    });

    test("an officer of another unit gets 403 drafting; rejecting needs a reason", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const other = await logIn(app, "canbokhac", pw("canbokhac"));
      const { id, path } = await file();
      ok(await coordinator.post(`${path}/vao-so`, {}), path);
      ok(await coordinator.post(`${path}/phan-loai`, { classification: "in_scope" }), path);
      ok(await coordinator.post(`${path}/giao`, { unitId: String(w.unitIds.get("radio")) }), path);
      assert.equal((await other.post(`${path}/du-thao`, { answer: ANSWER })).status, 403);
      assert.equal((await other.post(`${path}/du-thao`, { answer: "" })).status, 403);
      assert.equal((await other.get(path)).status, 403);
      assert.equal(await status(id), "processing");

      const r = await file();
      ok(await coordinator.post(`${r.path}/vao-so`, {}), r.path);
      const noReason = await coordinator.post(`${r.path}/phan-loai`, { classification: "rejected" });
      assert.equal(noReason.status, 400);
      assert.match(await noReason.text(), /Nhập lý do không tiếp nhận/);
      ok(
        await coordinator.post(`${r.path}/phan-loai`, { classification: "rejected", reason: "Không ghi địa chỉ." }),
        r.path,
      );
      const page = await (await coordinator.get(r.path)).text();
      assert.match(page, /Không ghi địa chỉ\./);
      assert.match(page, /Chưa có \(tính khi phân loại\)/, "a rejected item has no deadline");
    });

    /** A filed item taken to "drafted" by the radio unit's officer. */
    const drafted = async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const officer = await logIn(app, "canbo", pw("canbo"));
      const f = await file();
      ok(await coordinator.post(`${f.path}/vao-so`, {}), f.path);
      ok(await coordinator.post(`${f.path}/phan-loai`, { classification: "in_scope" }), f.path);
      ok(await coordinator.post(`${f.path}/giao`, { unitId: String(w.unitIds.get("radio")) }), f.path);
      ok(await officer.post(`${f.path}/du-thao`, { answer: ANSWER }), f.path);
      return f;
    };
    const REASON = "Cần nêu rõ thời hạn sửa đèn và đơn vị chịu trách nhiệm.";
    const REVISED = "Tổ dân phố 5 phối hợp Đài truyền thanh sửa đèn đường trước ngày 20/03/2026.";

    test("a leader sends a draft back with a reason; the unit redrafts; the leader approves; it is published", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const officer = await logIn(app, "canbo", pw("canbo"));
      const { code, id, path } = await drafted();

      const form = await (await leader.get(path)).text();
      assert.match(form, /action="[^"]+\/tra-lai"/);
      assert.match(form, /<label for="tl-reason">\s*Lý do trả lại/);
      const noReason = await leader.post(`${path}/tra-lai`, { reason: "   " });
      assert.equal(noReason.status, 400);
      assert.match(await noReason.text(), /href="#tl-reason">Nhập lý do trả lại/);
      assert.equal((await officer.post(`${path}/tra-lai`, { reason: REASON })).status, 403, "an officer cannot");
      assert.equal((await coordinator.post(`${path}/tra-lai`, { reason: REASON })).status, 403, "nor a coordinator");
      assert.equal(await status(id), "drafted");

      ok(await leader.post(`${path}/tra-lai`, { reason: REASON }), path);
      assert.equal(await status(id), "processing");
      const stale = await leader.post(`${path}/duyet`, {});
      assert.equal(stale.status, 409, "a draft sent back cannot be approved");
      const back = await (await officer.get(path)).text();
      assert.ok(back.includes(REASON), "the unit reads the reason on the item page");
      assert.match(back, /Lãnh đạo trả lại để sửa, lý do/);
      assert.match(
        back,
        /Lãnh đạo trả lại để sửa \(Đang xử lý\)<\/td><td>lanhdao<\/td><td>Cần nêu rõ/,
        "and in the history",
      );
      assert.ok(
        new RegExp(`<textarea id="dt-answer"[^>]*>${ANSWER.replace(/[.]/g, "\\.")}</textarea>`).test(back),
        "the draft comes back for revision",
      );

      ok(await officer.post(`${path}/du-thao`, { answer: REVISED }), path);
      ok(await leader.post(`${path}/duyet`, {}), path);
      const decided = await (await coordinator.get(path)).text();
      const publicContent = /<textarea id="cb-publicContent"[^>]*>([^<]*)<\/textarea>/.exec(decided)?.[1] ?? "";
      assert.equal(publicContent, citizen.content, "nothing personal in this text: offered as written");
      ok(await coordinator.post(`${path}/cong-bo`, { publicContent }), path);
      const lookup = await (await publicPost("/gop-y/tra-cuu", { code, phone: citizen.phone })).text();
      assert.ok(lookup.includes(REVISED) && !lookup.includes(ANSWER), "the revised answer is the one published");

      const steps = await w.db.kysely
        .selectFrom("feedback_steps")
        .select(["to_status", "round", "note"])
        .where("item_id", "=", id)
        .orderBy("id")
        .execute();
      assert.deepEqual(
        steps.map((s) => `${s.to_status}@${s.round}`),
        [
          "registered@0",
          "in_scope@0",
          "processing@0",
          "drafted@0",
          "processing@1",
          "drafted@1",
          "decided@1",
          "published@1",
        ],
      );
      assert.equal(steps[4]?.note, REASON);
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "after_json"])
        .where("entity", "=", "feedback")
        .where("entity_id", "=", String(id))
        .where("action", "=", "feedback.sendBack")
        .execute();
      assert.equal(audit.length, 1, "the send-back is audited");
      assert.ok(
        String(audit[0]?.after_json).includes(REASON),
        "expected: String(audit[0]?.after_json).includes(REASON)",
      );
    });

    test("twenty parallel send-backs and approvals of the same draft change the state once", async () => {
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      for (const mix of [["tra-lai"], ["tra-lai", "duyet"]]) {
        const { id, path } = await drafted();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => {
            const action = mix[i % mix.length] as string;
            return leader.post(`${path}/${action}`, action === "tra-lai" ? { reason: REASON } : {});
          }),
        );
        const codes = results.map((r) => r.status);
        assert.equal(codes.filter((s) => s === 303).length, 1, `one request wins (${mix}): ${codes.join(",")}`);
        assert.equal(codes.filter((s) => s === 409).length, 19);
        const after = await w.db.kysely
          .selectFrom("feedback_items")
          .select(["status", "round"])
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        assert.ok(
          (after.status === "processing" && Number(after.round) === 1) ||
            (after.status === "decided" && Number(after.round) === 0),
          JSON.stringify(after),
        );
        const fromDraft = await w.db.kysely
          .selectFrom("feedback_steps")
          .select("id")
          .where("item_id", "=", id)
          .where("from_status", "=", "drafted")
          .execute();
        assert.equal(fromDraft.length, 1, "one step out of the draft");
        const audits = await w.db.kysely
          .selectFrom("audit_log")
          .select("id")
          .where("entity", "=", "feedback")
          .where("entity_id", "=", String(id))
          .where("action", "in", ["feedback.sendBack", "feedback.approve"])
          .execute();
        assert.equal(audits.length, 1);
      }
    });

    test("fifty identical approvals in parallel change the state exactly once", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const { id, path } = await file();
      ok(await coordinator.post(`${path}/vao-so`, {}), path);
      ok(await coordinator.post(`${path}/phan-loai`, { classification: "in_scope" }), path);
      ok(await coordinator.post(`${path}/giao`, { unitId: String(w.unitIds.get("radio")) }), path);
      ok(await coordinator.post(`${path}/du-thao`, { answer: ANSWER }), path);

      const results = await Promise.all(Array.from({ length: 50 }, () => leader.post(`${path}/duyet`, {})));
      const codes = results.map((r) => r.status);
      assert.equal(codes.filter((s) => s === 303).length, 1, `one approval wins: ${codes.join(",")}`);
      assert.equal(codes.filter((s) => s === 409).length, 49);
      assert.equal(await status(id), "decided");
      const steps = await w.db.kysely
        .selectFrom("feedback_steps")
        .select("id")
        .where("item_id", "=", id)
        .where("to_status", "=", "decided")
        .execute();
      assert.equal(steps.length, 1);
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("id")
        .where("action", "=", "feedback.approve")
        .where("entity_id", "=", String(id))
        .execute();
      assert.equal(audits.length, 1);
    });
  });
}
