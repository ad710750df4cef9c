/**
 * Feedback (phản ánh, kiến nghị) over HTTP on every database: filing once per form, the honeypot, Vietnamese
 * field errors, lookup by code and phone, the API, the staff list and who may see it, escaping, and the rate limit.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { NOT_FOUND_MESSAGE } from "../src/features/feedback/feedback.schemas.ts";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const HOSTILE = "<script>alert(1)</script>";
const CODE = /PA-2026-[0-9A-Z]{5,6}/;

const citizen = {
  content: "Thủ tục cấp bản sao trích lục hộ tịch phải chờ quá lâu tại bộ phận một cửa.",
  name: "Nguyễn Thị Hoa",
  address: "Tổ 3, phường Đức Phổ",
  phone: "0912 345 678",
  consent: "yes",
};

for (const target of testDatabases()) {
  describe(`feedback over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let ipSeq = 0;
    const freshIp = () => `10.0.0.${++ipSeq}`;

    before(async () => {
      w = await createWorld(target);
      // The same app as production, told each request's client address, so each test is its own client.
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("canbo", "officer", "radio");
    });
    after(async () => w.cleanup());

    const items = async () =>
      Number(
        (
          await w.db.kysely
            .selectFrom("feedback_items")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const post = (path: string, form: Record<string, string>, ip: string, headers: Record<string, string> = {}) =>
      app.request(path, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": ip, ...headers },
      });
    const postJson = (path: string, body: unknown, ip: string) =>
      app.request(path, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-test-ip": ip },
      });
    const formToken = async (path = "/gop-y") => {
      const page = await (await app.request(path)).text();
      const token = /name="_form" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(token, "the form carries a one-time token");
      return token;
    };
    const send = async (fields: Record<string, string>, ip = freshIp()) =>
      post("/gop-y", { _form: await formToken(), ...fields }, ip);

    test("the form is pre-filled from a procedure's link and hides its trap from people", async () => {
      const res = await app.request("/gop-y?thu-tuc=1.000253");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const page = await res.text();
      assert.match(page, /value="1\.000253"/);
      assert.match(page, /<div class="gy-hp" aria-hidden="true">/);
      assert.match(page, /name="website" value="" tabindex="-1" autocomplete="off"/);
      assert.match(page, /type="checkbox" id="gy-consent" name="consent"/);
    });

    test("a citizen files feedback and gets a code; the same form posted twice files once", async () => {
      const before = await items();
      const token = await formToken();
      const ip = freshIp();
      const first = await post("/gop-y", { _form: token, ...citizen, procedureCode: "1.000253" }, ip);
      assert.equal(first.status, 200);
      const page = await first.text();
      const code = CODE.exec(page)?.[0];
      assert.ok(code, "the receipt shows the tracking code");
      assert.match(page, /class="gy-code">PA-2026-/);
      assert.match(page, /Hãy ghi lại hoặc chụp lại mã này/);
      assert.ok(!page.includes(citizen.name) && !page.includes("912"), "no personal data on the receipt");
      const again = await (await post("/gop-y", { _form: token, ...citizen }, ip)).text();
      assert.equal(CODE.exec(again)?.[0], code, "a retried POST shows the same code");
      assert.equal(await items(), before + 1);
      const sender = await w.db.kysely
        .selectFrom("feedback_senders")
        .innerJoin("feedback_items", "feedback_items.id", "feedback_senders.feedback_id")
        .selectAll()
        .where("feedback_items.code", "=", code)
        .executeTakeFirstOrThrow();
      assert.equal(sender.phone, "0912345678");
      assert.equal(sender.status, "received");
      assert.equal(sender.channel, "web");
      assert.equal(sender.subject, "procedure");
      assert.ok(
        sender.consent_at && sender.consent_text.includes("đồng ý"),
        'expected: sender.consent_at && sender.consent_text.includes("đồng ý")',
      );
    });

    test("a robot filling the hidden field sees a receipt, and nothing is stored", async () => {
      const before = await items();
      const res = await send({ ...citizen, website: "http://spam.example" });
      assert.equal(res.status, 200);
      assert.match(await res.text(), CODE);
      assert.equal(await items(), before);
    });

    test("missing consent, a bad phone, short content, a forged token: 400 in Vietnamese, nothing stored", async () => {
      const before = await items();
      const noConsent = await send({ ...citizen, consent: "" });
      assert.equal(noConsent.status, 400);
      const p1 = await noConsent.text();
      assert.match(p1, /Cần đồng ý cho xử lý thông tin cá nhân/);
      assert.match(p1, /href="#gy-consent"/, "the summary links to the field");
      assert.match(p1, /Thủ tục cấp bản sao trích lục/, "what was typed is kept");
      const badPhone = await send({ ...citizen, phone: "12345" });
      assert.equal(badPhone.status, 400);
      assert.match(await badPhone.text(), /Số điện thoại chưa đúng/);
      const short = await send({ ...citizen, content: "Chậm" });
      assert.equal(short.status, 400);
      assert.match(await short.text(), /Nội dung cần ít nhất 10 ký tự/);
      const token = await formToken();
      const forged = await post("/gop-y", { _form: `${token.slice(0, -2)}xx`, ...citizen }, freshIp());
      assert.equal(forged.status, 400);
      assert.match(await forged.text(), /Biểu mẫu đã hết hạn hoặc không hợp lệ/);
      assert.equal(await items(), before);
    });

    test("a cross-site form post is refused", async () => {
      const res = await post("/gop-y", { ...citizen }, freshIp(), { origin: "https://evil.example" });
      assert.equal(res.status, 403);
    });

    test("lookup by code and phone; a wrong phone and a wrong code get the same answer", async () => {
      const code = CODE.exec(await (await send(citizen)).text())?.[0] as string;
      const ok = await post("/gop-y/tra-cuu", { code: code.toLowerCase(), phone: "+84912345678" }, freshIp());
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get("cache-control"), "no-store");
      const page = await ok.text();
      assert.match(page, /Đã tiếp nhận/);
      assert.match(page, /02\/03\/2026/);
      assert.ok(!page.includes("0912345678") && !page.includes("+84912345678"), "the phone is not echoed");
      const summary = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0];
      const wrongPhone = await post("/gop-y/tra-cuu", { code, phone: "0987654321" }, freshIp());
      const other = code.endsWith("3") ? `${code.slice(0, -1)}4` : `${code.slice(0, -1)}3`;
      const wrongCode = await post("/gop-y/tra-cuu", { code: other, phone: citizen.phone }, freshIp());
      assert.equal(wrongPhone.status, 404);
      assert.equal(wrongCode.status, 404);
      const a = summary(await wrongPhone.text());
      assert.ok(a?.includes(NOT_FOUND_MESSAGE), "expected: a?.includes(NOT_FOUND_MESSAGE)");
      assert.equal(a, summary(await wrongCode.text()));
    });

    test("API: 201 with a code, the same code for a repeated key, 400 in Vietnamese, lookup", async () => {
      const before = await items();
      const body = { ...citizen, consent: true, idempotencyKey: "app-42", contentType: "unsuitable" };
      const created = await postJson("/api/v1/feedback?ward=21439", body, freshIp());
      assert.equal(created.status, 201);
      const { code } = (await created.json()) as { code: string };
      assert.match(code, CODE);
      const replay = await postJson("/api/v1/feedback?ward=21439", body, freshIp());
      assert.equal(replay.status, 200);
      assert.deepEqual(await replay.json(), { code });
      assert.equal(await items(), before + 1);

      const bad = await postJson("/api/v1/feedback", { content: "ngắn", phone: "abc" }, freshIp());
      assert.equal(bad.status, 400);
      const { errors } = (await bad.json()) as { errors: Record<string, string> };
      assert.match(errors.consent ?? "", /Cần đồng ý/);
      assert.match(errors.phone ?? "", /Số điện thoại chưa đúng/);
      assert.match(errors.content ?? "", /ít nhất 10 ký tự/);
      assert.ok(errors.name && errors.address, "expected: errors.name && errors.address");
      assert.equal(await items(), before + 1);

      const found = await postJson("/api/v1/feedback/lookup", { code, phone: "0912.345.678" }, freshIp());
      assert.equal(found.status, 200);
      const json = (await found.json()) as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(json).sort(),
        ["code", "deadline", "history", "receivedAt", "status"],
        "no personal data in JSON",
      );
      assert.equal(json.status, "received");
      const miss1 = await postJson("/api/v1/feedback/lookup", { code, phone: "0900000000" }, freshIp());
      const miss2 = await postJson(
        "/api/v1/feedback/lookup",
        { code: "PA-2026-33333", phone: citizen.phone },
        freshIp(),
      );
      assert.equal(miss1.status, 404);
      assert.equal(miss2.status, 404);
      assert.deepEqual(await miss1.json(), await miss2.json());

      const doc = (await (await app.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
      assert.ok(
        doc.paths["/api/v1/feedback"] && doc.paths["/api/v1/feedback/lookup"],
        'expected: doc.paths["/api/v1/feedback"] && doc.paths["/api/v1/feedback/lookup"]',
      );
    });

    test("hostile text is escaped on every page; lists mask the phone; officers see only their unit's", async () => {
      const all = { content: HOSTILE, name: HOSTILE, address: HOSTILE, phone: HOSTILE, email: HOSTILE };
      const refused = await send({ ...all, procedureCode: HOSTILE, subject: HOSTILE, contentType: HOSTILE });
      assert.equal(refused.status, 400);
      const p1 = await refused.text();
      assert.ok(!p1.includes(HOSTILE) && p1.includes("&lt;script&gt;"), "the error page escapes what was typed");

      const stored = await send({ ...citizen, content: `Nội dung ${HOSTILE}`, name: HOSTILE, address: HOSTILE });
      const code = CODE.exec(await stored.text())?.[0] as string;
      const lookup = await post("/gop-y/tra-cuu", { code: HOSTILE, phone: HOSTILE }, freshIp());
      assert.ok(!(await lookup.text()).includes(HOSTILE), "expected: !(await lookup.text()).includes(HOSTILE)");

      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const list = await coordinator.get("/quan-tri/phan-anh");
      assert.equal(list.status, 200);
      assert.equal(list.headers.get("cache-control"), "no-store");
      const page = await list.text();
      assert.ok(!page.includes(HOSTILE), "no raw script on the staff list");
      assert.ok(
        page.includes("Nội dung &lt;script&gt;alert(1)&lt;/script&gt;"),
        'expected: page.includes("Nội dung &lt;script&gt;alert(1)&lt;/script&gt;")',
      );
      // Lists show the name and a masked phone; the full details are on the item page only.
      assert.ok(page.includes("09•••••678") && page.includes(citizen.name), "staff see the name and a masked phone");
      assert.ok(!page.includes("0912345678") && !page.includes(citizen.address), "no full phone or address in lists");
      assert.ok(page.indexOf(code) < page.indexOf(citizen.content.slice(0, 20)), "newest first");
      const id = /href="\/quan-tri\/phan-anh\/(\d+)"><strong>([^<]+)</.exec(page);
      assert.equal(id?.[2], code);
      const item = await (await coordinator.get(`/quan-tri/phan-anh/${id?.[1]}`)).text();
      assert.ok(item.includes("0912345678"), "the item page shows the full phone");
      assert.ok(
        !item.includes(HOSTILE) && item.includes("&lt;script&gt;alert(1)&lt;/script&gt; · 0912345678"),
        'expected: !item.includes(HOSTILE) && item.includes("&lt;script&gt;alert(1)&lt;/script&gt; · 09123...',
      );

      // An officer's list holds only their unit's items: none is assigned yet.
      const officer = await logIn(app, "canbo", pw("canbo"));
      const own = await officer.get("/quan-tri/phan-anh");
      assert.equal(own.status, 200);
      const ownPage = await own.text();
      assert.match(ownPage, /Phản ánh, kiến nghị giao cho đơn vị tôi/);
      assert.ok(!ownPage.includes(code) && !ownPage.includes(citizen.name), "nothing of other units");
      assert.equal((await app.request("/quan-tri/phan-anh")).status, 303, "anonymous users are sent to log in");
      for (const path of ["/gop-y", "/gop-y/tra-cuu", "/w/21439/gop-y"]) {
        const html = await (await app.request(path)).text();
        assert.ok(!html.includes(citizen.name) && !html.includes("0912345678"), `${path} shows no personal data`);
      }
    });

    test("the 11th submission from one client within ten minutes gets 429 with Retry-After", async () => {
      const ip = freshIp();
      for (let i = 0; i < 10; i++) assert.notEqual((await post("/gop-y", { consent: "" }, ip)).status, 429);
      const res = await post("/gop-y", { ...citizen }, ip);
      assert.equal(res.status, 429);
      const wait = Number(res.headers.get("retry-after"));
      assert.ok(wait > 0 && wait <= 600, "expected: wait > 0 && wait <= 600");
      assert.match(await res.text(), /Bạn đã gửi quá nhiều yêu cầu/);
      assert.notEqual((await post("/gop-y", { consent: "" }, freshIp())).status, 429, "other clients are not affected");
      const api = await postJson("/api/v1/feedback", citizen, ip);
      assert.equal(api.status, 429, "the API shares the limit");
      const start = w.now();
      w.setNow(new Date(start.getTime() + 11 * 60 * 1000));
      try {
        assert.equal((await post("/gop-y", { consent: "" }, ip)).status, 400, "the window moves on");
      } finally {
        w.setNow(start);
      }
    });
  });
}
