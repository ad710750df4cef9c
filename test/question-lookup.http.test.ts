/**
 * Issue 8 B.5, over HTTP on every database: an asker follows their question with its code and the phone or e-mail
 * they gave (by POST, page and API), rate-limited like the feedback lookup; the receipt says how the answer arrives.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const HD = /HD-20\d\d-[0-9A-Z]{6}/;
const ANSWER = "Bạn đến bộ phận một cửa xin cấp bản sao trích lục khai sinh.";

for (const target of testDatabases()) {
  describe(`question lookup (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let coordinator: Browser;
    let leader: Browser;
    let ip = 0;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(app, "lanhdao", pw("lanhdao"));
    });
    after(async () => w.cleanup());

    const post = (p: string, form: Record<string, string>, from = `10.9.0.${++ip}`) =>
      app.request(p, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": from },
      });
    const postJson = (body: unknown, from = `10.9.1.${++ip}`) =>
      app.request("/api/v1/questions/lookup", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-test-ip": from },
      });

    test("the receipt says how the answer arrives; the asker finds it by code and phone or e-mail", async () => {
      const token = /name="_form" value="([^"]+)"/.exec(await (await app.request("/hoi-dap/hoi")).text())?.[1];
      assert.ok(token, "the form has a token");
      const receipt = await (
        await post("/hoi-dap/hoi", {
          _form: token,
          question: "Tôi làm mất giấy khai sinh, xin bản sao ở đâu?",
          name: "Đỗ Văn Nam",
          phone: "0912 555 666",
          email: "Nam.Do@example.vn",
          consent: "yes",
        })
      ).text();
      const code = HD.exec(receipt)?.[0];
      assert.ok(code, "a code on the receipt");
      assert.match(receipt, /href="\/hoi-dap\/tra-cuu">Tra cứu câu hỏi/, "the receipt points to the lookup");
      assert.match(receipt, /không gửi tin nhắn hay thư điện tử/, "without SMTP_URL it promises no e-mail");

      const waiting = await post("/hoi-dap/tra-cuu", { code, contact: "0912555666" });
      assert.equal(waiting.status, 200);
      const w1 = await waiting.text();
      assert.match(w1, /Chưa có: câu hỏi đang được xử lý/);
      assert.ok(!w1.includes("0912555666"), "the contact is not written back");

      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const p = `/quan-tri/hoi-dap/${id}`;
      for (const [who, step, form] of [
        [coordinator, "chuyen-don-vi", { unitId: String(w.unitIds.get("justice")) }],
        [coordinator, "du-thao", { answer: ANSWER }],
        [leader, "duyet", {}],
        [coordinator, "cong-bo", {}],
      ] as const)
        assert.equal((await who.post(`${p}/${step}`, { ...form })).status, 303, step);

      const byEmail = await (
        await post("/hoi-dap/tra-cuu", { code: code.toLowerCase(), contact: "nam.do@EXAMPLE.vn" })
      ).text();
      assert.ok(byEmail.includes(ANSWER), "the answer, found by e-mail in any case");
      const api = await postJson({ code, contact: "+84 912 555 666" });
      assert.equal(api.status, 200);
      const json = (await api.json()) as { status: string; answer?: string; url?: string };
      assert.equal(json.status, "published");
      assert.equal(json.answer, ANSWER);
      assert.match(json.url ?? "", /^\/hoi-dap\/[a-z][a-z2-9]{9}$/, "the public entry, by its public id");

      for (const contact of ["0912000000", "other@example.vn"]) {
        assert.equal((await post("/hoi-dap/tra-cuu", { code, contact })).status, 404, `wrong ${contact}`);
        assert.equal((await postJson({ code, contact })).status, 404, `API: wrong ${contact}`);
      }
      const empty = await post("/hoi-dap/tra-cuu", { code: "", contact: "" });
      assert.equal(empty.status, 400);
      assert.match(await empty.text(), /Nhập mã câu hỏi/);
      assert.equal((await postJson({})).status, 400, "the API: 400 without fields");
    });

    test("rate-limited per client, page and API together", async () => {
      const from = "10.9.9.9";
      let limited = 0;
      for (let i = 0; i < 12; i++) {
        const res =
          i % 2
            ? await post("/hoi-dap/tra-cuu", { code: "HD-2026-7KQ9XM", contact: "0912000000" }, from)
            : await postJson({ code: "HD-2026-7KQ9XM", contact: "0912000000" }, from);
        if (res.status === 429) limited++;
      }
      assert.ok(limited >= 2, `past the limit (10) lookups are refused: ${limited} refused`);
    });

    test("ten failures for one contact from ten addresses stop the eleventh, even with the right code", async () => {
      const token = /name="_form" value="([^"]+)"/.exec(await (await app.request("/hoi-dap/hoi")).text())?.[1];
      assert.ok(token, "the form has a token");
      const receipt = await (
        await post("/hoi-dap/hoi", {
          _form: token,
          question: "Đăng ký thường trú cho con mới sinh cần những gì?",
          name: "Phan Thị Lụa",
          phone: "0933 444 555",
          consent: "yes",
        })
      ).text();
      const code = HD.exec(receipt)?.[0] as string;
      assert.ok(code, "a code on the receipt");
      assert.equal((await postJson({ code, contact: "0933444555" })).status, 200, "the asker finds it");
      for (let i = 0; i < 10; i++) {
        const wrong = `HD-2026-${"ACDEGHKMPQ"[i]}4444X`;
        assert.equal((await postJson({ code: wrong, contact: "0933 444 555" })).status, 404, `guess ${i + 1} fails`);
      }
      const blocked = await postJson({ code, contact: "0933444555" });
      assert.equal(blocked.status, 429, "the contact has failed too often, whatever the address");
      assert.match(
        ((await blocked.json()) as { error: { message: string } }).error.message,
        /tra cứu sai quá nhiều lần/,
      );
      const page = await post("/hoi-dap/tra-cuu", { code, contact: "0933444555" });
      assert.equal(page.status, 429, "the lookup page shares the limit");
      assert.match(await page.text(), /tra cứu sai quá nhiều lần/);
    });
  });
}
