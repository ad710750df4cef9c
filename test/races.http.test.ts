/**
 * Races on the public forms, on every database: fifty identical submissions sent at once (a double click, a
 * retrying phone, a proxy replaying) file exactly one row — the database's unique keys decide, not a check in
 * code — while two citizens sending the same words file two items.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { createLogger } from "../src/core/log.ts";
import { createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const N = 50;
const PA = /PA-20\d\d-[0-9A-Z]{5,6}/;
const HD = /HD-20\d\d-[0-9A-Z]{5,6}/;
const citizen = {
  content: "Đề nghị bố trí thêm ghế chờ tại Bộ phận một cửa vào buổi sáng thứ Hai.",
  name: "Phạm Văn Lộc",
  address: "Tổ 4, phường Đức Phổ",
  phone: "0905 222 333",
  consent: "yes",
};

for (const target of testDatabases()) {
  describe(`fifty identical submissions at once file one row (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;

    before(async () => {
      w = await createWorld(target);
      // One client sends them all: the per-client limit is raised so that it is the unique keys that decide.
      const config = loadConfig({
        DATA_DIR: w.dataDir,
        LOG_LEVEL: "silent",
        CCHC_SHARED_DIR: SHARED_DIR,
        PUBLIC_FORM_RATE_LIMIT: "100000",
      });
      app = createApp(
        { db: w.db, config, clock: w.now, log: createLogger("silent") },
        { remoteAddress: () => "10.9.0.1" },
      );
      await w.createStaff("dieuphoi", "coordinator");
    });
    after(async () => w.cleanup());

    const count = async (table: "feedback_items" | "questions" | "survey_responses") =>
      Number(
        (
          await w.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const tokenOf = async (path: string) => {
      const token = /name="_form" value="([^"]+)"/.exec(await (await app.request(path)).text())?.[1];
      assert.ok(token, `${path} carries a one-time token`);
      return token;
    };
    const postForm = async (path: string, form: Record<string, string>): Promise<Response> =>
      app.request(path, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });

    test("the feedback form: one item, every answer shows its code", async () => {
      const before = await count("feedback_items");
      const token = await tokenOf("/gop-y");
      const pages = await Promise.all(
        Array.from({ length: N }, () => postForm("/gop-y", { _form: token, ...citizen }).then((r) => r.text())),
      );
      const codes = new Set(pages.map((p) => PA.exec(p)?.[0]));
      assert.equal(codes.size, 1, "the same code for all fifty");
      assert.ok([...codes][0], "a code");
      assert.equal(await count("feedback_items"), before + 1);

      // Two citizens (two forms) sending the same words are two items.
      const other = await postForm("/gop-y", { _form: await tokenOf("/gop-y"), ...citizen });
      assert.notEqual(PA.exec(await other.text())?.[0], [...codes][0]);
      assert.equal(await count("feedback_items"), before + 2);
    });

    test("the feedback API with one idempotency key: one 201, the rest 200 with the same code", async () => {
      const before = await count("feedback_items");
      const body = JSON.stringify({ ...citizen, consent: true, idempotencyKey: "may-ban-123-lan-gui-1" });
      const answers = await Promise.all(
        Array.from({ length: N }, async () => {
          const r = await app.request("/api/v1/feedback", {
            method: "POST",
            body,
            headers: { "content-type": "application/json" },
          });
          return { status: r.status, code: ((await r.json()) as { code: string }).code };
        }),
      );
      assert.equal(answers.filter((a) => a.status === 201).length, 1);
      assert.equal(answers.filter((a) => a.status === 200).length, N - 1);
      assert.equal(new Set(answers.map((a) => a.code)).size, 1);
      assert.equal(await count("feedback_items"), before + 1);
    });

    test("the question form: one question", async () => {
      const before = await count("questions");
      const token = await tokenOf("/hoi-dap/hoi");
      const form = {
        _form: token,
        question: "Tôi đăng ký thường trú cho con ở nhà thuê thì cần giấy tờ gì?",
        name: citizen.name,
        phone: citizen.phone,
        consent: "yes",
      };
      const pages = await Promise.all(
        Array.from({ length: N }, () => postForm("/hoi-dap/hoi", form).then((r) => r.text())),
      );
      assert.equal(new Set(pages.map((p) => HD.exec(p)?.[0])).size, 1);
      assert.equal(await count("questions"), before + 1);
    });

    test("the survey form: one response", async () => {
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const created = await staff.post("/quan-tri/khao-sat", {
        title: "Khảo sát lĩnh vực hộ tịch 2026",
        field: "Hộ tịch",
      });
      assert.equal(created.status, 303);
      const { id } = await w.db.kysely
        .selectFrom("surveys")
        .select("id")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      const page = await (await app.request(`/khao-sat/${id}`)).text();
      const token = /name="_form" value="([^"]+)"/.exec(page)?.[1] as string;
      const questions = [...new Set([...page.matchAll(/name="(q\d+)"/g)].map((m) => m[1] as string))];
      assert.ok(questions.length >= 5, "the survey asks its criteria");
      const form: Record<string, string> = { _form: token };
      for (const q of questions) form[q] = "5";
      const before = await count("survey_responses");
      const statuses = await Promise.all(
        Array.from({ length: N }, () => postForm(`/khao-sat/${id}`, form).then((r) => r.status)),
      );
      assert.ok(
        statuses.every((s) => s === 200),
        `every answer is a receipt: ${[...new Set(statuses)]}`,
      );
      assert.equal(await count("survey_responses"), before + 1);
    });
  });
}
