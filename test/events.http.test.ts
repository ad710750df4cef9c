/**
 * Conferences and community meetings over HTTP on every database (issue 10 §4): an officer drafts an event of their
 * own unit, the office reviews it, a leader approves it and it is announced (public page, API, iCalendar feed read by
 * ical.js); marking it held writes exactly one ledger activity with the people present, however many identical
 * requests race; withdrawing it takes the activity back and tells calendars it is cancelled. Bad input is refused in
 * Vietnamese with nothing written, and another ward's staff reach none of it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ICAL from "ical.js";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  seedPlanText,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";
import { rowCount } from "./helpers/fixtures.ts";

const BEFORE = new Date("2026-03-02T03:00:00Z");
const AFTER = new Date("2026-03-21T03:00:00Z");

for (const target of testDatabases()) {
  describe(`events: drafted, approved, announced, held, counted (${target.name})`, () => {
    let w: TestWorld;
    let officer: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let otherOfficer: Browser;
    let radioUnit = 0;
    let areaId = 0;
    let eventId = 0;

    const form = (over: Record<string, string> = {}) => {
      const f = new FormData();
      const fields: Record<string, string> = {
        title: "Hội nghị tuyên truyền thủ tục đăng ký cư trú trực tuyến",
        kind: "residential",
        orgUnitId: String(radioUnit),
        place: "Nhà văn hóa tổ dân phố 4",
        startsOn: "20/03/2026",
        startsAt: "08:00",
        endsAt: "10:30",
        partners: "Ủy ban MTTQ Việt Nam phường\nHội Liên hiệp Phụ nữ phường",
        expectedAudience: "120",
        description:
          "Hướng dẫn người dân nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công quốc gia, theo Nghị định số 61/2018/NĐ-CP.",
        ...over,
      };
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      f.append("areaIds", String(areaId));
      return f;
    };

    before(async () => {
      w = await createWorld(target, { now: BEFORE });
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "the demo ward resolves");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "the seed plan is imported");
      radioUnit = w.unitIds.get("radio") as number;
      const area = await w.db.kysely
        .selectFrom("plan_content_areas")
        .select(["id", "pillar"])
        .where("plan_id", "=", r.ok ? r.planId : 0)
        .where("pillar", "is not", null)
        .orderBy("position")
        .executeTakeFirstOrThrow();
      areaId = area.id;
      await w.createStaff("daitt", "officer", "radio");
      await w.createStaff("tuphap", "officer", "justice");
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      officer = await logIn(w.app, "daitt", pw("daitt"));
      otherOfficer = await logIn(w.app, "tuphap", pw("tuphap"));
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
    });
    after(async () => w.cleanup());

    test("bad input is refused in Vietnamese and writes nothing", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ endsAt: "07:30" }, /Giờ kết thúc phải sau giờ bắt đầu/],
        [{ title: "" }, /Nhập tên sự kiện|Tên sự kiện ít nhất 5 ký tự/],
        [{ title: "x".repeat(201) }, /Tên sự kiện tối đa 200 ký tự/],
        [{ startsOn: "31/02/2026" }, /Ngày tổ chức chưa đúng/],
        [{ startsAt: "25:00" }, /Giờ bắt đầu chưa đúng/],
        [{ expectedAudience: "-5" }, /Số người dự kiến là số nguyên/],
        [{ orgUnitId: String(w.unitIds.get("justice")) }, /chỉ tạo, sửa sự kiện của đơn vị mình/],
        [{ orgUnitId: "999999" }, /không thuộc phường, xã này/],
        [
          { description: "Người dân cần hỏi thêm liên hệ ông Nguyễn Văn Bình, điện thoại 0905 123 456." },
          /Phần “Nội dung chính” được công khai nên không ghi thông tin cá nhân/,
        ],
        [{ partners: "Hội Nông dân phường\nbà Lê Thị Hoa" }, /Phần “Đơn vị phối hợp” được công khai/],
      ];
      for (const [over, message] of cases) {
        const res = await officer.post("/quan-tri/su-kien/moi", form(over));
        assert.equal(res.status, 400, `${JSON.stringify(over)} is refused`);
        assert.match(await res.text(), message, `${JSON.stringify(over)}: the message says what is wrong`);
      }
      assert.equal(await rowCount(w, "events"), 0, "nothing written");
    });

    test("an officer drafts an event of their unit; it is not public while a draft", async () => {
      const res = await officer.post("/quan-tri/su-kien/moi", form());
      assert.equal(res.status, 303, "the draft is saved");
      eventId = Number(/\/su-kien\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      assert.ok(eventId > 0, "it has an id");
      const page = await (await officer.get(`/quan-tri/su-kien/${eventId}`)).text();
      assert.match(page, /Dự thảo/, "its status");
      assert.match(page, /Ủy ban MTTQ Việt Nam phường; Hội Liên hiệp Phụ nữ phường/, "the partners, one per line");
      assert.equal((await w.app.request(`/su-kien/${eventId}`)).status, 404, "a draft has no public page");
      const api = (await (await w.app.request("/api/v1/events")).json()) as { total: number };
      assert.equal(api.total, 0, "nor is it in the API");
    });

    test("another unit's officer can neither correct nor submit it", async () => {
      const edit = await otherOfficer.post(
        `/quan-tri/su-kien/${eventId}/sua`,
        form({ title: "Sửa trái phép sự kiện" }),
      );
      assert.equal(edit.status, 403, "editing is refused");
      const submit = await otherOfficer.post(`/quan-tri/su-kien/${eventId}/trinh`, {});
      assert.equal(submit.status, 403, "submitting is refused");
    });

    test("submitted, reviewed by the office, approved by the leader: announced on the page, in the API and the calendar", async () => {
      assert.equal((await officer.post(`/quan-tri/su-kien/${eventId}/trinh`, {})).status, 303, "submitted");
      assert.equal(
        (await leader.post(`/quan-tri/su-kien/${eventId}/duyet`, {})).status,
        409,
        "the leader cannot approve before the office reviews",
      );
      assert.equal((await coordinator.post(`/quan-tri/su-kien/${eventId}/xem-xet`, {})).status, 303, "reviewed");
      assert.equal((await leader.post(`/quan-tri/su-kien/${eventId}/duyet`, {})).status, 303, "approved");

      const list = await (await w.app.request("/su-kien")).text();
      assert.match(list, /Hội nghị tuyên truyền thủ tục đăng ký cư trú trực tuyến/, "listed as coming");
      assert.equal((await w.app.request(`/su-kien/${eventId}`)).status, 200, "its public page");
      const api = (await (await w.app.request("/api/v1/events?from=2026-03-01&to=2026-03-31")).json()) as {
        total: number;
        items: { startsAt: string; status: string; partners: string[] }[];
      };
      assert.equal(api.total, 1);
      assert.equal(api.items[0]?.startsAt, "2026-03-20T08:00:00+07:00", "ISO time with Vietnam's offset");
      assert.equal(api.items[0]?.status, "approved");
      assert.equal(
        ((await (await w.app.request("/api/v1/events?from=2026-04-01")).json()) as { total: number }).total,
        0,
        "the period filter applies",
      );
      const bad = await w.app.request("/api/v1/events?from=20-03-2024");
      assert.equal(bad.status, 400, "a bad date is a 400");

      const ics = await w.app.request("/su-kien/lich.ics");
      assert.match(ics.headers.get("content-type") ?? "", /^text\/calendar/, "served as a calendar");
      const cal = new ICAL.Component(ICAL.parse(await ics.text()));
      const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
      assert.equal(events.length, 1, "one event in the feed");
      assert.equal(events[0]?.startDate.toJSDate().toISOString(), "2026-03-20T01:00:00.000Z", "08:00 in Vietnam");
      assert.equal(events[0]?.location, "Nhà văn hóa tổ dân phố 4");
    });

    test("held only from its day; then one ledger activity with the people present, however many requests race", async () => {
      const early = await officer.post(`/quan-tri/su-kien/${eventId}/da-to-chuc`, { officials: "8", residents: "90" });
      assert.equal(early.status, 409, "not before the day");
      assert.match(await early.text(), /chưa thể ghi nhận đã tổ chức/);
      w.setNow(AFTER);
      // Sessions end after hours idle: the day of the meeting is a new login.
      officer = await logIn(w.app, "daitt", pw("daitt"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      const empty = await officer.post(`/quan-tri/su-kien/${eventId}/da-to-chuc`, {});
      assert.equal(empty.status, 400, "attendance is needed");
      assert.match(await empty.text(), /ít nhất một thành phần/);

      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          officer.post(`/quan-tri/su-kien/${eventId}/da-to-chuc`, {
            officials: "8",
            members: "25",
            residents: "90",
            cost: "1.500.000",
          }),
        ),
      );
      assert.equal(answers.filter((r) => r.status === 303).length, 1, "one request wins");
      const rows = await w.db.kysely
        .selectFrom("activities")
        .selectAll()
        .where("source", "=", "event")
        .where("source_ref", "=", String(eventId))
        .execute();
      assert.equal(rows.length, 1, "exactly one ledger activity");
      const a = rows[0] as (typeof rows)[number];
      assert.equal(a.audience, 123, "the people present, summed over the groups");
      assert.equal(a.channel_kind, "community_meeting", "a residents' meeting");
      assert.equal(a.cost, 1_500_000);
      assert.equal(a.occurred_on, "2026-03-20");
      assert.equal(a.org_unit_id, radioUnit, "under the organising unit");
      const api = (await (await w.app.request("/api/v1/events")).json()) as { items: { attended: number }[] };
      assert.equal(api.items[0]?.attended, 123, "the public sees how many came");
      // The decree its description names is recorded as made known by the meeting, on the document's page.
      const decree = await w.db.kysely
        .selectFrom("legal_documents")
        .select("id")
        .where("ward_id", "=", w.wardId)
        .where("number", "=", "61/2018/NĐ-CP")
        .executeTakeFirstOrThrow();
      const docPage = await (await w.app.request(`/van-ban/${decree.id}`)).text();
      assert.match(docPage, /20\/03\/2026: Sinh hoạt khu dân cư, tổ dân phố: Hội nghị tuyên truyền/, "when and how");
    });

    test("withdrawn with a reason: the activity is taken back, the public and the calendar say it was cancelled", async () => {
      const short = await leader.post(`/quan-tri/su-kien/${eventId}/huy`, { reason: "sai" });
      assert.equal(short.status, 400, "a reason is needed");
      assert.match(await short.text(), /Lý do ít nhất 10 ký tự/);
      const personal = await leader.post(`/quan-tri/su-kien/${eventId}/huy`, {
        reason: "Ông Trần Văn Hùng báo bận, liên hệ 0912 345 678",
      });
      assert.equal(personal.status, 400, "the public reason may not name a person");
      assert.match(await personal.text(), /Lý do hủy được công khai, không ghi thông tin cá nhân/);
      const res = await leader.post(`/quan-tri/su-kien/${eventId}/huy`, {
        reason: "Ghi nhận nhầm: buổi sinh hoạt đã hoãn do mưa bão",
      });
      assert.equal(res.status, 303, "withdrawn");
      const left = await w.db.kysely
        .selectFrom("activities")
        .select("id")
        .where("source", "=", "event")
        .where("source_ref", "=", String(eventId))
        .execute();
      assert.equal(left.length, 0, "the ledger no longer counts it");
      const mentions = await w.db.kysely
        .selectFrom("legal_mentions")
        .select("id")
        .where("source", "=", "event")
        .where("source_ref", "=", String(eventId))
        .execute();
      assert.equal(mentions.length, 0, "nor does the document's page name the meeting any more");
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("action", "=", "activity.withdraw")
        .execute();
      assert.equal(audit.length, 1, "the withdrawal is audited");
      const page = await (await w.app.request(`/su-kien/${eventId}`)).text();
      assert.match(page, /Sự kiện này đã hủy: Ghi nhận nhầm/, "the public page says so");
      const cal = new ICAL.Component(ICAL.parse(await (await w.app.request("/su-kien/lich.ics")).text()));
      const v = cal.getFirstSubcomponent("vevent");
      assert.equal(v?.getFirstPropertyValue("status"), "CANCELLED", "calendars learn it is cancelled");
    });

    test("another ward's staff reach none of it; its public pages are its own", async () => {
      const otherWard = await setUpOtherWard(w, "21451");
      const office = await w.db.kysely
        .selectFrom("org_units")
        .select("id")
        .where("ward_id", "=", otherWard)
        .executeTakeFirstOrThrow();
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "dieuphoi_b",
          displayName: "Điều phối phường B",
          password: pw("dieuphoi_b"),
          role: "coordinator",
          wardId: otherWard,
          orgUnitId: office.id,
        },
        w.now(),
      );
      assert.ok(made.ok, "ward B's coordinator");
      const intruder = await logIn(w.app, "dieuphoi_b", pw("dieuphoi_b"));
      assert.equal((await intruder.get(`/quan-tri/su-kien/${eventId}`)).status, 404, "not found for ward B");
      const before = await w.db.kysely.selectFrom("events").selectAll().where("id", "=", eventId).executeTakeFirst();
      for (const step of ["trinh", "xem-xet", "duyet", "da-to-chuc", "huy", "tra-lai"]) {
        const res = await intruder.post(`/quan-tri/su-kien/${eventId}/${step}`, { reason: "Phường B can thiệp vào" });
        assert.equal(res.status, 404, `${step} by ward B: not found`);
      }
      const afterwards = await w.db.kysely
        .selectFrom("events")
        .selectAll()
        .where("id", "=", eventId)
        .executeTakeFirst();
      assert.deepEqual(afterwards, before, "the event is unchanged");
      const theirs = await (await w.app.request("/w/21451/su-kien")).text();
      assert.doesNotMatch(theirs, /đăng ký cư trú trực tuyến/, "ward B's public list does not show ward A's event");
      const ics = await (await w.app.request("/w/21451/su-kien/lich.ics")).text();
      assert.equal(
        new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").length,
        0,
        "an empty calendar is valid",
      );
    });
  });
}
