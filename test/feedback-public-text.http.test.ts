/**
 * Nothing personal is published by accident, over HTTP on every database: a citizen writes their name, phone and
 * CCCD into the text of a feedback item or a question; the publish step offers the text with them masked, refuses
 * an empty text or one still holding the sender's own data, and publishes the reviewed text — an edited one as
 * edited. The public list, the answer page, the site search, the FAQ and the API show only that text; the staff
 * page keeps the original. Items published before migration 014 get the redacted text and search document too.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import type { createApp } from "../src/app.tsx";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { MASKS } from "../src/core/text/redact.ts";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const PA = /PA-20\d\d-[0-9A-Z]{5,6}/;
const HD = /HD-20\d\d-[0-9A-Z]{6}/;
const sender = {
  name: "Nguyễn Văn Phúc",
  address: "Số 8 đường Phạm Văn Đồng, tổ 3",
  phone: "0905 123 457",
  consent: "yes",
};
const CONTENT =
  "Tôi là nguyễn văn phúc, SĐT 0905.123.457, CCCD 051090001234, ở số 8 đường Phạm Văn Đồng. " +
  "Cống thoát nước ở ngõ 5 khu phố Phổ Văn bị tắc từ ngày 12/03/2026, đề nghị phường nạo vét theo Kế hoạch 18/KH-UBND.";
/** Every spelling of the sender's data in CONTENT, and as given. */
const PERSONAL = [
  "Nguyễn Văn Phúc",
  "nguyễn văn phúc",
  "0905.123.457",
  "0905 123 457",
  "0905123457",
  "051090001234",
  "số 8 đường Phạm Văn Đồng",
];
const ANSWER = "Phường đã giao Tổ dân phố phối hợp nạo vét cống ngõ 5 trong tuần này.";
const EDITED = "Cống thoát nước ở ngõ 5 khu phố Phổ Văn bị tắc (nội dung đã biên tập), đề nghị phường nạo vét.";
const QUESTION =
  "Tôi tên là Trần Thị Hạnh, số điện thoại +84 912 345 679. Tôi làm mất giấy khai sinh bản chính thì xin bản sao ở đâu?";

/** A textarea's content as the browser would send it back (the page escapes it). */
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

const noPersonalData = (text: string, where: string) => {
  for (const p of PERSONAL) assert.ok(!text.includes(p), `${where} must not show «${p}»`);
};

