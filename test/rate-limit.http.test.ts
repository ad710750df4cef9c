/**
 * The public rate limit follows the configuration (PUBLIC_FORM_RATE_LIMIT, PUBLIC_FORM_RATE_WINDOW_S) on every
 * database: a limit above the default of 10 lets the 11th request through and stops the one past it, with a
 * Retry-After counted from the configured window; every public form takes the same setting. The default itself
 * (10 per 600 s) is proven in feedback.http.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { createLogger } from "../src/core/log.ts";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const LIMIT = 12;
const WINDOW_S = 120;

const citizen = {
  content: "Đèn đường ở tổ dân phố 4 bị hỏng đã hai tuần, đề nghị phường cho sửa.",
  name: "Trần Văn Bình",
  address: "Tổ 4, phường Đức Phổ",
  phone: "0987 654 321",
  consent: true,
};

for (const target of testDatabases()) {
  describe(`configured rate limit (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;

    before(async () => {
      w = await createWorld(target);
      const config = loadConfig({
        DATA_DIR: w.dataDir,
        LOG_LEVEL: "silent",
        CCHC_SHARED_DIR: SHARED_DIR,
        PUBLIC_FORM_RATE_LIMIT: String(LIMIT),
        PUBLIC_FORM_RATE_WINDOW_S: String(WINDOW_S),
      });
      app = createApp(
        { db: w.db, config, clock: w.now, log: createLogger("silent") },
        { remoteAddress: (c) => c.req.header("x-test-ip") },
      );
    });
    after(async () => w.cleanup());

    const api = (body: unknown, ip: string) =>
      app.request("/api/v1/feedback", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-test-ip": ip },
      });
    const form = (path: string, ip: string) =>
      app.request(path, {
        method: "POST",
        body: new URLSearchParams({}),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": ip },
      });

    test("the configured number of submissions passes, the next is refused until the configured window moves on", async () => {
      const ip = "10.1.0.1";
      const start = w.now();
      try {
        for (let i = 0; i < LIMIT; i++) {
          const res = await api({ ...citizen, content: `${citizen.content} (lần ${i + 1})` }, ip);
          assert.equal(res.status, 201, `submission ${i + 1} of ${LIMIT} is filed`);
        }
        const over = await api(citizen, ip);
        assert.equal(over.status, 429);
        // Every hit was at the same instant, so the wait is the whole configured window.
        assert.equal(over.headers.get("retry-after"), String(WINDOW_S));
        const body = (await over.json()) as { error: { id: string; message: string } };
        assert.equal(body.error.id, "rate_limited");
        assert.match(body.error.message, /Quá nhiều yêu cầu/);

        w.setNow(new Date(start.getTime() + 50_000));
        const later = await api(citizen, ip);
        assert.equal(later.status, 429, "still inside the window");
        assert.equal(later.headers.get("retry-after"), String(WINDOW_S - 50));

        w.setNow(new Date(start.getTime() + (WINDOW_S + 1) * 1000));
        assert.equal((await api(citizen, ip)).status, 201, "the window has moved on");
      } finally {
        w.setNow(start);
      }
    });

    test("the feedback form, the question form and the lookup take the same setting", async () => {
      for (const [path, ip] of [
        ["/gop-y", "10.1.0.2"],
        ["/hoi-dap/hoi", "10.1.0.3"],
        ["/gop-y/tra-cuu", "10.1.0.4"],
      ] as const) {
        for (let i = 0; i < LIMIT; i++)
          assert.notEqual((await form(path, ip)).status, 429, `${path}: request ${i + 1} of ${LIMIT} is let through`);
        const res = await form(path, ip);
        assert.equal(res.status, 429, `${path}: request ${LIMIT + 1} is refused`);
        assert.equal(res.headers.get("retry-after"), String(WINDOW_S));
        assert.match(await res.text(), /Bạn đã gửi quá nhiều yêu cầu/);
      }
    });
  });
}
