/**
 * Issue 8 A.1, over HTTP on every database: what staff write for the public passes the same redaction as the
 * citizen's text. A published answer naming a private person with her phone number ("Đã liên hệ bà … (…)") went out
 * unchanged; now the publish step (feedback and questions alike) offers every public text masked, refuses one that
 * still holds personal data of any kind — name after a title, phone, e-mail, ID number, street address — unless
 * staff keep that occurrence with a reason (audited), and public pages, search and API carry only the checked texts,
 * under a public id. Items are filed through the public form and through the API. Migration 015 re-checks answers
 * published before it and takes down what fails.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import type { createApp } from "../src/app.tsx";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

/** One answer per kind of personal data: the answer as the unit drafted it, and what must never be public. */
const LEAKS = [
  {
    kind: "name and phone",
    answer: "Đã liên hệ bà Nguyễn Thị Hoa (0905 123 456) để hướng dẫn.",
    secrets: ["Nguyễn Thị Hoa", "0905 123 456"],
  },
  {
    kind: "name without family name",
    answer: "Chị Lan Anh đã được hướng dẫn tại bộ phận một cửa.",
    secrets: ["Lan Anh"],
  },
  { kind: "e-mail", answer: "Kết quả đã gửi về hoa.tran@example.vn hôm qua.", secrets: ["hoa.tran@example.vn"] },
  { kind: "ID number", answer: "Hồ sơ mang CCCD 051090001234 đã được giải quyết.", secrets: ["051090001234"] },
  {
    kind: "street address",
    answer: "Tổ công tác đã đến số 12 đường Lê Lợi để kiểm tra.",
    secrets: ["12 đường Lê Lợi"],
  },
] as const;

const PA = /PA-20\d\d-[0-9A-Z]{6}/;
const HD = /HD-20\d\d-[0-9A-Z]{6}/;

