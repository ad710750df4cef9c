/**
 * Personal data over HTTP on every database: an administrator finds a person's feedback items and questions by
 * code or phone, exports everything held about them (a JSON attachment, audited without the data), and erases it
 * (audited without the values; the items, their history and their published answers stay; the lookup by code and
 * phone no longer finds them); nobody else may, and never without the CSRF token. The retention purge erases only
 * what is due, from the command line too, and a dry run changes nothing. The consent texts are edited by the
 * administrator and the next submission shows and records the new one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { CONSENT_TEXT as FEEDBACK_CONSENT } from "../src/features/feedback/feedback.schemas.ts";
import { purgeExpiredPersonalData } from "../src/features/privacy/privacy.service.ts";
import { CONSENT_TEXT as QUESTION_CONSENT } from "../src/features/questions/questions.schemas.ts";
import { adminUnitInForce } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  SHARED_DIR,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const PA = /PA-20\d\d-[0-9A-Z]{6}/;
const HD = /HD-20\d\d-[0-9A-Z]{6}/;
const PERSON = {
  name: "Lê Thị Riêng Tư",
  address: "Số 7 hẻm Bí Mật, tổ 3",
  phone: "0935 111 222",
  email: "rieng.tu@example.vn",
};
const PHONE = "0935111222";
const OTHER = { name: "Phạm Văn Khác", address: "Tổ 9", phone: "0977 000 111" };
const FEEDBACK_ANSWER = "Phường đã cho sửa nắp cống trước nhà số 7 trong tuần này.";
const QUESTION_ANSWER = "Bạn mang căn cước đến bộ phận một cửa để được cấp bản sao trích lục ngay trong ngày.";
const DAY = 24 * 60 * 60 * 1000;

for (const target of testDatabases()) {
  describe(`personal data over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let admin: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let ipSeq = 0;

    before(async () => {
      w = await createWorld(target);
      await setUpOtherWard(w, "21451");
      app = w.appWith();
      await w.createStaff("quantri", "admin");
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      await logInAll();
    });
    after(async () => w.cleanup());

    /** Sessions expire when a test moves the clock: sign in again at the current time. */
    async function logInAll() {
      admin = await logIn(app, "quantri", pw("quantri"));
      coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(app, "lanhdao", pw("lanhdao"));
    }

    const publicPost = (p: string, form: Record<string, string>) =>
      app.request(p, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.3.0.${++ipSeq}` },
      });
    const tokenOf = async (p: string) => /name="_form" value="([^"]+)"/.exec(await (await app.request(p)).text())?.[1];

    /** A citizen sends feedback through the public form; its code and id. */
    async function sendFeedback(
      who: { name: string; address: string; phone: string; email?: string },
      content: string,
    ) {
      const token = await tokenOf("/gop-y");
      assert.ok(token, "the feedback form carries a token");
      const res = await publicPost("/gop-y", { _form: token, content, consent: "yes", ...who });
      const code = PA.exec(await res.text())?.[0];
      assert.ok(code, `filed (${res.status})`);
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      return { code, id };
    }

    /** A citizen asks through the public form; its code and id. */
    async function ask(who: { name: string; phone: string; email?: string }, question: string) {
      const token = await tokenOf("/hoi-dap/hoi");
      assert.ok(token, "the question form carries a token");
      const res = await publicPost("/hoi-dap/hoi", { _form: token, question, consent: "yes", ...who });
      const code = HD.exec(await res.text())?.[0];
      assert.ok(code, `asked (${res.status})`);
      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      return { code, id };
    }

    const step = async (b: Browser, p: string, form: Record<string, string> = {}) => {
      const res = await b.post(p, form);
      assert.equal(res.status, 303, `${p}: ${res.status}`);
      assert.ok(!res.headers.get("location")?.startsWith("/dang-nhap"), `${p}: the session is alive`);
    };

    async function publishFeedback(id: number, answer: string) {
      const p = `/quan-tri/phan-anh/${id}`;
      await step(coordinator, `${p}/vao-so`);
      await step(coordinator, `${p}/phan-loai`, { classification: "in_scope" });
      await step(coordinator, `${p}/giao`, { unitId: String(w.unitIds.get("office")) });
      await step(coordinator, `${p}/du-thao`, { answer });
      await step(leader, `${p}/duyet`);
      await step(coordinator, `${p}/cong-bo`);
    }

    async function rejectFeedback(id: number) {
      const p = `/quan-tri/phan-anh/${id}`;
      await step(coordinator, `${p}/vao-so`);
      await step(coordinator, `${p}/phan-loai`, { classification: "rejected", reason: "Không ghi rõ sự việc." });
    }

    async function publishQuestion(id: number, answer: string) {
      const p = `/quan-tri/hoi-dap/${id}`;
      await step(coordinator, `${p}/chuyen-don-vi`, { unitId: String(w.unitIds.get("justice")) });
      await step(coordinator, `${p}/du-thao`, { answer });
      await step(leader, `${p}/duyet`);
      await step(coordinator, `${p}/cong-bo`);
    }

    const sender = (id: number) =>
      w.db.kysely.selectFrom("feedback_senders").selectAll().where("feedback_id", "=", id).executeTakeFirstOrThrow();
    const asker = (id: number) =>
      w.db.kysely.selectFrom("question_askers").selectAll().where("question_id", "=", id).executeTakeFirstOrThrow();
    const auditOf = (action: string) =>
      w.db.kysely.selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("id").execute();
    const search = (b: Browser, q: string) => b.post("/quan-tri/du-lieu-ca-nhan", { q });
    const lookup = (code: string, phone: string) => publicPost("/gop-y/tra-cuu", { code, phone });

    /** The same form field several times, as a browser sends ticked checkboxes. */
    const multi = (b: Browser, p: string, fields: [string, string][], csrf = true) => {
      const body = new URLSearchParams(fields);
      if (csrf) body.set("_csrf", b.csrf);
      return app.request(p, {
        method: "POST",
        body,
        headers: { cookie: b.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
    };

    test("an administrator finds a person's items by phone or code, however typed; no one else may", async () => {
      const f1 = await sendFeedback(PERSON, "Nắp cống trước nhà số 7 bị vỡ, rất nguy hiểm cho trẻ em.");
      const f2 = await sendFeedback({ ...PERSON, phone: "+84 935 111 222" }, "Đèn đường hẻm Bí Mật không sáng.");
      const q1 = await ask(
        { name: PERSON.name, phone: "0935.111.222" },
        "Tôi cần bản sao trích lục khai sinh thì làm ở đâu?",
      );
      const other = await sendFeedback(OTHER, "Rác thải tập kết sai nơi ở tổ 9 nhiều ngày.");

      const byPhone = await search(admin, "+84 935-111-222");
      assert.equal(byPhone.status, 200);
      assert.equal(byPhone.headers.get("cache-control"), "no-store");
      const page = await byPhone.text();
      for (const c of [f1.code, f2.code, q1.code]) assert.ok(page.includes(c), `${c} found by phone`);
      assert.ok(!page.includes(other.code), "another person's item is not listed");
      assert.match(page, /Kết quả \(3\)/);

      const byCode = await (await search(admin, f1.code.toLowerCase().replace(/-/g, " "))).text();
      assert.ok(byCode.includes(f1.code), "found by its code typed in lower case with spaces");
      assert.ok(!byCode.includes(f2.code), "a code finds that item only");
      const byQuestionCode = await (await search(admin, q1.code)).text();
      assert.ok(byQuestionCode.includes(q1.code), "a question found by its code");

      const bad = await search(admin, "xin chào");
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /Nhập mã tra cứu/);

      assert.equal((await coordinator.get("/quan-tri/du-lieu-ca-nhan")).status, 403);
      assert.equal((await search(coordinator, PHONE)).status, 403);
      assert.equal((await leader.get("/quan-tri/du-lieu-ca-nhan")).status, 403);
      assert.ok(
        (await (await admin.get("/quan-tri")).text()).includes('href="/quan-tri/du-lieu-ca-nhan"'),
        "the administrator's navigation links the page",
      );
      assert.ok(
        !(await (await coordinator.get("/quan-tri")).text()).includes('href="/quan-tri/du-lieu-ca-nhan"'),
        "a coordinator's navigation does not",
      );
    });

    test("export: a no-store JSON attachment with everything held, audited without the data", async () => {
      const f = await sendFeedback(PERSON, "Cây đổ chắn lối đi ở hẻm Bí Mật sau cơn bão.");
      const q = await ask(
        { name: PERSON.name, email: PERSON.email, phone: PERSON.phone },
        "Xin hỏi thủ tục đăng ký tạm trú?",
      );
      const fields: [string, string][] = [
        ["item", `feedback:${f.id}`],
        ["item", `question:${q.id}`],
      ];

      assert.equal((await multi(coordinator, "/quan-tri/du-lieu-ca-nhan/xuat", fields)).status, 403);
      assert.equal((await multi(admin, "/quan-tri/du-lieu-ca-nhan/xuat", fields, false)).status, 403, "no CSRF");
      const exportsBefore = (await auditOf("personal_data.export")).length;

      const res = await multi(admin, "/quan-tri/du-lieu-ca-nhan/xuat", fields);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      assert.match(
        res.headers.get("content-disposition") ?? "",
        /^attachment; filename="du-lieu-ca-nhan-\d{4}-\d\d-\d\d\.json"$/,
      );
      assert.equal(res.headers.get("cache-control"), "no-store");
      const data = (await res.json()) as {
        items: {
          kind: string;
          code: string;
          content: string;
          status: string;
          history: { status: string }[];
          person: Record<string, string | null>;
        }[];
      };
      const fx = data.items.find((i) => i.code === f.code);
      const qx = data.items.find((i) => i.code === q.code);
      assert.ok(fx && qx, "both items exported");
      assert.equal(fx.kind, "feedback");
      assert.equal(fx.content, "Cây đổ chắn lối đi ở hẻm Bí Mật sau cơn bão.");
      assert.equal(fx.status, "received");
      assert.deepEqual(fx.person, {
        name: PERSON.name,
        address: PERSON.address,
        phone: PHONE,
        email: PERSON.email,
        consentAt: w.now().toISOString(),
        consentText: FEEDBACK_CONSENT,
        erasedAt: null,
        erasedReason: null,
      });
      assert.equal(qx.person.name, PERSON.name);
      assert.equal(qx.person.email, PERSON.email);
      assert.equal(qx.person.phone, PHONE);
      assert.equal(qx.person.consentText, QUESTION_CONSENT);

      const audits = await auditOf("personal_data.export");
      assert.equal(audits.length, exportsBefore + 1);
      const last = audits.at(-1);
      assert.equal(last?.actor, "quantri");
      assert.deepEqual(JSON.parse(last?.after_json ?? "{}").items.sort(), [f.code, q.code].sort());
      const trail = JSON.stringify(last);
      for (const secret of [PERSON.name, PHONE, PERSON.email, PERSON.address])
        assert.ok(!trail.includes(secret), secret);

      const unknown = await multi(admin, "/quan-tri/du-lieu-ca-nhan/xuat", [["item", "feedback:999999"]]);
      assert.equal(unknown.status, 404);
      assert.equal(
        (await auditOf("personal_data.export")).length,
        exportsBefore + 1,
        "nothing exported, nothing audited",
      );
    });

    test("erasure: data gone, item, history and published answer kept, audited without values, lookup fails", async () => {
      const f = await sendFeedback(PERSON, "Nắp hố ga trước nhà số 7 hẻm Bí Mật bị mất.");
      const q = await ask(
        { name: PERSON.name, email: PERSON.email, phone: PERSON.phone },
        "Cấp lại bản sao giấy khai sinh ở đâu?",
      );
      await publishFeedback(f.id, FEEDBACK_ANSWER);
      await publishQuestion(q.id, QUESTION_ANSWER);
      assert.equal((await lookup(f.code, PERSON.phone)).status, 200, "the sender can follow it before");
      const feedbackPublicId = (
        await w.db.kysely
          .selectFrom("feedback_items")
          .select("public_id")
          .where("id", "=", f.id)
          .executeTakeFirstOrThrow()
      ).public_id;
      const publicFeedbackBefore = await app.request(`/gop-y/da-tra-loi/${feedbackPublicId}`);
      const publicFeedbackHadAnswer = (await publicFeedbackBefore.text()).includes(FEEDBACK_ANSWER);
      const stepsBefore = (
        await w.db.kysely.selectFrom("feedback_steps").select("to_status").where("item_id", "=", f.id).execute()
      ).length;
      const fields: [string, string][] = [
        ["item", `feedback:${f.id}`],
        ["item", `question:${q.id}`],
      ];
      const erase = (b: Browser, extra: [string, string][], csrf = true) =>
        multi(b, "/quan-tri/du-lieu-ca-nhan/xoa", [...fields, ...extra, ["q", PHONE]], csrf);
      const full: [string, string][] = [
        ["reason", "Theo đơn yêu cầu của người gửi nhận ngày 02/03/2026"],
        ["confirm", "yes"],
      ];

      // The page warns before anything is erased.
      const found = await (await search(admin, PHONE)).text();
      assert.match(found, /không tra cứu được tình trạng bằng mã và số điện thoại nữa/);

      assert.equal((await erase(coordinator, full)).status, 403, "only an administrator");
      assert.equal((await erase(leader, full)).status, 403);
      assert.equal((await erase(admin, full, false)).status, 403, "no CSRF token");
      const noConfirm = await erase(admin, [["reason", "Theo yêu cầu"]]);
      assert.equal(noConfirm.status, 400);
      assert.match(await noConfirm.text(), /Đánh dấu ô xác nhận/);
      const noReason = await erase(admin, [["confirm", "yes"]]);
      assert.equal(noReason.status, 400);
      assert.match(await noReason.text(), /Nhập lý do xoá/);
      assert.equal((await sender(f.id)).name, PERSON.name, "refused requests erase nothing");
      assert.equal((await auditOf("personal_data.erase")).length, 0);

      const done = await erase(admin, full);
      assert.equal(done.status, 303);
      assert.equal(done.headers.get("location"), "/quan-tri/du-lieu-ca-nhan?da-xoa=2");

      const s = await sender(f.id);
      assert.deepEqual(
        { name: s.name, address: s.address, phone: s.phone, email: s.email },
        { name: "", address: "", phone: "", email: null },
      );
      assert.equal(s.erased_at, w.now().toISOString());
      assert.match(s.erased_reason ?? "", /Theo đơn yêu cầu/);
      assert.equal(s.consent_text, FEEDBACK_CONSENT, "the record of consent stays");
      const a = await asker(q.id);
      assert.deepEqual({ name: a.name, email: a.email, phone: a.phone }, { name: "", email: null, phone: null });
      assert.ok(a.erased_at, "the asker is marked erased");

      const item = await w.db.kysely
        .selectFrom("feedback_items")
        .select(["status", "answer_final", "content"])
        .where("id", "=", f.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(item, {
        status: "published",
        answer_final: FEEDBACK_ANSWER,
        // The item stays; the sender's own address inside their text is masked with the rest of their data.
        content: "Nắp hố ga trước nhà [địa chỉ] bị mất.",
      });
      assert.equal(
        (await w.db.kysely.selectFrom("feedback_steps").select("to_status").where("item_id", "=", f.id).execute())
          .length,
        stepsBefore,
        "the workflow history stays",
      );

      // The published answers stay public.
      const pubIds = {
        question: (
          await w.db.kysely.selectFrom("questions").select("public_id").where("id", "=", q.id).executeTakeFirstOrThrow()
        ).public_id,
        feedback: (
          await w.db.kysely
            .selectFrom("feedback_items")
            .select("public_id")
            .where("id", "=", f.id)
            .executeTakeFirstOrThrow()
        ).public_id,
      };
      const entry = await app.request(`/hoi-dap/${pubIds.question}`);
      assert.equal(entry.status, 200);
      assert.ok((await entry.text()).includes(QUESTION_ANSWER), "the public FAQ entry keeps its answer");
      const api = (await (await app.request("/api/v1/questions")).json()) as {
        items: { id: string; answer: string }[];
      };
      assert.equal(api.items.find((i) => i.id === pubIds.question)?.answer, QUESTION_ANSWER);
      const publicFeedbackAfter = await app.request(`/gop-y/da-tra-loi/${pubIds.feedback}`);
      assert.equal(publicFeedbackAfter.status, publicFeedbackBefore.status);
      assert.equal((await publicFeedbackAfter.text()).includes(FEEDBACK_ANSWER), publicFeedbackHadAnswer);

      // The sender can no longer look it up with code and phone, on the page or through the API.
      assert.equal((await lookup(f.code, PERSON.phone)).status, 404);
      const apiLookup = await app.request("/api/v1/feedback/lookup", {
        method: "POST",
        body: JSON.stringify({ code: f.code, phone: PERSON.phone }),
        headers: { "content-type": "application/json", "x-test-ip": `10.3.1.${++ipSeq}` },
      });
      assert.equal(apiLookup.status, 404);

      // Staff pages say the data was erased, and show none of it.
      for (const p of [`/quan-tri/phan-anh/${f.id}`, `/quan-tri/hoi-dap/${q.id}`]) {
        const html = await (await coordinator.get(p)).text();
        assert.match(html, /Đã xoá theo yêu cầu/, p);
        assert.ok(!html.includes(PERSON.name) && !html.includes(PERSON.email), p);
      }
      assert.ok(!(await (await search(admin, PHONE)).text()).includes(f.code), "the phone no longer finds it");
      const byCode = await (await search(admin, f.code)).text();
      assert.match(byCode, /Đã xoá theo yêu cầu/);

      // Audited per item, with the reason, never with the values.
      const audits = await auditOf("personal_data.erase");
      assert.deepEqual(
        audits.map((r) => `${r.entity}:${r.entity_id}`).sort(),
        [`feedback:${f.id}`, `question:${q.id}`].sort(),
      );
      for (const r of audits) {
        assert.equal(r.actor, "quantri");
        assert.equal(r.ward_id, w.wardId);
        assert.match(JSON.parse(r.after_json ?? "{}").reason, /Theo đơn yêu cầu/);
      }
      const everything = JSON.stringify(await w.db.kysely.selectFrom("audit_log").selectAll().execute());
      for (const secret of [PERSON.name, PHONE, PERSON.email, PERSON.address])
        assert.ok(!everything.includes(secret), secret);

      // Erasing again changes nothing and writes no second record.
      assert.equal((await erase(admin, full)).status, 303);
      assert.equal((await auditOf("personal_data.erase")).length, 2);
    });

    test("another ward's administrator neither finds, exports nor erases this ward's data", async () => {
      const mine = await sendFeedback(PERSON, "Hố sâu giữa đường hẻm Bí Mật chưa được lấp.");
      // The same person writes to Phường Trà Câu too: that ward's item is that ward's.
      const token = /name="_form" value="([^"]+)"/.exec(await (await app.request("/w/21451/gop-y")).text())?.[1];
      assert.ok(token, "the other ward's form carries a token");
      const sent = await publicPost("/w/21451/gop-y", {
        _form: token,
        content: "Đèn tín hiệu ở ngã tư Trà Câu không hoạt động.",
        consent: "yes",
        ...PERSON,
      });
      const theirs = PA.exec(await sent.text())?.[0];
      assert.ok(theirs, `filed in Trà Câu (${sent.status})`);
      const traCau = await adminUnitInForce(w.db.kysely, "21451", vnToday(w.now()));
      assert.ok(traCau, "Phường Trà Câu exists");
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "qttracau",
          displayName: "Quản trị Trà Câu",
          password: pw("qttracau"),
          role: "admin",
          wardId: traCau.id,
        },
        w.now(),
      );
      assert.ok(made.ok, "the other ward's administrator is created");
      const otherAdmin = await logIn(app, "qttracau", pw("qttracau"));

      const theirPage = await (await search(otherAdmin, PHONE)).text();
      assert.ok(theirPage.includes(theirs), "their own ward's item is found");
      assert.ok(!theirPage.includes(mine.code), "this ward's item is not");
      assert.ok(!(await (await search(admin, PHONE)).text()).includes(theirs), "and the other way round");

      const ref: [string, string][] = [["item", `feedback:${mine.id}`]];
      assert.equal((await multi(otherAdmin, "/quan-tri/du-lieu-ca-nhan/xuat", ref)).status, 404);
      const erase = await multi(otherAdmin, "/quan-tri/du-lieu-ca-nhan/xoa", [
        ...ref,
        ["reason", "Theo yêu cầu"],
        ["confirm", "yes"],
      ]);
      assert.equal(erase.status, 404);
      assert.equal((await sender(mine.id)).name, PERSON.name, "nothing erased");
    });

    test("retention: only items closed longer ago than the period are erased; a dry run changes nothing", async () => {
      const start = w.now();
      try {
        const oldPublished = await sendFeedback(OTHER, "Vỉa hè tổ 9 bị lấn chiếm làm nơi bán hàng.");
        await publishFeedback(oldPublished.id, "Phường đã nhắc nhở các hộ kinh doanh.");
        const oldRejected = await sendFeedback(OTHER, "Nội dung chưa rõ ràng về việc ở tổ 9.");
        await rejectFeedback(oldRejected.id);
        const oldQuestion = await ask({ name: OTHER.name, phone: OTHER.phone }, "Đăng ký kết hôn cần giấy tờ gì?");
        await publishQuestion(oldQuestion.id, "Bạn mang căn cước của hai người đến bộ phận một cửa.");
        const oldOpen = await sendFeedback(OTHER, "Cống thoát nước tổ 9 bị tắc, chưa được xử lý.");
        await step(coordinator, `/quan-tri/phan-anh/${oldOpen.id}/vao-so`);

        // 20 days later, one more item closes.
        w.setNow(new Date(start.getTime() + 20 * DAY));
        await logInAll();
        const recent = await sendFeedback(OTHER, "Bảng tin tổ 9 bị rách, cần thay mới.");
        await rejectFeedback(recent.id);
        const erasedBefore = (await auditOf("personal_data.erase")).length;

        // On day 40, a 30-day period has run out for the first three only.
        const now = new Date(start.getTime() + 40 * DAY);
        const dry = await purgeExpiredPersonalData(w.db.kysely, {
          retentionDays: 30,
          now,
          dryRun: true,
          files: w.files,
        });
        assert.deepEqual(
          dry.due.map((d) => d.code).sort(),
          [oldPublished.code, oldRejected.code, oldQuestion.code].sort(),
        );
        assert.equal(dry.erased, 0);
        assert.equal((await sender(oldPublished.id)).name, OTHER.name, "a dry run erases nothing");
        assert.equal((await auditOf("personal_data.erase")).length, erasedBefore);

        const none = await purgeExpiredPersonalData(w.db.kysely, { retentionDays: 0, now, files: w.files });
        assert.equal(none.due.length + none.erased, 0, "0 keeps everything");

        const run = await purgeExpiredPersonalData(w.db.kysely, { retentionDays: 30, now, files: w.files });
        assert.equal(run.erased, 3);
        for (const id of [oldPublished.id, oldRejected.id]) {
          const s = await sender(id);
          assert.equal(s.name, "");
          assert.equal(s.erased_reason, "hết thời hạn lưu trữ");
        }
        assert.equal((await asker(oldQuestion.id)).name, "");
        assert.equal((await sender(oldOpen.id)).name, OTHER.name, "an open item keeps its data");
        assert.equal((await sender(recent.id)).name, OTHER.name, "closed 20 days ago: not yet");
        const audits = (await auditOf("personal_data.erase")).slice(erasedBefore);
        assert.equal(audits.length, 3);
        for (const r of audits) {
          assert.equal(r.actor, "system");
          assert.equal(r.user_id, null);
          assert.equal(r.ward_id, w.wardId);
        }
        const html = await (await coordinator.get(`/quan-tri/phan-anh/${oldPublished.id}`)).text();
        assert.match(html, /Đã xoá do hết thời hạn lưu trữ/);

        const again = await purgeExpiredPersonalData(w.db.kysely, { retentionDays: 30, now, files: w.files });
        assert.equal(again.due.length + again.erased, 0, "nothing is erased twice");
      } finally {
        w.setNow(start);
        await logInAll();
      }
    });

    test("retention from the command line: --dry-run reports, the command erases what is due", async () => {
      // The command runs on the real clock: an item closed at the fixed test time is months old, one closed now is not.
      const old = await sendFeedback(OTHER, "Biển báo tổ 9 bị đổ sau mưa lớn.");
      await rejectFeedback(old.id);
      const start = w.now();
      w.setNow(new Date());
      let fresh: { code: string; id: number };
      try {
        await logInAll();
        fresh = await sendFeedback(OTHER, "Đường tổ 9 đọng nước sau mưa lớn.");
        await rejectFeedback(fresh.id);
      } finally {
        w.setNow(start);
        await logInAll();
      }
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "purge-personal-data", ...args], {
          cwd: ROOT,
          encoding: "utf8",
          env: {
            ...process.env,
            ...w.env,
            CCHC_SHARED_DIR: SHARED_DIR,
            LOG_LEVEL: "silent",
            PERSONAL_DATA_RETENTION_DAYS: "7",
          },
          timeout: 60_000,
        });
      const dry = cli("--dry-run");
      assert.equal(dry.status, 0, dry.stderr);
      const dryOut = JSON.parse(dry.stdout.trim().split("\n").at(-1) ?? "{}");
      assert.equal(dryOut.dryRun, true);
      assert.ok(dryOut.due.includes(old.code), `old item due: ${dry.stdout}`);
      assert.ok(!dryOut.due.includes(fresh.code), `recent item not due: ${dry.stdout}`);
      assert.equal((await sender(old.id)).name, OTHER.name, "dry run: nothing erased");

      const real = cli();
      assert.equal(real.status, 0, real.stderr);
      assert.match(real.stdout, /Đã xoá dữ liệu cá nhân của \d+ mục/);
      assert.equal((await sender(old.id)).erased_reason, "hết thời hạn lưu trữ");
      assert.equal((await sender(fresh.id)).name, OTHER.name);
    });

    test("erasure masks the person's own data inside the text they wrote", async () => {
      const content = `Tôi là ${PERSON.name}, ở ${PERSON.address}, điện thoại 0935.111.222. Nắp cống trước ngõ bị vỡ từ ngày 01/03/2026.`;
      const f = await sendFeedback(PERSON, content);
      const q = await ask(
        { name: PERSON.name, phone: PERSON.phone },
        `Tôi là ${PERSON.name.toUpperCase()}, xin hỏi cấp lại giấy khai sinh ở đâu? Gọi tôi số +84 935 111 222.`,
      );
      const res = await multi(admin, "/quan-tri/du-lieu-ca-nhan/xoa", [
        ["item", `feedback:${f.id}`],
        ["item", `question:${q.id}`],
        ["reason", "Theo đơn yêu cầu của người gửi"],
        ["confirm", "yes"],
      ]);
      assert.equal(res.status, 303);
      const item = await w.db.kysely
        .selectFrom("feedback_items")
        .select("content")
        .where("id", "=", f.id)
        .executeTakeFirstOrThrow();
      const question = await w.db.kysely
        .selectFrom("questions")
        .select("question")
        .where("id", "=", q.id)
        .executeTakeFirstOrThrow();
      for (const text of [item.content, question.question]) {
        assert.ok(!/riêng tư/i.test(text), `the name is gone: ${text}`);
        assert.ok(!/935[ .]?111[ .]?222/.test(text), `the phone is gone: ${text}`);
      }
      assert.ok(!item.content.includes("hẻm Bí Mật"), "the address is gone");
      assert.ok(item.content.includes("Nắp cống trước ngõ bị vỡ từ ngày 01/03/2026."), "the rest of the text stays");
      assert.ok(question.question.includes("cấp lại giấy khai sinh"), "the question stays");
    });

    test("consent texts: edited by the administrator, shown and recorded with the next submission", async () => {
      const page = await admin.get("/quan-tri/du-lieu-ca-nhan/dong-y");
      assert.equal(page.status, 200);
      assert.ok((await page.text()).includes(FEEDBACK_CONSENT), "the built-in text is shown");
      assert.equal((await coordinator.get("/quan-tri/du-lieu-ca-nhan/dong-y")).status, 403);
      const earlier = await sendFeedback(PERSON, "Cột điện nghiêng ở đầu hẻm Bí Mật.");

      const NEW_FEEDBACK =
        "Tôi đồng ý để UBND phường dùng họ tên, địa chỉ, số điện thoại (Luật 91/2025/QH15) để xử lý phản ánh này.";
      const NEW_QUESTION = "Tôi đồng ý để UBND phường dùng thông tin liên hệ của tôi để trả lời câu hỏi này.";
      const short = await admin.post("/quan-tri/du-lieu-ca-nhan/dong-y", {
        feedback: "Đồng ý.",
        question: NEW_QUESTION,
      });
      assert.equal(short.status, 400);
      const shortHtml = await short.text();
      assert.match(shortHtml, /cần ít nhất 20 ký tự/);
      assert.ok(shortHtml.includes(NEW_QUESTION), "what was typed is kept");
      assert.equal((await auditOf("consent_text.update")).length, 0);
      assert.equal(
        (await coordinator.post("/quan-tri/du-lieu-ca-nhan/dong-y", { feedback: NEW_FEEDBACK, question: NEW_QUESTION }))
          .status,
        403,
      );

      const saved = await admin.post("/quan-tri/du-lieu-ca-nhan/dong-y", {
        feedback: NEW_FEEDBACK.normalize("NFD"),
        question: NEW_QUESTION,
      });
      assert.equal(saved.status, 303);
      const audits = await auditOf("consent_text.update");
      assert.equal(audits.length, 2);
      const fAudit = audits.find((r) => r.entity_id?.startsWith("consent_text.feedback"));
      assert.deepEqual(JSON.parse(fAudit?.before_json ?? "{}"), { text: FEEDBACK_CONSENT });
      assert.deepEqual(JSON.parse(fAudit?.after_json ?? "{}"), { text: NEW_FEEDBACK }, "stored NFC");

      assert.ok(
        (await (await app.request("/gop-y")).text()).includes(NEW_FEEDBACK),
        "the feedback form shows the new text",
      );
      assert.ok((await (await app.request("/hoi-dap/hoi")).text()).includes(NEW_QUESTION), "the question form too");
      assert.ok(
        (await (await admin.get("/quan-tri/phan-anh/moi")).text()).includes(NEW_FEEDBACK),
        "and the staff's desk entry form",
      );
      const next = await sendFeedback(PERSON, "Cột điện thứ hai nghiêng ở hẻm Bí Mật.");
      assert.equal((await sender(next.id)).consent_text, NEW_FEEDBACK);
      assert.equal((await sender(earlier.id)).consent_text, FEEDBACK_CONSENT, "earlier submissions keep theirs");
      const nq = await ask({ name: PERSON.name, phone: PERSON.phone }, "Xin hỏi giờ làm việc của bộ phận một cửa?");
      assert.equal((await asker(nq.id)).consent_text, NEW_QUESTION);

      // Saving the same texts again records nothing new.
      await admin.post("/quan-tri/du-lieu-ca-nhan/dong-y", { feedback: NEW_FEEDBACK, question: NEW_QUESTION });
      assert.equal((await auditOf("consent_text.update")).length, 2);
    });
  });
}
