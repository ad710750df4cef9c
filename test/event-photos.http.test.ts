/**
 * Photos of a held event (issue 10 §4) over HTTP on every database: none before it is held; a non-image, missing or
 * personal alt text refused in Vietnamese with nothing written; another unit's officer refused; a phone photo stored
 * smaller and without its GPS position, audited; shown on the public page and served while the event is held; removed
 * by its unit; a withdrawn event's photos are not served.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan, rowCount } from "./helpers/fixtures.ts";
import { gpsJpeg as makeGpsJpeg, photoForm } from "./helpers/photos.ts";

const BEFORE = new Date("2026-03-02T03:00:00Z");
const AFTER = new Date("2026-03-21T03:00:00Z");
const ALT = "Người dân nghe hướng dẫn nộp hồ sơ tại nhà văn hóa";

for (const target of testDatabases()) {
  describe(`event photos (${target.name})`, () => {
    let w: TestWorld;
    let officer: Browser;
    let otherOfficer: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let eventId = 0;
    let gpsJpeg: Buffer;

    const photoAudits = async () =>
      (
        await w.db.kysely
          .selectFrom("audit_log")
          .select("action")
          .where("action", "like", "event.photo%")
          .orderBy("id")
          .execute()
      ).map((r) => r.action);
    const logInAll = async () => {
      officer = await logIn(w.app, "daitt", pw("daitt"));
      otherOfficer = await logIn(w.app, "tuphap", pw("tuphap"));
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
    };

    before(async () => {
      w = await createWorld(target, { now: BEFORE });
      await importSeedPlan(w);
      await w.createStaff("daitt", "officer", "radio");
      await w.createStaff("tuphap", "officer", "justice");
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      await logInAll();
      gpsJpeg = await makeGpsJpeg();
      const res = await officer.post("/quan-tri/su-kien/moi", {
        title: "Hội nghị tuyên truyền thủ tục đăng ký cư trú trực tuyến",
        kind: "conference",
        orgUnitId: String(w.unitIds.get("radio")),
        place: "Nhà văn hóa tổ dân phố 4",
        startsOn: "20/03/2026",
        startsAt: "08:00",
        endsAt: "10:30",
        partners: "",
        expectedAudience: "120",
        description: "Hướng dẫn người dân nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công quốc gia.",
      });
      assert.equal(res.status, 303, "drafted");
      eventId = Number(/\/su-kien\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      assert.equal((await officer.post(`/quan-tri/su-kien/${eventId}/trinh`, {})).status, 303, "submitted");
      assert.equal((await coordinator.post(`/quan-tri/su-kien/${eventId}/xem-xet`, {})).status, 303, "reviewed");
      assert.equal((await leader.post(`/quan-tri/su-kien/${eventId}/duyet`, {})).status, 303, "approved");
    });
    after(async () => w.cleanup());

    test("no photo before the event is held", async () => {
      const early = await officer.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(gpsJpeg, ALT));
      assert.equal(early.status, 409, "refused while only announced");
      assert.match(await early.text(), /Ảnh được thêm sau khi sự kiện đã tổ chức/, "the message says why");
      assert.equal(await rowCount(w, "event_photos"), 0, "nothing written");
      w.setNow(AFTER);
      await logInAll();
      const held = await officer.post(`/quan-tri/su-kien/${eventId}/da-to-chuc`, {
        officials: "8",
        members: "25",
        residents: "90",
      });
      assert.equal(held.status, 303, "marked held");
      const page = await (await officer.get(`/quan-tri/su-kien/${eventId}`)).text();
      assert.match(
        page,
        /action="\/quan-tri\/su-kien\/\d+\/anh" enctype="multipart\/form-data"/,
        "the form is offered",
      );
    });

    test("a non-image, missing or personal alt text is refused in Vietnamese and nothing is written", async () => {
      const files = await rowCount(w, "stored_files");
      const cases: [Uint8Array, string, RegExp][] = [
        [Buffer.from("%PDF-1.4 giả làm ảnh"), ALT, /Tệp không phải là ảnh/],
        [gpsJpeg, "", /Mô tả ảnh ít nhất 5 ký tự|Nhập mô tả ảnh/],
        [gpsJpeg, "Bà Lan, điện thoại 0905 123 456, phát biểu", /không ghi thông tin cá nhân/],
      ];
      for (const [bytes, alt, message] of cases) {
        const res = await officer.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(bytes, alt));
        assert.equal(res.status, 400, `${message} refused`);
        assert.match(await res.text(), message, "the message says what is wrong");
      }
      const intruder = await otherOfficer.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(gpsJpeg, ALT));
      assert.equal(intruder.status, 403, "another unit's officer adds no photo");
      const byLeader = await leader.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(gpsJpeg, ALT));
      assert.equal(byLeader.status, 403, "a leader reads, does not add");
      const noCsrf = await w.app.request(`/quan-tri/su-kien/${eventId}/anh`, {
        method: "POST",
        body: photoForm(gpsJpeg, ALT),
        headers: { cookie: officer.cookie },
      });
      assert.equal(noCsrf.status, 403, "no CSRF token, no photo");
      assert.equal(await rowCount(w, "event_photos"), 0, "no photo written");
      assert.equal(await rowCount(w, "stored_files"), files, "no file written");
      assert.deepEqual(await photoAudits(), [], "nothing audited");
    });

    test("a phone photo is stored smaller, without its GPS position, audited, shown and served in public", async () => {
      const ok = await officer.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(gpsJpeg, ALT));
      assert.equal(ok.status, 303, "the photo is added");
      const byCoordinator = await coordinator.post(
        `/quan-tri/su-kien/${eventId}/anh`,
        photoForm(gpsJpeg, "Quang cảnh hội nghị nhìn từ cuối hội trường"),
      );
      assert.equal(byCoordinator.status, 303, "the office adds one too");
      const photos = await w.db.kysely.selectFrom("event_photos").selectAll().orderBy("id").execute();
      assert.equal(photos.length, 2, "two photos");
      assert.equal(photos[0]?.width, 1600, "scaled down");
      assert.deepEqual(await photoAudits(), ["event.photo_add", "event.photo_add"], "each audited");
      const id = Number(photos[0]?.id);

      const staffCopy = await officer.get(`/quan-tri/su-kien/anh/${id}`);
      assert.equal(staffCopy.status, 200, "staff see it");
      const publicCopy = await w.app.request(`/su-kien/anh/${id}`);
      assert.equal(publicCopy.status, 200, "served in public while held");
      assert.equal(publicCopy.headers.get("content-type"), "image/jpeg", "as JPEG");
      assert.equal(publicCopy.headers.get("x-content-type-options"), "nosniff", "never sniffed");
      const meta = await sharp(Buffer.from(await publicCopy.arrayBuffer())).metadata();
      assert.equal(meta.exif, undefined, "no EXIF, so no GPS position");
      assert.equal(meta.width, 1600, "the scaled copy");

      const page = await (await w.app.request(`/su-kien/${eventId}`)).text();
      assert.match(page, new RegExp(`<img src="/su-kien/anh/${id}" alt="${ALT}" width="1600" height="1067"`), "shown");
    });

    test("removed by its unit, not by another unit's officer", async () => {
      const [first, second] = await w.db.kysely.selectFrom("event_photos").select("id").orderBy("id").execute();
      const path = `/quan-tri/su-kien/${eventId}/anh/${second?.id}/xoa`;
      assert.equal((await otherOfficer.post(path, {})).status, 403, "another unit's officer cannot remove it");
      assert.equal((await officer.post(path, {})).status, 303, "its unit removes it");
      assert.equal((await officer.post(path, {})).status, 404, "gone");
      assert.deepEqual(
        (await w.db.kysely.selectFrom("event_photos").select("id").execute()).map((r) => Number(r.id)),
        [Number(first?.id)],
        "the other photo stays",
      );
      assert.equal((await w.app.request(`/su-kien/anh/${second?.id}`)).status, 404, "no longer served");
      assert.deepEqual((await photoAudits()).at(-1), "event.photo_remove", "audited");
    });

    test("a withdrawn event's photos are not served nor shown, and no more can be added", async () => {
      const photo = await w.db.kysely.selectFrom("event_photos").select("id").executeTakeFirstOrThrow();
      const withdrawn = await coordinator.post(`/quan-tri/su-kien/${eventId}/huy`, {
        reason: "Trùng lịch tiếp công dân, tổ chức lại sau",
      });
      assert.equal(withdrawn.status, 303, "withdrawn");
      assert.equal((await w.app.request(`/su-kien/anh/${photo.id}`)).status, 404, "the photo is not served");
      const page = await w.app.request(`/su-kien/${eventId}`);
      assert.doesNotMatch(await page.text(), /\/su-kien\/anh\//, "nor shown on the public page");
      const late = await officer.post(`/quan-tri/su-kien/${eventId}/anh`, photoForm(gpsJpeg, ALT));
      assert.equal(late.status, 409, "no photo added once withdrawn");
      assert.match(await late.text(), /Sự kiện đã hủy/, "the message says why");
    });
  });
}
