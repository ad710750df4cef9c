/**
 * What is left of issue 10 §4 over HTTP on every database: an empty calendar feed is valid; an announced event is
 * found by the site search with a query typed without diacritics, and is gone from it once withdrawn; the minutes
 * (biên bản) of a held event are written in the staff pages, refused in Vietnamese with nothing written when bad,
 * corrected with an audit record, exported as a Decree 30 DOCX (and PDF where LibreOffice is installed), never shown
 * to the public, closed when the event is withdrawn; another ward's events live at `/w/{code}/su-kien` and its feed.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import ICAL from "ical.js";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { sofficePath } from "../src/core/documents/pdf.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { documentXml, docxParagraphs } from "./helpers/docx.ts";
import { type Browser, createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan, resultLinks, rowCount } from "./helpers/fixtures.ts";

const BEFORE = new Date("2026-03-02T03:00:00Z");
const AFTER = new Date("2026-03-21T03:00:00Z");
const TITLE = "Hội nghị tuyên truyền thủ tục đăng ký cư trú trực tuyến";
const OTHER_WARD = "21451";

for (const target of testDatabases()) {
  describe(`events: search, minutes, other wards (${target.name})`, () => {
    let w: TestWorld;
    let officer: Browser;
    let otherOfficer: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let eventId = 0;

    const eventForm = (over: Record<string, string> = {}) => ({
      title: TITLE,
      kind: "conference",
      orgUnitId: String(w.unitIds.get("radio")),
      place: "Nhà văn hóa tổ dân phố 4",
      startsOn: "20/03/2026",
      startsAt: "08:00",
      endsAt: "10:30",
      partners: "Ủy ban MTTQ Việt Nam phường",
      expectedAudience: "120",
      description: "Hướng dẫn người dân nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công quốc gia.",
      ...over,
    });

    const minutesForm = (over: Record<string, string> = {}) => ({
      startedAt: "08:05",
      endedAt: "10:40",
      // Typed decomposed, as some keyboards send it: the document must come out composed.
      chairName: "Nguyễn Văn An".normalize("NFD"),
      chairTitle: "Phó Chủ tịch UBND phường",
      secretaryName: "Trần Thị Bích",
      secretaryTitle: "Công chức Văn phòng - Thống kê",
      attendees: "Đại diện Đảng ủy, UBND phường\r\nBan công tác Mặt trận tổ dân phố 4",
      agenda: "Đồng chí chủ trì quán triệt mục đích hội nghị.\r\n- Hướng dẫn đăng ký thường trú trực tuyến",
      opinions: "Người dân đề nghị bố trí cán bộ hỗ trợ tại nhà văn hóa.",
      conclusions: "Giao Đài truyền thanh phát lại nội dung hướng dẫn trong tháng 4.",
      ...over,
    });

    const minutesAudits = async () =>
      (
        await w.db.kysely
          .selectFrom("audit_log")
          .select(["action", "before_json"])
          .where("action", "like", "event.minutes.%")
          .orderBy("id")
          .execute()
      ).map((r) => ({ action: r.action, before: r.before_json }));

    const search = async (q: string, base = "") =>
      resultLinks(await (await w.app.request(`${base}/tim-kiem?q=${encodeURIComponent(q)}`)).text());

    before(async () => {
      w = await createWorld(target, { now: BEFORE });
      await importSeedPlan(w);
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

    test("the calendar feed is valid with no event at all", async () => {
      const res = await w.app.request("/su-kien/lich.ics");
      assert.equal(res.status, 200, "served");
      assert.match(res.headers.get("content-type") ?? "", /^text\/calendar/, "as a calendar");
      const cal = new ICAL.Component(ICAL.parse(await res.text()));
      assert.equal(cal.name, "vcalendar", "one VCALENDAR");
      assert.equal(cal.getFirstPropertyValue("version"), "2.0", "iCalendar 2.0");
      assert.ok(cal.getFirstPropertyValue("prodid"), "with its PRODID");
      assert.equal(cal.getAllSubcomponents("vevent").length, 0, "and no event");
    });

    test("an event that ends when or before it starts is refused in Vietnamese, nothing written", async () => {
      for (const endsAt of ["08:00", "07:59"]) {
        const res = await officer.post("/quan-tri/su-kien/moi", eventForm({ endsAt }));
        assert.equal(res.status, 400, `ending at ${endsAt} is refused`);
        assert.match(await res.text(), /Giờ kết thúc phải sau giờ bắt đầu/, "the message says why");
      }
      assert.equal(await rowCount(w, "events"), 0, "no event written");
    });

    test("announced: the search finds it with a query typed without diacritics", async () => {
      const res = await officer.post("/quan-tri/su-kien/moi", eventForm());
      assert.equal(res.status, 303, "drafted");
      eventId = Number(/\/su-kien\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      // The library's documents may match some of these words: no event is among the results.
      const events = async (q: string) => (await search(q)).filter((l) => l.startsWith("/su-kien/"));
      assert.deepEqual(await events("hoi nghi dang ky cu tru truc tuyen"), [], "a draft is not found");
      assert.equal((await officer.post(`/quan-tri/su-kien/${eventId}/trinh`, {})).status, 303, "submitted");
      assert.equal((await coordinator.post(`/quan-tri/su-kien/${eventId}/xem-xet`, {})).status, 303, "reviewed");
      assert.equal((await leader.post(`/quan-tri/su-kien/${eventId}/duyet`, {})).status, 303, "approved");

      assert.deepEqual(await events("hoi nghi dang ky cu tru truc tuyen"), [`/su-kien/${eventId}`], "found, folded");
      assert.equal((await search("hoi nghi dang ky cu tru truc tuyen"))[0], `/su-kien/${eventId}`, "and first");
      assert.deepEqual(await events("nha van hoa to dan pho 4"), [`/su-kien/${eventId}`], "by its place too");
      const page = await (await w.app.request("/tim-kiem?q=cu+tru+truc+tuyen&loai=event")).text();
      assert.match(page, /Hội nghị, sinh hoạt/, "labelled with its kind");
      assert.deepEqual(resultLinks(page), [`/su-kien/${eventId}`], "the kind filter keeps it");
    });

    test("minutes only once the event is held", async () => {
      const early = await officer.post(`/quan-tri/su-kien/${eventId}/bien-ban`, minutesForm());
      assert.equal(early.status, 409, "not before it is held");
      assert.match(await early.text(), /Biên bản được ghi sau khi sự kiện đã tổ chức/, "the message says why");
      w.setNow(AFTER);
      officer = await logIn(w.app, "daitt", pw("daitt"));
      otherOfficer = await logIn(w.app, "tuphap", pw("tuphap"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      const held = await officer.post(`/quan-tri/su-kien/${eventId}/da-to-chuc`, {
        officials: "8",
        members: "25",
        residents: "90",
      });
      assert.equal(held.status, 303, "marked held");
      const page = await (await officer.get(`/quan-tri/su-kien/${eventId}`)).text();
      assert.match(page, /Chưa có biên bản\. <a href="\/quan-tri\/su-kien\/\d+\/bien-ban">Viết biên bản/, "offered");
      assert.ok((await search("cu tru truc tuyen")).includes(`/su-kien/${eventId}`), "still found once held");
    });

    test("bad minutes are refused in Vietnamese and nothing is written", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ agenda: "" }, /Nhập nội dung, diễn biến của buổi làm việc/],
        [{ agenda: "   \r\n  " }, /Nhập nội dung, diễn biến của buổi làm việc/],
        [{ agenda: "Nội dung rất dài. ".repeat(1200) }, /Nội dung tối đa 20\.000 ký tự/],
        [{ opinions: "ý".repeat(20_001) }, /Ý kiến phát biểu tối đa 20\.000 ký tự/],
        [{ conclusions: "" }, /Nhập kết luận của người chủ trì/],
        [{ chairName: "" }, /Nhập họ tên người chủ trì/],
        [{ secretaryName: " " }, /Nhập họ tên thư ký/],
        [{ endedAt: "08:00" }, /Giờ kết thúc phải sau giờ bắt đầu/],
        [{ startedAt: "25:00" }, /Giờ bắt đầu chưa đúng/],
      ];
      for (const [over, message] of cases) {
        const res = await officer.post(`/quan-tri/su-kien/${eventId}/bien-ban`, minutesForm(over));
        const label = JSON.stringify(over).slice(0, 60);
        assert.equal(res.status, 400, `${label} is refused`);
        assert.match(await res.text(), message, `${label}: the message says what is wrong`);
      }
      assert.equal(await rowCount(w, "event_minutes"), 0, "no minutes written");
      assert.deepEqual(await minutesAudits(), [], "nothing audited");
    });

    test("only the organising unit and the office write them; another unit's officer and a leader cannot", async () => {
      const other = await otherOfficer.post(`/quan-tri/su-kien/${eventId}/bien-ban`, minutesForm());
      assert.equal(other.status, 403, "another unit's officer is refused");
      const byLeader = await leader.post(`/quan-tri/su-kien/${eventId}/bien-ban`, minutesForm());
      assert.equal(byLeader.status, 403, "a leader reads, does not write");
      assert.equal(await rowCount(w, "event_minutes"), 0, "nothing written");
    });

    test("written, corrected with an audit record of what it replaced, exported as a Decree 30 BIÊN BẢN", async () => {
      // Saved from several tabs at once: each save lands, one minutes row, the first is its creation.
      const saves = await Promise.all(
        Array.from({ length: 4 }, () => officer.post(`/quan-tri/su-kien/${eventId}/bien-ban`, minutesForm())),
      );
      assert.deepEqual(
        saves.map((r) => r.status),
        [303, 303, 303, 303],
        "every save lands",
      );
      const form = await (await officer.get(`/quan-tri/su-kien/${eventId}/bien-ban`)).text();
      assert.match(form, /Đồng chí chủ trì quán triệt mục đích hội nghị/, "the form shows what was saved");
      const corrected = await officer.post(
        `/quan-tri/su-kien/${eventId}/bien-ban`,
        minutesForm({ conclusions: "Giao Đài truyền thanh phát lại nội dung hướng dẫn hằng tuần trong tháng 4." }),
      );
      assert.equal(corrected.status, 303, "corrected");
      const audits = await minutesAudits();
      assert.deepEqual(
        audits.map((a) => a.action),
        ["event.minutes.create", ...Array.from({ length: 4 }, () => "event.minutes.edit")],
        "each save is audited, the first as the creation",
      );
      assert.match(audits.at(-1)?.before ?? "", /trong tháng 4\./, "the correction keeps what it replaced");
      assert.equal(await rowCount(w, "event_minutes"), 1, "one minutes per event");

      const byLeader = await leader.get(`/quan-tri/su-kien/${eventId}/bien-ban.docx`);
      assert.equal(byLeader.status, 200, "a leader downloads them");
      assert.match(byLeader.headers.get("content-type") ?? "", /wordprocessingml/, "as a DOCX");
      assert.match(byLeader.headers.get("content-disposition") ?? "", /bien-ban-su-kien-\d+\.docx/, "named");
      const xml = await documentXml(await byLeader.arrayBuffer());
      const lines = docxParagraphs(xml);
      for (const line of ["BIÊN BẢN", TITLE, "ỦY BAN NHÂN DÂN", "THƯ KÝ", "CHỦ TRÌ", "Trần Thị Bích", "Nguyễn Văn An"])
        assert.ok(lines.includes(line), `the document has “${line}”`);
      assert.ok(
        lines.some((l) => /^PHƯỜNG /.test(l)),
        "the ward's name heads it",
      );
      assert.ok(
        lines.some((l) => /^Số:\s+\/BB-UBND$/.test(l)),
        "its number left to the register",
      );
      assert.ok(
        lines.includes(
          "Tổng số người tham dự: 123 người (Cán bộ, công chức: 8; Hội viên, đoàn viên: 25; Người dân: 90).",
        ),
        "the attendance by group from the event",
      );
      assert.ok(
        lines.includes("Giao Đài truyền thanh phát lại nội dung hướng dẫn hằng tuần trong tháng 4."),
        "corrected",
      );
      assert.ok(
        lines.includes("Hội nghị kết thúc vào 10 giờ 40 phút, ngày 20 tháng 3 năm 2026, biên bản đã được thông qua./."),
        "the closing time",
      );
      assert.ok(!xml.includes("Nguyễn Văn An".normalize("NFD")), "Vietnamese in NFC");
    });

    test("the PDF of the minutes, where LibreOffice is installed", {
      skip: sofficePath() ? false : "no LibreOffice",
    }, async () => {
      const res = await officer.get(`/quan-tri/su-kien/${eventId}/bien-ban.pdf`);
      assert.equal(res.status, 200, "served");
      assert.equal(res.headers.get("content-type"), "application/pdf", "as a PDF");
      const dir = mkdtempSync(path.join(os.tmpdir(), "bien-ban-"));
      try {
        const file = path.join(dir, "bien-ban.pdf");
        writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
        assert.match(text, /BIÊN BẢN/, "the type");
        assert.match(text, /THƯ KÝ\s+CHỦ TRÌ/, "the two signature blocks side by side");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test("nothing of the minutes reaches the public", async () => {
      const page = await (await w.app.request(`/su-kien/${eventId}`)).text();
      const api = await (await w.app.request("/api/v1/events")).text();
      const ics = await (await w.app.request("/su-kien/lich.ics")).text();
      for (const [where, text] of [
        ["the public page", page],
        ["the API", api],
        ["the calendar", ics],
      ] as const) {
        assert.doesNotMatch(text, /Nguyễn Văn An|Trần Thị Bích|quán triệt mục đích/, `${where} shows no minutes`);
      }
      const docs = await w.db.kysely.selectFrom("search_docs").select(["title", "body", "keywords"]).execute();
      assert.ok(docs.length > 0, "the event has its search document");
      for (const d of docs)
        assert.doesNotMatch(
          `${d.title}\n${d.body}\n${d.keywords}`,
          /Nguyễn Văn An|Trần Thị Bích|quán triệt/,
          "the search is given nothing of the minutes",
        );
      assert.equal((await w.app.request(`/quan-tri/su-kien/${eventId}/bien-ban.docx`)).status, 303, "login first");
    });

    test("withdrawn: gone from the search, the minutes closed but kept", async () => {
      const res = await leader.post(`/quan-tri/su-kien/${eventId}/huy`, {
        reason: "Ghi nhận nhầm: hội nghị đã hoãn sang tháng sau",
      });
      assert.equal(res.status, 303, "withdrawn");
      assert.ok(
        !(await search("hoi nghi dang ky cu tru truc tuyen")).some((l) => l.startsWith("/su-kien/")),
        "no longer found",
      );
      const late = await officer.post(
        `/quan-tri/su-kien/${eventId}/bien-ban`,
        minutesForm({ conclusions: "Sửa sau khi hủy." }),
      );
      assert.equal(late.status, 409, "no longer editable");
      assert.match(await late.text(), /Sự kiện đã hủy nên biên bản không sửa được nữa/, "the message says why");
      const page = await (await officer.get(`/quan-tri/su-kien/${eventId}/bien-ban`)).text();
      assert.doesNotMatch(page, /Lưu biên bản/, "no form");
      assert.match(page, /hằng tuần trong tháng 4/, "the minutes as saved");
      assert.equal((await minutesAudits()).length, 5, "nothing more audited");
    });

    test("another ward: its events at /w/{code}/su-kien, its feed, its search; none of it crosses over", async () => {
      const wardB = await setUpOtherWard(w, OTHER_WARD);
      const office = await w.db.kysely
        .selectFrom("org_units")
        .select("id")
        .where("ward_id", "=", wardB)
        .executeTakeFirstOrThrow();
      for (const [username, role] of [
        ["dieuphoi_b", "coordinator"],
        ["lanhdao_b", "leader"],
      ] as const) {
        const made = await createUser(
          w.db.kysely,
          SYSTEM_ACTOR,
          {
            username,
            displayName: `Cán bộ ${username}`,
            password: pw(username),
            role,
            wardId: wardB,
            orgUnitId: role === "coordinator" ? office.id : null,
          },
          w.now(),
        );
        assert.ok(made.ok, `ward B's ${role}`);
      }
      const coordinatorB = await logIn(w.app, "dieuphoi_b", pw("dieuphoi_b"));
      const leaderB = await logIn(w.app, "lanhdao_b", pw("lanhdao_b"));
      const made = await coordinatorB.post(
        "/quan-tri/su-kien/moi",
        eventForm({
          title: "Sinh hoạt chi hội phụ nữ về dịch vụ công trực tuyến",
          kind: "union",
          orgUnitId: String(office.id),
          startsOn: "15/04/2026",
          place: "Hội trường thôn An Ba",
        }),
      );
      assert.equal(made.status, 303, "ward B drafts its event");
      const idB = Number(/\/su-kien\/(\d+)/.exec(made.headers.get("location") ?? "")?.[1]);
      assert.equal((await coordinatorB.post(`/quan-tri/su-kien/${idB}/trinh`, {})).status, 303, "submitted");
      assert.equal((await coordinatorB.post(`/quan-tri/su-kien/${idB}/xem-xet`, {})).status, 303, "reviewed");
      assert.equal((await leaderB.post(`/quan-tri/su-kien/${idB}/duyet`, {})).status, 303, "approved");

      const list = await w.app.request(`/w/${OTHER_WARD}/su-kien`);
      assert.equal(list.status, 200, "ward B's list");
      const listHtml = await list.text();
      assert.match(listHtml, /Sinh hoạt chi hội phụ nữ về dịch vụ công trực tuyến/, "shows its event");
      assert.match(listHtml, new RegExp(`href="/w/${OTHER_WARD}/su-kien/${idB}"`), "linked under its own base");
      assert.match(listHtml, new RegExp(`href="/w/${OTHER_WARD}/su-kien/lich.ics"`), "and its own feed");
      assert.doesNotMatch(listHtml, /đăng ký cư trú trực tuyến/, "not ward A's");
      assert.equal((await w.app.request(`/w/${OTHER_WARD}/su-kien/${idB}`)).status, 200, "its page");
      assert.equal((await w.app.request(`/w/${OTHER_WARD}/su-kien/${eventId}`)).status, 404, "not ward A's event");
      assert.equal((await w.app.request(`/su-kien/${idB}`)).status, 404, "ward A does not show ward B's event");

      const ics = await w.app.request(`/w/${OTHER_WARD}/su-kien/lich.ics`);
      assert.match(ics.headers.get("content-type") ?? "", /^text\/calendar/, "a calendar");
      const events = new ICAL.Component(ICAL.parse(await ics.text()))
        .getAllSubcomponents("vevent")
        .map((v) => new ICAL.Event(v));
      assert.deepEqual(
        events.map((e) => e.summary),
        ["Sinh hoạt chi hội phụ nữ về dịch vụ công trực tuyến"],
        "ward B's feed has its one event",
      );
      assert.equal(events[0]?.startDate.toJSDate().toISOString(), "2026-04-15T01:00:00.000Z", "08:00 in Vietnam");
      const feedA = new ICAL.Component(ICAL.parse(await (await w.app.request("/su-kien/lich.ics")).text()));
      assert.ok(
        !feedA
          .getAllSubcomponents("vevent")
          .some((v) => v.getFirstPropertyValue("summary") === "Sinh hoạt chi hội phụ nữ về dịch vụ công trực tuyến"),
        "ward A's feed does not carry it",
      );
      const api = (await (await w.app.request(`/api/v1/events?ward=${OTHER_WARD}`)).json()) as {
        total: number;
        items: { url: string }[];
      };
      assert.equal(api.total, 1, "the API of ward B");
      assert.equal(api.items[0]?.url, `/w/${OTHER_WARD}/su-kien/${idB}`, "with its address");

      assert.deepEqual(
        await search("sinh hoat chi hoi phu nu", `/w/${OTHER_WARD}`),
        [`/w/${OTHER_WARD}/su-kien/${idB}`],
        "ward B's search finds it",
      );
      assert.ok(
        !(await search("sinh hoat chi hoi phu nu")).some((l) => l.startsWith("/su-kien/")),
        "ward A's does not",
      );
      assert.equal(
        (await coordinatorB.get(`/quan-tri/su-kien/${eventId}/bien-ban.docx`)).status,
        404,
        "ward B's staff do not reach ward A's minutes",
      );
    });
  });
}
