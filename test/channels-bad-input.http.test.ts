/**
 * Bad input to the channels added for issue 10 (documents, news, radio, events) and the search log, over HTTP on
 * every database: a record id in a path too large for the database's integer is "not found" (404), never a failure
 * (500); the API's query parameters answer a Vietnamese 400 naming the parameter.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const HUGE = "99999999999999999999";

for (const target of testDatabases()) {
  describe(`bad input to the channels (${target.name})`, () => {
    let w: TestWorld;
    let admin: Browser;

    before(async () => {
      w = await createWorld(target);
      await w.createStaff("quantri2", "admin");
      admin = await logIn(w.app, "quantri2", pw("quantri2"));
    });
    after(async () => w.cleanup());

    test("an id too large for the database is not found (404), on public and staff pages", async () => {
      for (const path of [
        `/su-kien/${HUGE}`,
        `/su-kien/anh/${HUGE}`,
        `/van-ban/${HUGE}`,
        `/tin-tuc/${HUGE}`,
        `/tin-tuc/anh/${HUGE}`,
        `/phat-thanh/${HUGE}`,
        `/phat-thanh/${HUGE}/phu-de.vtt`,
      ]) {
        const res = await w.app.request(path);
        assert.equal(res.status, 404, `${path} is not found`);
      }
      for (const path of [
        `/quan-tri/su-kien/${HUGE}`,
        `/quan-tri/van-ban/${HUGE}`,
        `/quan-tri/van-ban/${HUGE}/sua`,
        `/quan-tri/tin-tuc/${HUGE}`,
        `/quan-tri/tin-tuc/${HUGE}/sua`,
        `/quan-tri/tin-tuc/${HUGE}/so-sanh`,
        `/quan-tri/phat-thanh/${HUGE}`,
        `/quan-tri/phat-thanh/${HUGE}/sua`,
      ]) {
        const res = await admin.get(path);
        assert.equal(res.status, 404, `${path} is not found`);
      }
      for (const path of [
        `/quan-tri/tin-tuc/${HUGE}/gui-duyet`,
        `/quan-tri/van-ban/${HUGE}/quan-he/${HUGE}/xoa`,
        `/quan-tri/phat-thanh/cum-loa/${HUGE}/ngung`,
        `/quan-tri/phat-thanh/viet-tat/${HUGE}/xoa`,
      ]) {
        const res = await admin.post(path, {});
        assert.ok([400, 404].includes(res.status), `${path}: refused, not a failure (got ${res.status})`);
      }
    });

    test("the API's query parameters: a Vietnamese 400 naming the parameter", async () => {
      const cases: [string, RegExp][] = [
        ["/api/v1/events?from=2026-13-45", /from/],
        ["/api/v1/events?to=2026-02-30", /to/],
        ["/api/v1/events?from=2026-03-10&to=2026-03-01", /to/],
        ["/api/v1/events?ward=abc", /ward/],
        ["/api/v1/news?kind=tin", /kind/],
        ["/api/v1/news?ward=%27;--", /ward/],
        ["/api/v1/documents?status=bay-gio", /status/],
        ["/api/v1/documents?year=20", /year/],
        ["/api/v1/documents?ward=1", /ward/],
        ["/api/v1/bulletins?ward=xyz", /ward/],
        ["/api/v1/bulletins?status=published", /status/],
      ];
      for (const [path, names] of cases) {
        const res = await w.app.request(path);
        assert.equal(res.status, 400, `${path} is refused`);
        const text = await res.text();
        assert.match(text, names, `${path}: the message names the parameter`);
        assert.match(text, /[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ]/i, `${path}: the message is Vietnamese`);
      }
    });
  });
}
