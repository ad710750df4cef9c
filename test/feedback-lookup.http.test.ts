/**
 * What the sender learns by looking up their code with their phone, on the page and over the API: the working-day
 * deadline once the item is classified, the reason when it is not accepted, the body it was forwarded to.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const citizen = {
  content: "Đề nghị niêm yết rõ lệ phí đăng ký khai sinh tại Bộ phận một cửa.",
  name: "Lê Thị Hoa",
  address: "Tổ 2, phường Đức Phổ",
  phone: "0912 345 678",
  consent: true,
};

for (const target of testDatabases()) {
  describe(`feedback lookup: deadline, reason, forwarding (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let ipSeq = 0;
    const ip = () => `10.7.0.${++ipSeq}`;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
    });
    after(async () => w.cleanup());

    const json = (path: string, body: unknown) =>
      app.request(path, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-test-ip": ip() },
      });
    const fileOne = async (content: string) => {
      const res = await json("/api/v1/feedback", { ...citizen, content });
      assert.equal(res.status, 201);
      const { code } = (await res.json()) as { code: string };
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      return { code, path: `/quan-tri/phan-anh/${id}` };
    };
    const lookup = async (code: string) => {
      const res = await json("/api/v1/feedback/lookup", { code, phone: citizen.phone });
      assert.equal(res.status, 200);
      return (await res.json()) as Record<string, unknown>;
    };
    const lookupPage = async (code: string) => {
      const res = await app.request("/gop-y/tra-cuu", {
        method: "POST",
        body: new URLSearchParams({ code, phone: citizen.phone }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": ip() },
      });
      assert.equal(res.status, 200);
      return res.text();
    };

    test("no deadline until classified; in scope: the answer's working-day deadline", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const { code, path } = await fileOne(`${citizen.content} (1)`);
      const fresh = await lookup(code);
      assert.equal(fresh.status, "received");
      assert.equal(fresh.deadline, null, "empty until the item is classified");
      assert.equal(fresh.answer, undefined);

      assert.equal((await coordinator.post(`${path}/vao-so`, {})).status, 303);
      assert.equal((await coordinator.post(`${path}/phan-loai`, { classification: "in_scope" })).status, 303);
      // Classified Monday 02/03/2026; the ward's "answer" stage is ten working days: Monday 16/03/2026.
      const classified = await lookup(code);
      assert.equal(classified.status, "in_scope");
      assert.equal(classified.deadline, "2026-03-16");
      assert.deepEqual(
        (classified.history as { status: string }[]).map((h) => h.status),
        ["received", "registered", "in_scope"],
        "every step the item went through, oldest first",
      );
      const page = await lookupPage(code);
      assert.match(page, /Hạn trả lời<\/dt><dd>16\/03\/2026/);
      assert.match(page, /<li>02\/03\/2026: Đã vào sổ<\/li>/, "the page lists the steps with their dates");
      assert.ok(!page.includes(citizen.name) && !page.includes("0912345678"), "no personal data on the page");
    });

    test("rejected: the reason, and no deadline", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const { code, path } = await fileOne(`${citizen.content} (2)`);
      await coordinator.post(`${path}/vao-so`, {});
      const reason = "Nội dung đã được trả lời tại văn bản số 12/UBND ngày 05/02/2026.";
      assert.equal((await coordinator.post(`${path}/phan-loai`, { classification: "rejected", reason })).status, 303);
      const r = await lookup(code);
      assert.equal(r.status, "rejected");
      assert.equal(r.reason, reason);
      assert.equal(r.deadline, null);
      assert.ok((await lookupPage(code)).includes(reason), "expected: (await lookupPage(code)).includes(reason)");
    });

    test("forwarded: where to, and the forwarding limit", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const { code, path } = await fileOne(`${citizen.content} (3)`);
      await coordinator.post(`${path}/vao-so`, {});
      const to = "Sở Tư pháp tỉnh Quảng Ngãi";
      assert.equal(
        (await coordinator.post(`${path}/phan-loai`, { classification: "forwarded", forwardedTo: to })).status,
        303,
      );
      const r = await lookup(code);
      assert.equal(r.status, "forwarded");
      assert.equal(r.forwardedTo, to);
      // Received Monday 02/03/2026: the fifth working day after is Monday 09/03/2026.
      assert.equal(r.deadline, "2026-03-09");
      const page = await lookupPage(code);
      assert.ok(page.includes(to), "expected: page.includes(to)");
      assert.match(page, /09\/03\/2026/);
    });
  });
}