function textareaValue(html: string, id: string): string {
  const m = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  assert.ok(m, `the page has the ${id} field`);
  return (m[1] as string)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

for (const target of testDatabases()) {
  describe(`everything published passes the redaction (${target.name})`, () => {
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

    const post = (p: string, form: Record<string, string>) =>
      app.request(p, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.8.0.${++ip}` },
      });
    const ok303 = async (res: Response, what: string) =>
      assert.equal(
        res.status,
        303,
        `${what}: ${res.status} ${res.status === 303 ? "" : (await res.text()).slice(0, 400)}`,
      );
    const tokenOf = async (p: string) =>
      /name="_form" value="([^"]+)"/.exec(await (await app.request(p)).text())?.[1] as string;

    /** A feedback item filed through the form or the API, taken to "decided" with `answer`. */
    async function decidedFeedback(via: "form" | "api", answer: string) {
      const sender = { name: "Phạm Văn Tư", address: "Tổ 4, phường Đức Phổ", phone: "0977 222 333" };
      const content = "Đèn đường ở tổ 4 hỏng đã lâu, đề nghị phường sửa.";
      let code: string | undefined;
      if (via === "form") {
        const sent = await post("/gop-y", { _form: await tokenOf("/gop-y"), ...sender, content, consent: "yes" });
        code = PA.exec(await sent.text())?.[0];
      } else {
        const sent = await app.request("/api/v1/feedback", {
          method: "POST",
          body: JSON.stringify({ ...sender, content, consent: true }),
          headers: { "content-type": "application/json", "x-test-ip": `10.8.1.${++ip}` },
        });
        code = ((await sent.json()) as { code?: string }).code;
      }
      assert.ok(code, `a tracking code (${via})`);
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const p = `/quan-tri/phan-anh/${id}`;
      await ok303(await coordinator.post(`${p}/vao-so`, {}), "register");
      await ok303(await coordinator.post(`${p}/phan-loai`, { classification: "in_scope" }), "classify");
      await ok303(await coordinator.post(`${p}/giao`, { unitId: String(w.unitIds.get("justice")) }), "assign");
      await ok303(await coordinator.post(`${p}/du-thao`, { answer }), "draft");
      await ok303(await leader.post(`${p}/duyet`, {}), "approve");
      return { id, code, path: p, field: "publicContent", table: "feedback_items" as const };
    }

    /** A question asked through the form, taken to "approved" with `answer`. */
    async function approvedQuestion(answer: string) {
      const sent = await post("/hoi-dap/hoi", {
        _form: await tokenOf("/hoi-dap/hoi"),
        question: "Xin hỏi làm lại giấy khai sinh bị mất ở đâu?",
        name: "Lê Thị Mận",
        phone: "0912 777 888",
        consent: "yes",
      });
      const code = HD.exec(await sent.text())?.[0];
      assert.ok(code, "a question code");
      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const p = `/quan-tri/hoi-dap/${id}`;
      await ok303(await coordinator.post(`${p}/chuyen-don-vi`, { unitId: String(w.unitIds.get("justice")) }), "route");
      await ok303(await coordinator.post(`${p}/du-thao`, { answer }), "draft");
      await ok303(await leader.post(`${p}/duyet`, {}), "approve");
      return { id, code, path: p, field: "publicQuestion", table: "questions" as const };
    }

    const publicPages = async (pub: string, kind: "feedback" | "question") => [
      await (await app.request(kind === "feedback" ? `/gop-y/da-tra-loi/${pub}` : `/hoi-dap/${pub}`)).text(),
      await (await app.request(kind === "feedback" ? "/gop-y/da-tra-loi" : "/hoi-dap")).text(),
      await (await app.request(kind === "feedback" ? "/api/v1/feedback?published=1" : "/api/v1/questions")).text(),
      JSON.stringify(await w.db.kysely.selectFrom("search_docs").selectAll().execute()),
    ];

    for (const leak of LEAKS)
      for (const [feature, via] of [
        ["feedback", "form"],
        ["feedback", "api"],
        ["question", "form"],
      ] as const)
        test(`${feature} (${via}): an answer with a ${leak.kind} is offered masked, refused as typed, published masked`, async () => {
          const item =
            feature === "feedback" ? await decidedFeedback(via, leak.answer) : await approvedQuestion(leak.answer);
          const page = await (await coordinator.get(item.path)).text();
          const offered = textareaValue(page, "cb-publicAnswer");
          for (const s of leak.secrets) assert.ok(!offered.includes(s), `the offered answer masks «${s}»`);
          assert.match(offered, /\[(họ tên|số điện thoại|thư điện tử|số giấy tờ tùy thân|địa chỉ)\]/, "with a mask");
          assert.match(page, /Những gì đã được che/, "the form says what it masked");
          const publicText = textareaValue(page, `cb-${item.field}`);

          const leaky = await coordinator.post(`${item.path}/cong-bo`, {
            [item.field]: publicText,
            publicAnswer: leak.answer,
          });
          assert.equal(leaky.status, 400, "the answer as typed is refused");
          const refused = await leaky.text();
          assert.match(refused, /Nội dung trả lời công khai còn/);
          assert.match(refused, /name="keep-0"/, "each occurrence may be kept, with a reason");
          const row = await w.db.kysely
            .selectFrom(item.table)
            .select(["status", "public_id"])
            .where("id", "=", item.id)
            .executeTakeFirstOrThrow();
          assert.equal(row.public_id, null, "nothing published by a refused step");

          // A client that sends no texts publishes their automatic redaction.
          await ok303(await coordinator.post(`${item.path}/cong-bo`, {}), "publish");
          const published = await w.db.kysely
            .selectFrom(item.table)
            .select(["public_id", "public_answer"])
            .where("id", "=", item.id)
            .executeTakeFirstOrThrow();
          assert.ok(published.public_id, "a public id");
          assert.equal(published.public_answer, offered, "the public answer is the masked one");
          for (const [i, html] of (await publicPages(published.public_id, feature)).entries()) {
            for (const s of leak.secrets) assert.ok(!html.includes(s), `public view ${i} must not show «${s}»`);
            if (i < 3) assert.ok(!html.includes(item.code), `public view ${i} never shows the tracking code`);
          }
        });

    test("a false alarm is kept with a reason: published as written, the reason in the audit log", async () => {
      const answer = "Phường đã lắp đèn tại số 12 đường Lê Lợi (nhà văn hóa tổ 4).";
      const item = await decidedFeedback("form", answer);
      const publicContent = textareaValue(await (await coordinator.get(item.path)).text(), "cb-publicContent");
      const noReason = await coordinator.post(`${item.path}/cong-bo`, {
        publicContent,
        publicAnswer: answer,
        "keep-0": "address:số 12 đường Lê Lợi",
      });
      assert.equal(noReason.status, 400, "keeping needs a reason");
      assert.match(await noReason.text(), /Ghi lý do giữ lại/);
      await ok303(
        await coordinator.post(`${item.path}/cong-bo`, {
          publicContent,
          publicAnswer: answer,
          "keep-0": "address:số 12 đường Lê Lợi",
          keepReason: "Địa chỉ nhà văn hóa của tổ dân phố, nơi công cộng.",
        }),
        "publish with a kept occurrence",
      );
      const row = await w.db.kysely
        .selectFrom("feedback_items")
        .select(["public_answer", "public_id"])
        .where("id", "=", item.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.public_answer, answer);
      const log = await w.db.kysely
        .selectFrom("audit_log")
        .select("after_json")
        .where("action", "=", "feedback.publish")
        .where("entity_id", "=", String(item.id))
        .executeTakeFirstOrThrow();
      const after = JSON.parse(log.after_json ?? "{}") as { kept?: unknown; keepReason?: string };
      assert.deepEqual(after.kept, [{ kind: "address", text: "số 12 đường Lê Lợi" }]);
      assert.match(after.keepReason ?? "", /nhà văn hóa/);
    });
  });

  describe(`migration 015 re-checks answers already published (${target.name})`, () => {
    test("a clean one keeps being published under a public id; one with personal data is taken down for review", async () => {
      const { db, cleanup } = await target.open();
      try {
        const dir = path.resolve("src/core/db/migrations");
        const migrations: Record<string, Migration> = {};
        for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ts") && n < "20261206-015"))
          migrations[f.replace(/\.ts$/, "")] = {
            up: async (k: Kysely<unknown>) =>
              (await import(path.join(dir, f))).up(k, { dialect: db.dialect }) as Promise<void>,
          };
        const schema =
          db.dialect === "postgres"
            ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
            : undefined;
        const migrator = new Migrator({
          db: db.kysely,
          provider: { getMigrations: async () => migrations },
          ...(schema ? { migrationTableSchema: schema } : {}),
        });
        assert.ifError((await migrator.migrateTo("20261127-014-public-text-and-rounds")).error);
        const k = db.kysely as unknown as Kysely<unknown>;
        await sql`insert into admin_units (code, name, short_name, type, level, valid_from, name_key) values ('99998', 'Phường Thử', 'Thử', 'Phường', 'commune', '2025-07-01', 'thu')`.execute(
          k,
        );
        const ward = (await sql<{ id: number }>`select id from admin_units where code = '99998'`.execute(k)).rows[0]
          ?.id;
        const items = [
          ["PA-2026-CLEAN1", "Phường đã sửa đèn đường tổ 4."],
          ["PA-2026-LEAKY1", "Đã liên hệ bà Nguyễn Thị Hoa (0905 123 456) để hướng dẫn."],
        ];
        for (const [code, answer] of items) {
          await sql`insert into feedback_items (ward_id, code, subject, content_type, content, public_content, status, channel, received_at, answer_final, published_at)
            values (${ward}, ${code}, 'regulation', 'other', 'Đèn đường hỏng.', 'Đèn đường hỏng.', 'published', 'web', '2026-03-01T00:00:00Z', ${answer}, '2026-03-02T00:00:00Z')`.execute(
            k,
          );
          const id = (await sql<{ id: number }>`select id from feedback_items where code = ${code}`.execute(k)).rows[0]
            ?.id;
          await sql`insert into search_docs (doc_key, kind, title, body, keywords, url, scope, deleted, seq)
            values (${`feedback:${id}`}, 'feedback', 'Đèn đường hỏng.', ${`Đèn đường hỏng.\n${answer}`}, ${code}, ${`/gop-y/da-tra-loi/${code}`}, ${`unit:${ward}`}, 0, 3)`.execute(
            k,
          );
        }
        await sql`insert into questions (ward_id, code, question, public_question, status, received_at, answer_final, published_at)
          values (${ward}, 'HD-2026-LEAKY1', 'Hỏi?', 'Hỏi?', 'published', '2026-03-01T00:00:00Z', 'Gọi anh Minh 0912345678.', '2026-03-02T00:00:00Z')`.execute(
          k,
        );

        await migrateToLatest(db);

        const rows = await db.kysely
          .selectFrom("feedback_items")
          .select(["id", "code", "status", "public_id", "public_answer", "round"])
          .orderBy("code")
          .execute();
        const clean = rows.find((r) => r.code === "PA-2026-CLEAN1");
        const leaky = rows.find((r) => r.code === "PA-2026-LEAKY1");
        assert.equal(clean?.status, "published", "the clean answer stays published");
        assert.ok(clean?.public_id && /^[a-z][a-z2-9]{9}$/.test(clean.public_id), "with a public id");
        assert.equal(clean?.public_answer, "Phường đã sửa đèn đường tổ 4.");
        assert.deepEqual(
          { status: leaky?.status, public_id: leaky?.public_id, round: Number(leaky?.round) },
          { status: "decided", public_id: null, round: 1 },
          "the leaky one goes back for review, in a new round",
        );
        const docs = await db.kysely
          .selectFrom("search_docs")
          .select(["doc_key", "url", "keywords", "deleted"])
          .execute();
        const cleanDoc = docs.find((d) => d.doc_key === `feedback:${clean?.id}`);
        assert.equal(cleanDoc?.url, `/gop-y/da-tra-loi/${clean?.public_id}`, "the search document has the new address");
        assert.ok(!cleanDoc?.keywords.includes("PA-2026"), "and no tracking code");
        assert.equal(
          Number(docs.find((d) => d.doc_key === `feedback:${leaky?.id}`)?.deleted),
          1,
          "the leaky one's is removed",
        );
        const q = await db.kysely
          .selectFrom("questions")
          .select(["status", "public_id"])
          .where("code", "=", "HD-2026-LEAKY1")
          .executeTakeFirstOrThrow();
        assert.deepEqual(q, { status: "approved", public_id: null }, "a question with a phone in its answer too");
        const step = await db.kysely
          .selectFrom("feedback_steps")
          .select(["to_status", "note", "actor"])
          .where("item_id", "=", leaky?.id as number)
          .executeTakeFirstOrThrow();
        assert.equal(step.to_status, "decided");
        assert.match(step.note ?? "", /Gỡ công bố.*số điện thoại/);
        const audits = await db.kysely
          .selectFrom("audit_log")
          .select("action")
          .where("action", "like", "%.unpublish")
          .execute();
        assert.equal(audits.length, 2, "each take-down is audited");
      } finally {
        await cleanup();
      }
    });
  });
}