for (const target of testDatabases()) {
  describe(`published text without personal data (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let coordinator: Browser;
    let leader: Browser;
    let ipSeq = 0;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(app, "lanhdao", pw("lanhdao"));
    });
    after(async () => w.cleanup());

    const publicPost = (p: string, form: Record<string, string>) =>
      app.request(p, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.4.0.${++ipSeq}` },
      });
    const publicIdOf = async (id: number) => {
      const r = await w.db.kysely
        .selectFrom("feedback_items")
        .select("public_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.ok(r.public_id, "a published item has a public id");
      return r.public_id;
    };
    const redirected = async (res: Response, what: string) =>
      assert.equal(
        res.status,
        303,
        `${what}: ${res.status} ${res.status === 303 ? "" : (await res.text()).slice(0, 300)}`,
      );

    /** A citizen files CONTENT; staff take it to "decided". Its code and staff path. */
    async function decidedItem() {
      const form = await (await app.request("/gop-y")).text();
      const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] as string;
      const code = PA.exec(
        await (await publicPost("/gop-y", { _form: token, ...sender, content: CONTENT })).text(),
      )?.[0];
      assert.ok(code, "a tracking code on the receipt");
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const p = `/quan-tri/phan-anh/${id}`;
      await redirected(await coordinator.post(`${p}/vao-so`, {}), "register");
      await redirected(await coordinator.post(`${p}/phan-loai`, { classification: "in_scope" }), "classify");
      await redirected(await coordinator.post(`${p}/giao`, { unitId: String(w.unitIds.get("justice")) }), "assign");
      await redirected(await coordinator.post(`${p}/du-thao`, { answer: ANSWER }), "draft");
      await redirected(await leader.post(`${p}/duyet`, {}), "approve");
      return { code, id, path: p };
    }

    test("the publish form offers the text masked; empty or still personal is refused; what is published is public everywhere", async () => {
      const { code, id, path: p } = await decidedItem();
      const page = await (await coordinator.get(p)).text();
      const offered = textareaValue(page, "cb-publicContent");
      noPersonalData(offered, "the offered public text");
      for (const mask of [MASKS.name, MASKS.phone, MASKS.id, MASKS.address])
        assert.ok(offered.includes(mask), `the offered text has ${mask}`);
      assert.ok(
        offered.includes("Cống thoát nước ở ngõ 5") && offered.includes("12/03/2026") && offered.includes("18/KH-UBND"),
        "the substance is kept",
      );
      assert.match(page, /Nội dung phản ánh công khai/);
      assert.match(page, /tự động che \([^)]*số điện thoại/);

      const empty = await coordinator.post(`${p}/cong-bo`, { publicContent: "  " });
      assert.equal(empty.status, 400);
      assert.match(await empty.text(), /href="#cb-publicContent">Nhập nội dung công khai/);
      const leaky = await coordinator.post(`${p}/cong-bo`, { publicContent: `${offered} Gọi 0905123457.` });
      assert.equal(leaky.status, 400);
      const leakyPage = await leaky.text();
      assert.match(leakyPage, /Nội dung phản ánh công khai còn số điện thoại \(“0905123457”\)/);
      assert.ok(leakyPage.includes("Gọi 0905123457."), "the form keeps what was typed");
      const named = await coordinator.post(`${p}/cong-bo`, { publicContent: `${offered} (NGUYEN VAN PHUC)` });
      assert.equal(named.status, 400, "the sender's name, folded, is found too");
      assert.match(await named.text(), /còn họ tên \(“NGUYEN VAN PHUC”\)/);
      const still = await w.db.kysely
        .selectFrom("feedback_items")
        .select(["status", "public_content"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(still, { status: "decided", public_content: null }, "nothing published by a refused step");

      await redirected(await coordinator.post(`${p}/cong-bo`, { publicContent: offered }), "publish");
      const pub = await publicIdOf(id);

      const list = await (await app.request("/gop-y/da-tra-loi")).text();
      assert.ok(
        list.includes(pub) && list.includes("Cống thoát nước ở ngõ 5") && list.includes(ANSWER),
        "the list shows the public text and the answer, linked by public id",
      );
      assert.ok(!list.includes(code), "never the tracking code");
      noPersonalData(list, "the public list");
      const one = await (await app.request(`/gop-y/da-tra-loi/${pub}`)).text();
      assert.ok(one.includes(MASKS.phone) && one.includes(ANSWER), "the answer's page shows the masked text");
      noPersonalData(one, "the answer's page");
      const search = await (await app.request("/tim-kiem?q=cong+thoat+nuoc+ngo+5")).text();
      assert.ok(search.includes(`/gop-y/da-tra-loi/${pub}`), "the site search finds it");
      noPersonalData(search, "the site search");
      // The name's words are common ("văn" is in "Phổ Văn"), so fuzzy search may still list the item: without the name.
      noPersonalData(await (await app.request("/gop-y/da-tra-loi?q=nguyen+van+phuc")).text(), "a search by name");
      for (const q of ["0905123457", "051090001234"]) {
        const none = await (await app.request(`/gop-y/da-tra-loi?q=${q}`)).text();
        assert.ok(!none.includes(pub), `searching «${q}» does not find the item`);
        const site = await (await app.request(`/tim-kiem?q=${q}`)).text();
        assert.ok(!site.includes(`/gop-y/da-tra-loi/${pub}`), `the site search for «${q}» does not find it`);
      }
      const doc = await w.db.kysely
        .selectFrom("search_docs")
        .select(["title", "body", "keywords"])
        .where("doc_key", "=", `feedback:${id}`)
        .executeTakeFirstOrThrow();
      noPersonalData(JSON.stringify(doc), "the search document");
      const api = await (await app.request("/api/v1/feedback?published=1")).text();
      noPersonalData(api, "the API");
      const item = (JSON.parse(api) as { items: { id: string; content: string }[] }).items.find((i) => i.id === pub);
      assert.equal(item?.content, offered, "the API gives the reviewed text");

      const staff = await (await coordinator.get(p)).text();
      assert.ok(staff.includes("0905.123.457") && staff.includes("051090001234"), "staff still read the original");
      assert.ok(staff.includes(MASKS.phone), "and the public text beside it");
      const row = await w.db.kysely
        .selectFrom("feedback_items")
        .select(["content", "public_content"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(row.content, CONTENT, "the original is kept as the citizen wrote it");
      assert.equal(row.public_content, offered);
    });

    test("an edited public text is what is published", async () => {
      const { id, path: p } = await decidedItem();
      await redirected(await coordinator.post(`${p}/cong-bo`, { publicContent: EDITED }), "publish");
      const pub = await publicIdOf(id);
      const one = await (await app.request(`/gop-y/da-tra-loi/${pub}`)).text();
      assert.ok(one.includes(EDITED), "the edited text is published");
      assert.ok(!one.includes(MASKS.phone) && !one.includes("18/KH-UBND"), "nothing of the automatic text");
      const api = (await (await app.request("/api/v1/feedback?published=1&q=bien+tap")).json()) as {
        items: { id: string; content: string }[];
      };
      assert.deepEqual(
        api.items.map((i) => [i.id, i.content]),
        [[pub, EDITED]],
      );
    });

    test("a question's FAQ entry shows the reviewed question: not the asker's name or phone", async () => {
      const token = /name="_form" value="([^"]+)"/.exec(
        await (await app.request("/hoi-dap/hoi")).text(),
      )?.[1] as string;
      const sent = await publicPost("/hoi-dap/hoi", {
        _form: token,
        question: QUESTION,
        name: "Trần Thị Hạnh",
        phone: "0912345679",
        consent: "yes",
      });
      const code = HD.exec(await sent.text())?.[0];
      assert.ok(code, "a tracking code on the receipt");
      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const p = `/quan-tri/hoi-dap/${id}`;
      await redirected(
        await coordinator.post(`${p}/chuyen-don-vi`, { unitId: String(w.unitIds.get("justice")) }),
        "route",
      );
      await redirected(
        await coordinator.post(`${p}/du-thao`, { answer: "Bạn đến bộ phận một cửa xin trích lục." }),
        "draft",
      );
      await redirected(await leader.post(`${p}/duyet`, {}), "approve");
      const offered = textareaValue(await (await coordinator.get(p)).text(), "cb-publicQuestion");
      assert.equal(
        offered,
        `Tôi tên là ${MASKS.name}, số điện thoại ${MASKS.phone}. Tôi làm mất giấy khai sinh bản chính thì xin bản sao ở đâu?`,
      );
      const empty = await coordinator.post(`${p}/cong-bo`, { publicQuestion: "" });
      assert.equal(empty.status, 400);
      assert.match(await empty.text(), /Nhập câu hỏi công khai/);
      const leaky = await coordinator.post(`${p}/cong-bo`, { publicQuestion: `${offered} Trần Thị Hạnh` });
      assert.equal(leaky.status, 400);
      assert.match(await leaky.text(), /Câu hỏi công khai còn họ tên \(“Trần Thị Hạnh”\)/);
      await redirected(await coordinator.post(`${p}/cong-bo`, { publicQuestion: offered }), "publish");
      const { public_id: pub } = await w.db.kysely
        .selectFrom("questions")
        .select("public_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();

      const secrets = ["Trần Thị Hạnh", "912 345 679", "0912345679"];
      const pages = [
        await (await app.request(`/hoi-dap/${pub}`)).text(),
        await (await app.request("/hoi-dap")).text(),
        await (await app.request("/api/v1/questions")).text(),
        await (await app.request("/tim-kiem?q=mat+giay+khai+sinh+ban+chinh")).text(),
      ];
      assert.ok(pages[0]?.includes("xin bản sao ở đâu?") && pages[0].includes(MASKS.name), "the entry, masked");
      assert.ok(pages[3]?.includes(`/hoi-dap/${pub}`), "the site search finds the entry");
      for (const [i, html] of pages.entries())
        for (const s of secrets) assert.ok(!html.includes(s), `public page ${i} must not show «${s}»`);
      const staff = await (await coordinator.get(p)).text();
      assert.ok(staff.includes(QUESTION), "staff still read the question as asked");
    });
  });

  describe(`migration 014 on items published before it (${target.name})`, () => {
    test("their public text is the redacted content, and their search documents are rewritten", async () => {
      const { db, cleanup } = await target.open();
      try {
        // Migrate up to 013 with the same names the app uses, then file and publish as the old code did.
        const dir = path.resolve("src/core/db/migrations");
        const migrations: Record<string, Migration> = {};
        for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ts") && n < "20261127-014"))
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
        const r = await migrator.migrateTo("20261127-013-ledger-sources");
        assert.ifError(r.error);
        const k = db.kysely as unknown as Kysely<unknown>;
        await sql`insert into admin_units (code, name, short_name, type, level, valid_from, name_key) values ('99999', 'Phường Thử', 'Thử', 'Phường', 'commune', '2025-07-01', 'thu')`.execute(
          k,
        );
        const { rows } = await sql<{ id: number }>`select id from admin_units where code = '99999'`.execute(k);
        const ward = rows[0]?.id;
        await sql`insert into feedback_items (ward_id, code, subject, content_type, content, status, channel, received_at, answer_final, published_at)
          values (${ward}, 'PA-2026-OLD01', 'regulation', 'other', ${CONTENT}, 'published', 'web', '2026-03-01T00:00:00Z', ${ANSWER}, '2026-03-02T00:00:00Z')`.execute(
          k,
        );
        await sql`insert into feedback_items (ward_id, code, subject, content_type, content, status, channel, received_at)
          values (${ward}, 'PA-2026-OPEN1', 'regulation', 'other', ${CONTENT}, 'received', 'web', '2026-03-01T00:00:00Z')`.execute(
          k,
        );
        for (const code of ["PA-2026-OLD01", "PA-2026-OPEN1"])
          await sql`insert into feedback_senders (feedback_id, name, address, phone, consent_at, consent_text)
            select id, ${sender.name}, ${sender.address}, '0905123457', '2026-03-01T00:00:00Z', 'đồng ý' from feedback_items where code = ${code}`.execute(
            k,
          );
        const { rows: ids } = await sql<{
          id: number;
        }>`select id from feedback_items where code = 'PA-2026-OLD01'`.execute(k);
        const oldId = ids[0]?.id;
        await sql`insert into search_docs (doc_key, kind, title, body, keywords, url, scope, deleted, seq)
          values (${`feedback:${oldId}`}, 'feedback', ${CONTENT.slice(0, 100)}, ${`${CONTENT}\n${ANSWER}`}, 'PA-2026-OLD01', '/gop-y/da-tra-loi/PA-2026-OLD01', ${`unit:${ward}`}, 0, 7)`.execute(
          k,
        );
        await sql`insert into questions (ward_id, code, question, status, received_at, answer_final, published_at)
          values (${ward}, 'HD-2026-OLD001', ${QUESTION}, 'published', '2026-03-01T00:00:00Z', 'Trả lời.', '2026-03-02T00:00:00Z')`.execute(
          k,
        );
        await sql`insert into question_askers (question_id, name, phone, consent_at, consent_text)
          select id, 'Trần Thị Hạnh', '0912345679', '2026-03-01T00:00:00Z', 'đồng ý' from questions where code = 'HD-2026-OLD001'`.execute(
          k,
        );

        await migrateToLatest(db);

        const items = await db.kysely
          .selectFrom("feedback_items")
          .select(["code", "public_content", "round"])
          .orderBy("code")
          .execute();
        const old = items.find((i) => i.code === "PA-2026-OLD01");
        assert.ok(old?.public_content?.includes("Cống thoát nước ở ngõ 5"), "the old item's public text");
        noPersonalData(old?.public_content ?? "", "the migrated public text");
        assert.equal(items.find((i) => i.code === "PA-2026-OPEN1")?.public_content, null, "not published: none yet");
        assert.deepEqual(
          items.map((i) => Number(i.round)),
          [0, 0],
        );
        const doc = await db.kysely
          .selectFrom("search_docs")
          .select(["title", "body", "seq"])
          .where("doc_key", "=", `feedback:${oldId}`)
          .executeTakeFirstOrThrow();
        noPersonalData(JSON.stringify(doc), "the rewritten search document");
        assert.ok(doc.body.includes(ANSWER), "the search document has the answer");
        assert.ok(Number(doc.seq) > 7, "a new seq, so search servers reload it");
        const q = await db.kysely
          .selectFrom("questions")
          .select("public_question")
          .where("code", "=", "HD-2026-OLD001")
          .executeTakeFirstOrThrow();
        assert.equal(
          q.public_question,
          `Tôi tên là ${MASKS.name}, số điện thoại ${MASKS.phone}. Tôi làm mất giấy khai sinh bản chính thì xin bản sao ở đâu?`,
        );
      } finally {
        await cleanup();
      }
    });
  });
}
