/**
 * Bad input to the channels added for issue 10 (documents, news, radio, events) and the search log, over HTTP on
 * every database: a record id in a path too large for the database's integer is "not found" (404), never a failure
 * (500); the API's query parameters answer a Vietnamese 400 naming the parameter; a refused upload (a photo of an event
 * not held, a picture that is not one, a document that is no PDF or Word file, a recording that is no audio) says why
 * and leaves no blob in the file store and no file row.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { blobCount, importSeedPlan, rowCount } from "./helpers/fixtures.ts";
import { gpsJpeg, photoForm } from "./helpers/photos.ts";

const HUGE = "99999999999999999999";

for (const target of testDatabases()) {
  describe(`bad input to the channels (${target.name})`, () => {
    let w: TestWorld;
    let admin: Browser;
    let officer: Browser;
    let justice: Browser;
    let areaId = 0;

    before(async () => {
      w = await createWorld(target);
      const planId = await importSeedPlan(w);
      const area = await w.db.kysely
        .selectFrom("plan_content_areas")
        .select("id")
        .where("plan_id", "=", planId)
        .where("pillar", "is not", null)
        .orderBy("position")
        .executeTakeFirstOrThrow();
      areaId = area.id;
      await w.createStaff("quantri2", "admin");
      await w.createStaff("daitt", "officer", "radio");
      await w.createStaff("tuphap", "officer", "justice");
      admin = await logIn(w.app, "quantri2", pw("quantri2"));
      officer = await logIn(w.app, "daitt", pw("daitt"));
      justice = await logIn(w.app, "tuphap", pw("tuphap"));
    });

    const idFrom = (res: Response, path: string) =>
      Number(new RegExp(`/${path}/(\\d+)`).exec(res.headers.get("location") ?? "")?.[1]);
    const file = (field: string, name: string, bytes: Uint8Array, alt?: string) => {
      const f = new FormData();
      f.set(field, new File([new Uint8Array(bytes)], name));
      if (alt !== undefined) f.set("alt", alt);
      return f;
    };
    const html = new TextEncoder().encode("<html><body>không phải tệp này</body></html>");

    test("a refused upload says why and stores nothing: no blob on disk, no file row", async () => {
      const radio = String(w.unitIds.get("radio"));
      const event = await officer.post("/quan-tri/su-kien/moi", {
        title: "Hội nghị tuyên truyền thủ tục đăng ký cư trú trực tuyến",
        kind: "conference",
        orgUnitId: radio,
        place: "Nhà văn hóa tổ dân phố 4",
        startsOn: "20/03/2026",
        startsAt: "08:00",
        endsAt: "10:30",
        partners: "",
        expectedAudience: "120",
        description: "Hướng dẫn người dân nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công quốc gia.",
      });
      assert.equal(event.status, 303, "an event drafted");
      const eventId = idFrom(event, "su-kien");
      const news = new FormData();
      for (const [k, v] of Object.entries({
        kind: "news",
        title: "Phường triển khai đăng ký thường trú trực tuyến",
        summary: "Người dân nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công, không phải đến trụ sở.",
        body: "Từ ngày 01/3/2026, người dân phường có thể nộp hồ sơ đăng ký thường trú trực tuyến.",
        orgUnitId: radio,
      }))
        news.set(k, v);
      news.append("areaIds", String(areaId));
      const article = await officer.post("/quan-tri/tin-tuc/moi", news);
      assert.equal(article.status, 303, "an article drafted");
      const articleId = idFrom(article, "tin-tuc");
      const bulletin = await officer.post("/quan-tri/phat-thanh/moi", {
        title: "Bản tin cải cách hành chính sáng 02/3",
        orgUnitId: radio,
        broadcastOn: "02/03/2026",
        slot: "morning",
        item1Title: "Tiếp nhận hồ sơ đăng ký thường trú",
        item1Script: "Từ ngày 01/3, người dân nộp hồ sơ đăng ký thường trú trực tuyến.",
      });
      assert.equal(bulletin.status, 303, "a bulletin drafted");
      const bulletinId = idFrom(bulletin, "phat-thanh");
      const doc = await justice.post("/quan-tri/van-ban/moi", {
        kind: "Quyết định",
        number: "07/2026/QĐ-UBND",
        issuer: "Ủy ban nhân dân phường",
        title: "Ban hành quy chế tiếp nhận hồ sơ thủ tục hành chính trực tuyến",
        issuedOn: "10/02/2026",
        year: "",
        effectiveFrom: "20/02/2026",
        expiresOn: "",
        officialUrl: "",
        note: "",
      });
      assert.equal(doc.status, 303, "a document entered");
      const docId = idFrom(doc, "van-ban");
      assert.ok(eventId && articleId && bulletinId && docId, "each record's id is in its address");

      const blobs = await blobCount(w);
      const rows = await rowCount(w, "stored_files");
      const photo = await gpsJpeg();
      const refusals: [string, Promise<Response>, number, RegExp][] = [
        [
          "a photo of an event not held",
          officer.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(photo, "Người dân dự hội nghị")),
          409,
          /Ảnh được thêm sau khi sự kiện đã tổ chức/,
        ],
        [
          "a news photo that is no picture",
          officer.post(`/quan-tri/tin-tuc/${articleId}/anh`, file("photo", "anh.jpg", html, "Người dân nộp hồ sơ")),
          400,
          /ảnh/i,
        ],
        [
          "a news photo without its description",
          officer.post(`/quan-tri/tin-tuc/${articleId}/anh`, photoForm(photo, "")),
          400,
          /mô tả ảnh/i,
        ],
        [
          "a recording that is no audio",
          officer.post(`/quan-tri/phat-thanh/${bulletinId}/ghi-am`, file("recording", "ghi-am.mp3", html)),
          400,
          /ghi âm/i,
        ],
        [
          "a document text that is no PDF or Word file",
          justice.post(`/quan-tri/van-ban/${docId}/tep`, file("file", "nghi-dinh.pdf", html)),
          415,
          /PDF|Word/,
        ],
        [
          "a document text that is a picture",
          justice.post(`/quan-tri/van-ban/${docId}/tep`, file("file", "nghi-dinh.jpg", photo)),
          415,
          /không phải văn bản/,
        ],
      ];
      for (const [what, answer, status, says] of refusals) {
        const res = await answer;
        assert.equal(res.status, status, `${what}: refused`);
        assert.match(await res.text(), says, `${what}: the page says why`);
        assert.equal(await blobCount(w), blobs, `${what}: no blob is left on disk`);
        assert.equal(await rowCount(w, "stored_files"), rows, `${what}: no file row`);
      }
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
