/**
 * Questions (hỏi đáp) over HTTP on every database: a citizen asks → a coordinator routes it → an officer of the unit
 * drafts → a leader approves → publish; the entry then shows on /hoi-dap, in the site search and in the API, never
 * with the asker's name, email or phone; the asker gets an email through an in-process SMTP server; without SMTP
 * nothing fails; bad input is refused in Vietnamese and stores nothing; a leader sends a draft back with a reason
 * (only a leader, never without a reason) and twenty parallel send-backs and approvals change the question once.
 */
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { createLogger } from "../src/core/log.ts";
import { createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const CODE = /HD-20\d\d-[0-9A-Z]{6}/;
const asker = {
  name: "Nguyễn Thị Hoa",
  email: "hoa.nguyen@example.vn",
  phone: "0912 345 678",
  consent: "yes",
};
const QUESTION = "Tôi làm mất giấy khai sinh bản chính, xin cấp bản sao trích lục ở đâu và mất bao lâu?";
const ANSWER = "Bạn nộp tờ khai cấp bản sao trích lục khai sinh tại bộ phận một cửa; có kết quả ngay trong ngày.";

interface Mail {
  to: string[];
  raw: string;
}

/** The text of a received message, its transfer encoding undone. */
function bodyText(raw: string): string {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

for (const target of testDatabases()) {
  describe(`questions over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let noMail: ReturnType<typeof createApp>;
    let smtp: SMTPServer;
    const mails: Mail[] = [];
    let ipSeq = 0;

    before(async () => {
      w = await createWorld(target);
      smtp = new SMTPServer({
        authOptional: true,
        allowInsecureAuth: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onAuth(auth, _session, cb) {
          if (auth.username === "cchc" && auth.password === "mat-khau") cb(null, { user: auth.username });
          else cb(new Error("bad credentials"));
        },
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on("data", (d: Buffer) => chunks.push(d));
          stream.on("end", () => {
            mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: Buffer.concat(chunks).toString("utf8"),
            });
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
      const port = (smtp.server.address() as AddressInfo).port;
      const base = { DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR };
      const withMail = loadConfig({
        ...base,
        SMTP_URL: `smtp://cchc:mat-khau@127.0.0.1:${port}`,
        MAIL_FROM: "UBND phường Đức Phổ <hoidap@example.vn>",
      });
      const remoteAddress = (c: import("hono").Context) => c.req.header("x-test-ip");
      app = createApp({ db: w.db, config: withMail, clock: w.now, log: createLogger("silent") }, { remoteAddress });
      noMail = createApp(
        { db: w.db, config: loadConfig(base), clock: w.now, log: createLogger("silent") },
        { remoteAddress },
      );
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("canbo", "officer", "radio");
      await w.createStaff("canbokhac", "officer", "finance");
    });
    after(async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await w.cleanup();
    });

    const publicPost = (a: typeof app, path: string, form: Record<string, string>) =>
      a.request(path, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.2.0.${++ipSeq}` },
      });
    const tokenOf = async (a: typeof app, path = "/hoi-dap/hoi") =>
      /name="_form" value="([^"]+)"/.exec(await (await a.request(path)).text())?.[1] as string;
    const count = async () =>
      Number(
        (
          await w.db.kysely
            .selectFrom("questions")
            .select((e) => e.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const ok = (res: Response, path: string) => {
      assert.equal(res.status, 303, `expected a redirect from ${path}`);
      assert.ok(
        res.headers.get("location")?.startsWith(`${path}?da-luu=`),
        'expected: res.headers.get("location")?.startsWith(`{path}?da-luu=`)',
      );
    };

    /** Ask through the public form, then take every step; the question's id and code. */
    async function lifecycle(a: typeof app, form: Record<string, string>) {
      const page = await (await a.request("/hoi-dap/hoi?thu-tuc=1.000253")).text();
      assert.match(page, /name="procedureCode" value="1\.000253"/, "pre-filled from the procedure page");
      const token = /name="_form" value="([^"]+)"/.exec(page)?.[1] as string;
      const sent = await publicPost(a, "/hoi-dap/hoi", { _form: token, procedureCode: "1.000253", ...form });
      assert.equal(sent.status, 200);
      const code = CODE.exec(await sent.text())?.[0];
      assert.ok(code, "the thank-you page shows the code");
      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const path = `/quan-tri/hoi-dap/${id}`;
      const coordinator = await logIn(a, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(a, "lanhdao", pw("lanhdao"));
      const officer = await logIn(a, "canbo", pw("canbo"));
      const other = await logIn(a, "canbokhac", pw("canbokhac"));

      const list = await (await coordinator.get("/quan-tri/hoi-dap")).text();
      assert.ok(list.includes(code), "expected: list.includes(code)");
      assert.equal((await officer.get(path)).status, 403, "not yet routed to the officer's unit");
      ok(await coordinator.post(`${path}/chuyen-don-vi`, { unitId: String(w.unitIds.get("radio")) }), path);
      assert.equal((await other.post(`${path}/du-thao`, { answer: ANSWER })).status, 403, "another unit's officer");
      const empty = await officer.post(`${path}/du-thao`, { answer: "  " });
      assert.equal(empty.status, 400);
      assert.match(await empty.text(), /Nhập nội dung trả lời/);
      ok(await officer.post(`${path}/du-thao`, { answer: ANSWER }), path);
      assert.equal((await coordinator.post(`${path}/duyet`, {})).status, 403, "a coordinator cannot approve");
      ok(await leader.post(`${path}/duyet`, {}), path);
      assert.equal((await a.request(`/hoi-dap/${id}`)).status, 404, "not public before it is published");
      ok(await coordinator.post(`${path}/cong-bo`, {}), path);
      const again = await coordinator.post(`${path}/cong-bo`, {});
      assert.equal(again.status, 409, "a step happens once");
      assert.match(await again.text(), /Câu hỏi đang ở trạng thái “Đã công bố”/);
      const { public_id } = await w.db.kysely
        .selectFrom("questions")
        .select("public_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.ok(public_id, "a published entry has a public id");
      return { id, code, pub: public_id };
    }

    const noPersonalData = (text: string) => {
      for (const secret of [asker.name, asker.email, "0912345678", "0912 345 678"])
        assert.ok(!text.includes(secret), `no personal data (${secret})`);
    };

    test("ask → route → draft → approve → publish: FAQ, site search, API and an email", async () => {
      const { id, code, pub } = await lifecycle(app, { question: QUESTION, ...asker });
      const old = await app.request(`/hoi-dap/${id}`);
      assert.equal(old.status, 301, "a link by row id (sent before public ids) leads to the entry");
      assert.equal(old.headers.get("location"), `/hoi-dap/${pub}`);

      const list = await (await app.request("/hoi-dap")).text();
      assert.ok(
        list.includes(`/hoi-dap/${pub}`) && list.includes("Tôi làm mất giấy khai sinh"),
        'expected: list.includes(`/hoi-dap/{pub}`) && list.includes("Tôi làm mất giấy khai sinh")',
      );
      noPersonalData(list);
      const entry = await app.request(`/hoi-dap/${pub}`);
      assert.equal(entry.status, 200);
      const e = await entry.text();
      assert.ok(e.includes(ANSWER), "expected: e.includes(ANSWER)");
      assert.ok(e.includes('href="/thu-tuc/1.000253"'), "linked to its procedure page");
      noPersonalData(e);

      const search = await (await app.request(`/tim-kiem?q=${encodeURIComponent("trích lục khai sinh")}`)).text();
      assert.ok(search.includes(`/hoi-dap/${pub}`), "found by the site search");
      assert.ok(search.includes("Hỏi đáp"), 'expected: search.includes("Hỏi đáp")');
      noPersonalData(search);
      const doc = await w.db.kysely
        .selectFrom("search_docs")
        .selectAll()
        .where("doc_key", "=", `answer:${id}`)
        .executeTakeFirstOrThrow();
      assert.equal(doc.kind, "answer");
      assert.equal(doc.scope, `unit:${w.wardId}`);

      const api = await app.request(`/api/v1/questions?q=${encodeURIComponent("trich luc khai sinh")}`);
      assert.equal(api.status, 200);
      const raw = await api.text();
      noPersonalData(raw);
      const json = JSON.parse(raw) as { total: number; items: Record<string, unknown>[] };
      assert.equal(json.total, 1);
      assert.deepEqual(json.items[0], {
        id: pub,
        question: QUESTION,
        answer: ANSWER,
        procedureCode: "1.000253",
        publishedOn: "2026-03-02",
        url: `/hoi-dap/${pub}`,
      });
      const none = (await (await app.request("/api/v1/questions?q=xyzkhongco")).json()) as { total: number };
      assert.equal(none.total, 0);

      // The public list searches the same way, without tone marks, and says so when nothing matches.
      const found = await (await app.request(`/hoi-dap?q=${encodeURIComponent("trich luc khai sinh")}`)).text();
      assert.ok(found.includes(`href="/hoi-dap/${pub}"`), "the list finds the entry");
      assert.ok(found.includes('value="trich luc khai sinh"'), "and keeps the query in the box");
      noPersonalData(found);
      const nothing = await (await app.request("/hoi-dap?q=xyzkhongco")).text();
      assert.ok(!nothing.includes(`href="/hoi-dap/${pub}"`), "no entry for an unrelated query");
      assert.match(nothing, /Không có câu hỏi đã trả lời nào khớp «xyzkhongco»/);
      assert.equal((await app.request(`/hoi-dap?q=${"x".repeat(300)}`)).status, 200, "an over-long query is cut");

      const mail = mails.find((m) => m.raw.includes(code));
      assert.ok(mail, "an email reached the SMTP server");
      assert.deepEqual(mail.to, [asker.email]);
      assert.ok(bodyText(mail.raw).includes(ANSWER), "the answer is in the email's body");

      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "after_json"])
        .where("entity", "=", "question")
        .where("entity_id", "=", String(id))
        .orderBy("id")
        .execute();
      assert.deepEqual(
        audits.map((a) => a.action),
        [
          "question.receive",
          "question.route",
          "question.draft",
          "question.approve",
          "question.publish",
          "question.notify",
        ],
      );
      assert.deepEqual(JSON.parse(audits.at(-1)?.after_json ?? "{}"), { delivered: true, channel: "email" });
      for (const a of audits) assert.ok(!(a.after_json ?? "").includes(asker.email), "no address in the audit");
      const steps = await w.db.kysely
        .selectFrom("question_steps")
        .select("to_status")
        .where("question_id", "=", id)
        .orderBy("id")
        .execute();
      assert.deepEqual(
        steps.map((s) => s.to_status),
        ["routed", "drafted", "approved", "published"],
      );
    });

    test("without SMTP_URL publishing still works and nothing is sent", async () => {
      const before = mails.length;
      const { id, pub } = await lifecycle(noMail, {
        question: "Con tôi sinh ở nước ngoài, đăng ký khai sinh lại ở phường được không?",
        name: "Lê Văn Nam",
        phone: "0987654321",
        consent: "yes",
      });
      assert.equal(mails.length, before);
      const row = await w.db.kysely
        .selectFrom("questions")
        .select(["status", "notified_channel"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: "published", notified_channel: "none" });
      assert.equal((await noMail.request(`/hoi-dap/${pub}`)).status, 200);
    });

    test("bad input: Vietnamese errors, nothing stored; the honeypot stores nothing", async () => {
      const n = await count();
      const noContact = await publicPost(app, "/hoi-dap/hoi", {
        _form: await tokenOf(app),
        question: QUESTION,
        name: "Phạm Văn An",
        consent: "yes",
      });
      assert.equal(noContact.status, 400);
      assert.match(await noContact.text(), /href="#hd-email">Nhập thư điện tử hoặc số điện thoại/);

      const bad = await publicPost(app, "/hoi-dap/hoi", {
        _form: await tokenOf(app),
        question: "ngắn",
        name: "",
        email: "khong-phai-thu",
        phone: "12345",
      });
      assert.equal(bad.status, 400);
      const page = await bad.text();
      for (const message of [
        "Câu hỏi cần ít nhất 10 ký tự.",
        "Nhập họ và tên.",
        "Thư điện tử chưa đúng",
        "Số điện thoại chưa đúng",
        "Cần đồng ý cho xử lý thông tin cá nhân",
      ])
        assert.ok(page.includes(message), message);

      const long = await publicPost(app, "/hoi-dap/hoi", {
        _form: await tokenOf(app),
        ...asker,
        question: "a".repeat(3001),
      });
      assert.equal(long.status, 400);
      assert.match(await long.text(), /Câu hỏi tối đa 3000 ký tự/);

      const noToken = await publicPost(app, "/hoi-dap/hoi", { question: QUESTION, ...asker });
      assert.equal(noToken.status, 400);
      assert.match(await noToken.text(), /Biểu mẫu đã hết hạn hoặc không hợp lệ/);

      const robot = await publicPost(app, "/hoi-dap/hoi", {
        _form: await tokenOf(app),
        question: QUESTION,
        ...asker,
        website: "http://spam.example",
      });
      assert.equal(robot.status, 200);
      assert.match(await robot.text(), CODE);
      assert.equal(await count(), n, "nothing stored");

      const token = await tokenOf(app);
      const first = CODE.exec(
        await (await publicPost(app, "/hoi-dap/hoi", { _form: token, question: QUESTION, ...asker })).text(),
      );
      const second = CODE.exec(
        await (await publicPost(app, "/hoi-dap/hoi", { _form: token, question: QUESTION, ...asker })).text(),
      );
      assert.equal(first?.[0], second?.[0], "a re-sent form files once");
      assert.equal(await count(), n + 1);
    });

    /** A question asked and drafted by the radio unit's officer; its id and staff path. */
    async function draftedQuestion(question: string) {
      const sent = await publicPost(noMail, "/hoi-dap/hoi", { _form: await tokenOf(noMail), question, ...asker });
      const code = CODE.exec(await sent.text())?.[0] as string;
      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const path = `/quan-tri/hoi-dap/${id}`;
      const coordinator = await logIn(noMail, "dieuphoi", pw("dieuphoi"));
      const officer = await logIn(noMail, "canbo", pw("canbo"));
      ok(await coordinator.post(`${path}/chuyen-don-vi`, { unitId: String(w.unitIds.get("radio")) }), path);
      ok(await officer.post(`${path}/du-thao`, { answer: ANSWER }), path);
      return { id, path };
    }
    const questionStatus = async (id: number) =>
      w.db.kysely.selectFrom("questions").select(["status", "round"]).where("id", "=", id).executeTakeFirstOrThrow();
    const REASON = "Ghi rõ lệ phí cấp bản sao và nơi nộp.";
    const REVISED = "Bạn nộp tờ khai tại bộ phận một cửa phường, lệ phí 8.000 đồng một bản; có kết quả trong ngày.";

    test("a leader sends the draft back with a reason; the unit redrafts; approved and published", async () => {
      const { id, path } = await draftedQuestion("Xin bản sao trích lục khai sinh thì nộp ở đâu, lệ phí bao nhiêu?");
      const coordinator = await logIn(noMail, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(noMail, "lanhdao", pw("lanhdao"));
      const officer = await logIn(noMail, "canbo", pw("canbo"));
      const noReason = await leader.post(`${path}/tra-lai`, {});
      assert.equal(noReason.status, 400);
      assert.match(await noReason.text(), /href="#tl-reason">Nhập lý do trả lại/);
      assert.equal((await officer.post(`${path}/tra-lai`, { reason: REASON })).status, 403, "an officer cannot");
      assert.equal((await coordinator.post(`${path}/tra-lai`, { reason: REASON })).status, 403, "nor a coordinator");
      assert.deepEqual(await questionStatus(id), { status: "drafted", round: 0 });

      ok(await leader.post(`${path}/tra-lai`, { reason: REASON }), path);
      assert.deepEqual(await questionStatus(id), { status: "routed", round: 1 });
      const page = await (await officer.get(path)).text();
      assert.ok(page.includes(REASON), "the unit reads the reason");
      assert.match(page, /Lãnh đạo trả lại để sửa<\/td><td>lanhdao<\/td><td>Ghi rõ lệ phí/, "and the history shows it");
      ok(await officer.post(`${path}/du-thao`, { answer: REVISED }), path);
      ok(await leader.post(`${path}/duyet`, {}), path);
      const publicQuestion = /<textarea id="cb-publicQuestion"[^>]*>([^<]*)<\/textarea>/.exec(
        await (await coordinator.get(path)).text(),
      )?.[1];
      assert.ok(publicQuestion, "expected: publicQuestion");
      ok(await coordinator.post(`${path}/cong-bo`, { publicQuestion }), path);
      const { public_id } = await w.db.kysely
        .selectFrom("questions")
        .select("public_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      const entry = await (await noMail.request(`/hoi-dap/${public_id}`)).text();
      assert.ok(entry.includes(REVISED) && !entry.includes(ANSWER), "the revised answer");
      const steps = await w.db.kysely
        .selectFrom("question_steps")
        .select(["to_status", "round"])
        .where("question_id", "=", id)
        .orderBy("id")
        .execute();
      assert.deepEqual(
        steps.map((s) => `${s.to_status}@${s.round}`),
        ["routed@0", "drafted@0", "routed@1", "drafted@1", "approved@1", "published@1"],
      );
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("after_json")
        .where("entity", "=", "question")
        .where("entity_id", "=", String(id))
        .where("action", "=", "question.sendBack")
        .execute();
      assert.equal(audits.length, 1);
      assert.ok(
        String(audits[0]?.after_json).includes(REASON),
        "expected: String(audits[0]?.after_json).includes(REASON)",
      );
    });

    test("twenty parallel send-backs and approvals of one draft change it once", async () => {
      const leader = await logIn(noMail, "lanhdao", pw("lanhdao"));
      const { id, path } = await draftedQuestion("Đăng ký tạm trú cho người thuê trọ cần những giấy tờ gì?");
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 ? leader.post(`${path}/duyet`, {}) : leader.post(`${path}/tra-lai`, { reason: REASON }),
        ),
      );
      const codes = results.map((r) => r.status);
      assert.equal(codes.filter((s) => s === 303).length, 1, codes.join(","));
      assert.equal(codes.filter((s) => s === 409).length, 19);
      const now = await questionStatus(id);
      assert.ok(
        (now.status === "routed" && now.round === 1) || (now.status === "approved" && now.round === 0),
        JSON.stringify(now),
      );
      const out = await w.db.kysely
        .selectFrom("question_steps")
        .select("id")
        .where("question_id", "=", id)
        .where("from_status", "=", "drafted")
        .execute();
      assert.equal(out.length, 1);
    });

    test("the API lists published entries only; a bad query is a 400", async () => {
      const all = (await (await app.request("/api/v1/questions")).json()) as { total: number; items: { id: number }[] };
      const published = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("status", "=", "published")
        .execute();
      assert.equal(all.total, published.length);
      assert.equal((await app.request(`/api/v1/questions?q=${"x".repeat(201)}`)).status, 400);
    });
  });
}
