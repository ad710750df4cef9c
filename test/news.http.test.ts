/**
 * News and good models over HTTP on every database (issue 10 §2): an officer drafts an article of their own unit
 * (each save a version, compared on a staff page), adds a photo (re-encoded without its GPS metadata), the office
 * reviews it, a leader approves and it is published — exactly one ledger activity however many approvals race, the
 * public list, page, RSS feed (parsed) and API show it, the search finds it, its views become the activity's
 * audience; a scheduled one is published by the job when its time comes; withdrawing takes it all back. Bad input is
 * refused in Vietnamese with nothing written; another ward's staff reach none of it. Posters and banners are one
 * activity each, with a photo.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import sharp from "sharp";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { runDueJobs } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { flushNewsViews } from "../src/features/news/news.views-count.ts";
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
import { gpsJpeg as makeGpsJpeg, photoForm } from "./helpers/photos.ts";

const NOW = new Date("2026-03-02T03:00:00Z");
const LATER = new Date("2026-03-05T01:00:00Z");

const BODY = [
  "Từ ngày 01/3/2026, người dân phường có thể nộp hồ sơ đăng ký thường trú trực tuyến.",
  "",
  "## Cách làm",
  "",
  "- Đăng nhập Cổng dịch vụ công bằng tài khoản VNeID",
  "- Chọn thủ tục **đăng ký thường trú**",
  "",
  "Xem thêm tại [Cổng dịch vụ công quốc gia](https://dichvucong.gov.vn). <script>alert(1)</script>",
].join("\n");

const feedOf = async (res: Response) => {
  const xml = await res.text();
  assert.equal(XMLValidator.validate(xml), true, "the feed is well-formed XML");
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
    rss: { "@_version": string; channel: Record<string, unknown> & { item?: unknown } };
  };
  assert.equal(doc.rss["@_version"], "2.0", "RSS 2.0");
  for (const el of ["title", "link", "description"])
    assert.ok(doc.rss.channel[el], `the channel has its required <${el}>`);
  const items = doc.rss.channel.item;
  return (items == null ? [] : Array.isArray(items) ? items : [items]) as Record<string, string>[];
};

for (const target of testDatabases()) {
  describe(`news: drafted, reviewed, approved, published, counted, withdrawn (${target.name})`, () => {
    let w: TestWorld;
    let officer: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let otherOfficer: Browser;
    let radioUnit = 0;
    let areaId = 0;
    let articleId = 0;
    let gpsJpeg: Buffer;

    const form = (over: Record<string, string> = {}) => {
      const f = new FormData();
      const fields: Record<string, string> = {
        kind: "news",
        title: "Phường triển khai đăng ký thường trú trực tuyến",
        summary: "Người dân nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công, không phải đến trụ sở.",
        body: BODY,
        orgUnitId: String(radioUnit),
        ...over,
      };
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      f.append("areaIds", String(areaId));
      return f;
    };
    const activities = (source: string, ref: number) =>
      w.db.kysely
        .selectFrom("activities")
        .selectAll()
        .where("source", "=", source)
        .where("source_ref", "=", String(ref))
        .execute();

    before(async () => {
      w = await createWorld(target, { now: NOW });
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
      gpsJpeg = await makeGpsJpeg();
    });
    after(async () => w.cleanup());

    test("bad input is refused in Vietnamese and writes nothing", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ title: "" }, /Nhập tiêu đề|Tiêu đề ít nhất 5 ký tự/],
        [{ title: "x".repeat(201) }, /Tiêu đề tối đa 200 ký tự/],
        [{ summary: "" }, /Tóm tắt ít nhất 10 ký tự|Nhập tóm tắt/],
        [{ body: "   " }, /Nội dung bài ít nhất 30 ký tự/],
        [{ body: "Bài rất dài. ".repeat(5000) }, /Nội dung bài tối đa 50.000 ký tự/],
        [{ kind: "quang-cao" }, /Chọn loại bài/],
        [{ orgUnitId: String(w.unitIds.get("justice")) }, /chỉ viết, sửa bài của đơn vị mình/],
        [{ orgUnitId: "999999" }, /không thuộc phường, xã này/],
        [
          { body: `${BODY}\n\nCần hỏi thêm liên hệ ông Nguyễn Văn Bình, điện thoại 0905 123 456.` },
          /Phần “Nội dung bài” được công khai nên không ghi thông tin cá nhân/,
        ],
      ];
      for (const [over, message] of cases) {
        const res = await officer.post("/quan-tri/tin-tuc/moi", form(over));
        assert.equal(res.status, 400, `${JSON.stringify(over).slice(0, 80)} is refused`);
        assert.match(await res.text(), message, `${JSON.stringify(over).slice(0, 80)}: the message says what is wrong`);
      }
      assert.equal(await rowCount(w, "news_articles"), 0, "no article written");
      assert.equal(await rowCount(w, "news_versions"), 0, "no version written");
    });

    test("an officer drafts an article, corrects it as a new version, and the two compare; not public as a draft", async () => {
      const res = await officer.post("/quan-tri/tin-tuc/moi", form());
      assert.equal(res.status, 303, "the draft is saved");
      articleId = Number(/\/tin-tuc\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      assert.ok(articleId > 0, "it has an id");
      const edited = await officer.post(
        `/quan-tri/tin-tuc/${articleId}/sua`,
        form({ body: `${BODY}\n\nHồ sơ được giải quyết trong 07 ngày làm việc.` }),
      );
      assert.equal(edited.status, 303, "the correction is saved");
      const versions = await w.db.kysely
        .selectFrom("news_versions")
        .select("version_no")
        .where("article_id", "=", articleId)
        .execute();
      assert.deepEqual(versions.map((v) => v.version_no).sort(), [1, 2], "both versions are kept");
      const cmp = await (await officer.get(`/quan-tri/tin-tuc/${articleId}/so-sanh?tu=1&den=2`)).text();
      assert.match(
        cmp,
        /<ins class="diff">\+ Hồ sơ được giải quyết trong 07 ngày làm việc.<\/ins>/,
        "the added line is shown",
      );
      assert.match(cmp, /Tiêu đề \(không đổi\)/, "an unchanged part says so");
      assert.equal(
        (await officer.get(`/quan-tri/tin-tuc/${articleId}/so-sanh?tu=1&den=9`)).status,
        400,
        "no such version",
      );
      const page = await (await officer.get(`/quan-tri/tin-tuc/${articleId}`)).text();
      assert.match(page, /Dự thảo/, "its status");
      assert.doesNotMatch(page, /<script>alert/, "typed HTML is never passed through");
      assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, "it is shown as text");
      assert.match(page, /<a href="https:\/\/dichvucong.gov.vn" rel="noopener nofollow">/, "an https link is a link");
      assert.equal((await w.app.request(`/tin-tuc/${articleId}`)).status, 404, "a draft has no public page");
      const api = (await (await w.app.request("/api/v1/news")).json()) as { total: number };
      assert.equal(api.total, 0, "nor is it in the API");
    });

    test("photos: not an image or no alt text refused; a phone photo is stored smaller and without its GPS position", async () => {
      const files = await rowCount(w, "stored_files");
      const notImage = await officer.post(
        `/quan-tri/tin-tuc/${articleId}/anh`,
        photoForm(Buffer.from("%PDF-1.4 giả làm ảnh"), "Người dân nộp hồ sơ tại bộ phận một cửa"),
      );
      assert.equal(notImage.status, 400, "a file that is not an image is refused");
      assert.match(await notImage.text(), /Tệp không phải là ảnh/);
      const noAlt = await officer.post(`/quan-tri/tin-tuc/${articleId}/anh`, photoForm(gpsJpeg, ""));
      assert.equal(noAlt.status, 400, "alt text is required");
      assert.match(await noAlt.text(), /Mô tả ảnh ít nhất 5 ký tự|Nhập mô tả ảnh/);
      assert.equal(await rowCount(w, "news_photos"), 0, "no photo written");
      assert.equal(await rowCount(w, "stored_files"), files, "no file written");
      const intruder = await otherOfficer.post(
        `/quan-tri/tin-tuc/${articleId}/anh`,
        photoForm(gpsJpeg, "Ảnh của đơn vị khác"),
      );
      assert.equal(intruder.status, 403, "another unit's officer adds no photo");

      const ok = await officer.post(
        `/quan-tri/tin-tuc/${articleId}/anh`,
        photoForm(gpsJpeg, "Người dân nộp hồ sơ tại bộ phận một cửa"),
      );
      assert.equal(ok.status, 303, "the photo is added");
      const photo = await w.db.kysely.selectFrom("news_photos").selectAll().executeTakeFirstOrThrow();
      assert.equal(photo.width, 1600, "scaled down");
      const staffCopy = await officer.get(`/quan-tri/tin-tuc/anh/${photo.id}`);
      assert.equal(staffCopy.status, 200, "staff see it before publication");
      const meta = await sharp(Buffer.from(await staffCopy.arrayBuffer())).metadata();
      assert.equal(meta.exif, undefined, "no EXIF, so no GPS position");
      assert.equal((await w.app.request(`/tin-tuc/anh/${photo.id}`)).status, 404, "the public does not see it yet");
    });

    test("submitted, reviewed, approved by a leader: published once however many approvals race", async () => {
      assert.equal(
        (await otherOfficer.post(`/quan-tri/tin-tuc/${articleId}/trinh`, {})).status,
        403,
        "not another unit's",
      );
      assert.equal((await officer.post(`/quan-tri/tin-tuc/${articleId}/trinh`, {})).status, 303, "submitted");
      assert.equal(
        (await officer.post(`/quan-tri/tin-tuc/${articleId}/sua`, form())).status,
        409,
        "no edit once submitted",
      );
      assert.equal(
        (await leader.post(`/quan-tri/tin-tuc/${articleId}/duyet`, {})).status,
        409,
        "no approval before review",
      );
      assert.equal(
        (await officer.post(`/quan-tri/tin-tuc/${articleId}/xem-xet`, {})).status,
        403,
        "an officer does not review",
      );
      assert.equal((await coordinator.post(`/quan-tri/tin-tuc/${articleId}/xem-xet`, {})).status, 303, "reviewed");
      assert.equal(
        (await coordinator.post(`/quan-tri/tin-tuc/${articleId}/duyet`, {})).status,
        403,
        "only a leader approves",
      );
      const badTime = await leader.post(`/quan-tri/tin-tuc/${articleId}/duyet`, { publishAt: "31/02/2026 07:00" });
      assert.equal(badTime.status, 400, "a bad time is refused");
      assert.match(await badTime.text(), /Thời điểm đăng chưa đúng/);

      const answers = await Promise.all(
        Array.from({ length: 8 }, () => leader.post(`/quan-tri/tin-tuc/${articleId}/duyet`, { publishAt: "" })),
      );
      assert.equal(answers.filter((r) => r.status === 303).length, 1, "one approval wins");
      const rows = await activities("news", articleId);
      assert.equal(rows.length, 1, "exactly one ledger activity");
      const a = rows[0] as (typeof rows)[number];
      assert.equal(a.channel_kind, "web_portal", "the ward's website");
      assert.equal(a.occurred_on, "2026-03-02", "on the day it was published");
      assert.equal(a.org_unit_id, radioUnit, "under the writing unit");
      assert.equal(a.audience, 0, "no views yet");
      assert.ok(a.pillar, "under the pillar of the content area chosen");
    });

    test("in public: list, page with its photo, RSS feed, API with ISO dates, home page, search", async () => {
      const list = await (await w.app.request("/tin-tuc")).text();
      assert.match(list, /Phường triển khai đăng ký thường trú trực tuyến/, "listed");
      const page = await (await w.app.request(`/tin-tuc/${articleId}`)).text();
      assert.match(page, /<h2>Cách làm<\/h2>/, "the body's Markdown is rendered");
      assert.doesNotMatch(page, /<script>alert/, "and its typed HTML escaped");
      assert.match(page, /alt="Người dân nộp hồ sơ tại bộ phận một cửa"/, "the photo with its alt text");
      const photo = await w.db.kysely.selectFrom("news_photos").select("id").executeTakeFirstOrThrow();
      assert.equal((await w.app.request(`/tin-tuc/anh/${photo.id}`)).status, 200, "the photo is public now");

      const items = await feedOf(await w.app.request("/tin-tuc/feed.xml"));
      assert.equal(items.length, 1, "one item in the feed");
      assert.equal(items[0]?.title, "Phường triển khai đăng ký thường trú trực tuyến");
      assert.match(items[0]?.link ?? "", new RegExp(`/tin-tuc/${articleId}$`), "an absolute link to the page");
      assert.ok(!Number.isNaN(Date.parse(items[0]?.pubDate ?? "")), "a readable publication date");

      const api = (await (await w.app.request("/api/v1/news")).json()) as {
        total: number;
        items: { id: number; publishedAt: string; kind: string; photos: { alt: string }[] }[];
      };
      assert.equal(api.total, 1, "one article");
      assert.equal(api.items[0]?.publishedAt, NOW.toISOString(), "ISO instant");
      assert.equal(api.items[0]?.photos[0]?.alt, "Người dân nộp hồ sơ tại bộ phận một cửa", "photos with alt text");
      assert.equal((await w.app.request("/api/v1/news?kind=quangcao")).status, 400, "a bad kind is a 400");
      assert.equal(
        ((await (await w.app.request("/api/v1/news?kind=model")).json()) as { total: number }).total,
        0,
        "the kind filter applies",
      );

      const home = await (await w.app.request("/")).text();
      assert.match(home, /Tin tức mới[\s\S]*Phường triển khai đăng ký thường trú trực tuyến/, "the home page shows it");
      const found = await (await w.app.request("/tim-kiem?q=dang+ky+thuong+tru+truc+tuyen")).text();
      assert.match(found, new RegExp(`/tin-tuc/${articleId}`), "the search finds it without tone marks");
    });

    test("views of the public page become the activity's audience, without a write per view", async () => {
      for (let i = 0; i < 3; i++) assert.equal((await w.app.request(`/tin-tuc/${articleId}`)).status, 200, "viewed");
      assert.equal((await w.app.request(`/w/21439/tin-tuc/${articleId}`)).status, 200, "viewed under the ward's path");
      const before = await w.db.kysely
        .selectFrom("news_articles")
        .select("views")
        .where("id", "=", articleId)
        .executeTakeFirstOrThrow();
      assert.ok(before.views < 4, "not written at each view");
      await flushNewsViews(w.db);
      const after = await w.db.kysely
        .selectFrom("news_articles")
        .select("views")
        .where("id", "=", articleId)
        .executeTakeFirstOrThrow();
      assert.ok(after.views >= 4, "the views are saved");
      const [a] = await activities("news", articleId);
      assert.equal(a?.audience, after.views, "the ledger counts the views as its audience");
      const staff = await (await officer.get(`/quan-tri/tin-tuc/${articleId}`)).text();
      assert.match(staff, /số lượt xem trang bài/, "the staff page says what the audience counts");
    });

    let scheduledId = 0;
    test("approved for a later time: published by the job when the time comes, not before", async () => {
      const res = await officer.post(
        "/quan-tri/tin-tuc/moi",
        form({ kind: "model", title: "Mô hình “Tổ dân phố không giấy tờ” ở tổ dân phố 3" }),
      );
      scheduledId = Number(/\/tin-tuc\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      await officer.post(`/quan-tri/tin-tuc/${scheduledId}/trinh`, {});
      await coordinator.post(`/quan-tri/tin-tuc/${scheduledId}/xem-xet`, {});
      const approved = await leader.post(`/quan-tri/tin-tuc/${scheduledId}/duyet`, { publishAt: "05/03/2026 07:30" });
      assert.equal(approved.status, 303, "approved for later");
      const row = await w.db.kysely
        .selectFrom("news_articles")
        .select(["status", "publish_at"])
        .where("id", "=", scheduledId)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, "scheduled", "waiting");
      assert.equal(row.publish_at, "2026-03-05T00:30:00.000Z", "07:30 in Vietnam");
      assert.equal((await w.app.request(`/tin-tuc/${scheduledId}`)).status, 404, "not public before its time");
      const jobsAt = (now: Date) =>
        runDueJobs({ db: w.db, now, log: createLogger("silent"), dataDir: w.dataDir, files: w.files });
      assert.equal(await jobsAt(NOW), 0, "nothing due yet");
      assert.equal((await activities("news", scheduledId)).length, 0, "not counted yet");
      const cachedList = await (await w.app.request("/tin-tuc")).text();
      assert.doesNotMatch(cachedList, /Tổ dân phố không giấy tờ/, "not listed yet");

      w.setNow(LATER);
      assert.equal(await jobsAt(LATER), 1, "the publication job ran when due");
      assert.equal(await jobsAt(LATER), 0, "once");
      const row2 = await w.db.kysely
        .selectFrom("news_articles")
        .select(["status", "published_at"])
        .where("id", "=", scheduledId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        row2,
        { status: "published", published_at: "2026-03-05T00:30:00.000Z" },
        "published at the time set",
      );
      const list = await (await w.app.request("/tin-tuc")).text();
      assert.match(list, /Tổ dân phố không giấy tờ/, "the cached list changed with the publication");
      const rows = await activities("news", scheduledId);
      assert.equal(rows.length, 1, "one ledger activity");
      assert.equal(rows[0]?.occurred_on, "2026-03-05", "on the day it was published");
      const items = await feedOf(await w.app.request("/tin-tuc/feed.xml"));
      assert.equal(items.length, 2, "the feed has it");
      officer = await logIn(w.app, "daitt", pw("daitt"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));

      // Withdrawn while waiting: its queued publication is cancelled, and nothing is published when the time comes.
      const third = await officer.post(
        "/quan-tri/tin-tuc/moi",
        form({ title: "Bài hẹn giờ sẽ được gỡ trước khi đăng" }),
      );
      const thirdId = Number(/\/tin-tuc\/(\d+)/.exec(third.headers.get("location") ?? "")?.[1]);
      await officer.post(`/quan-tri/tin-tuc/${thirdId}/trinh`, {});
      await coordinator.post(`/quan-tri/tin-tuc/${thirdId}/xem-xet`, {});
      assert.equal(
        (await leader.post(`/quan-tri/tin-tuc/${thirdId}/duyet`, { publishAt: "10/03/2026 07:00" })).status,
        303,
        "approved for later",
      );
      const queued = () =>
        w.db.kysely
          .selectFrom("jobs")
          .select("id")
          .where("key", "=", `news-publish:${thirdId}`)
          .where("status", "=", "queued")
          .execute();
      assert.equal((await queued()).length, 1, "its publication is queued");
      assert.equal(
        (await leader.post(`/quan-tri/tin-tuc/${thirdId}/go`, { reason: "Nội dung trùng với bài đã đăng trước" }))
          .status,
        303,
        "withdrawn before its time",
      );
      assert.equal((await queued()).length, 0, "its publication is cancelled");
      assert.equal(await jobsAt(new Date("2026-03-11T00:00:00Z")), 0, "nothing runs when the time comes");
      assert.equal((await activities("news", thirdId)).length, 0, "never counted");
    });

    test("withdrawn with a reason: no longer counted, public, in the feed or found", async () => {
      const short = await leader.post(`/quan-tri/tin-tuc/${articleId}/go`, { reason: "sai" });
      assert.equal(short.status, 400, "a reason is needed");
      assert.match(await short.text(), /Lý do ít nhất 10 ký tự/);
      assert.equal(
        (await officer.post(`/quan-tri/tin-tuc/${articleId}/go`, { reason: "Đơn vị tự gỡ bài viết" })).status,
        403,
        "an officer does not withdraw",
      );
      const res = await leader.post(`/quan-tri/tin-tuc/${articleId}/go`, {
        reason: "Thông tin về thời hạn giải quyết chưa chính xác",
      });
      assert.equal(res.status, 303, "withdrawn");
      assert.equal((await activities("news", articleId)).length, 0, "the ledger no longer counts it");
      assert.equal((await activities("news", scheduledId)).length, 1, "the other article still counts");
      assert.equal((await w.app.request(`/tin-tuc/${articleId}`)).status, 404, "its page is gone");
      const items = await feedOf(await w.app.request("/tin-tuc/feed.xml"));
      assert.deepEqual(
        items.map((i) => (i.link ?? "").replace(/.*\/tin-tuc\//, "")),
        [String(scheduledId)],
        "the feed has only the other",
      );
      const found = await (await w.app.request("/tim-kiem?q=dang+ky+thuong+tru+truc+tuyen")).text();
      assert.doesNotMatch(found, new RegExp(`/tin-tuc/${articleId}"`), "the search no longer finds it");
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("action", "=", "activity.withdraw")
        .execute();
      assert.equal(audits.length, 1, "the withdrawal is audited");
    });

    test("posters and banners: one ledger activity each with its photo; bad input writes nothing", async () => {
      const poster = (over: Record<string, string>, photo: Uint8Array | null) => {
        const f = new FormData();
        const fields: Record<string, string> = {
          kind: "banner",
          title: "Cải cách hành chính vì nhân dân phục vụ",
          place: "Trước trụ sở UBND phường",
          putUpOn: "04/03/2026",
          quantity: "3",
          cost: "1.200.000",
          orgUnitId: String(radioUnit),
          alt: "Băng rôn treo trước trụ sở",
          ...over,
        };
        for (const [k, v] of Object.entries(fields)) f.set(k, v);
        f.append("areaIds", String(areaId));
        if (photo) f.set("photo", new File([new Uint8Array(photo)], "bangron.jpg", { type: "image/jpeg" }));
        return f;
      };
      const cases: [Record<string, string>, Uint8Array | null, RegExp][] = [
        [{}, null, /Chọn ảnh chụp băng rôn/],
        [{}, Buffer.from("không phải ảnh"), /Tệp không phải là ảnh/],
        [{ place: "" }, gpsJpeg, /Nhập địa điểm treo, dựng/],
        [{ quantity: "0" }, gpsJpeg, /Số lượng là số nguyên từ 1/],
        [{ putUpOn: "30/02/2026" }, gpsJpeg, /Ngày treo, dựng chưa đúng/],
      ];
      for (const [over, photo, message] of cases) {
        const res = await officer.post("/quan-tri/tin-tuc/bang-ron", poster(over, photo));
        assert.equal(res.status, 400, `${message} refused`);
        assert.match(await res.text(), message, "the message says what is wrong");
      }
      assert.equal(await rowCount(w, "news_posters"), 0, "no poster written");
      const ok = await officer.post("/quan-tri/tin-tuc/bang-ron", poster({}, gpsJpeg));
      assert.equal(ok.status, 303, "recorded");
      const p = await w.db.kysely.selectFrom("news_posters").selectAll().executeTakeFirstOrThrow();
      const rows = await activities("poster", p.id);
      assert.equal(rows.length, 1, "one ledger activity");
      assert.equal(rows[0]?.channel_kind, "banner_poster");
      assert.equal(rows[0]?.cost, 1_200_000);
      assert.equal(rows[0]?.place, "Trước trụ sở UBND phường");
      const file = await officer.get(`/quan-tri/tep/${p.file_id}`);
      assert.equal(file.status, 200, "its photo is kept as evidence for staff");
      assert.equal((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).exif, undefined, "without metadata");
    });

    test("another ward's staff reach none of it; its public pages and feed are its own, and valid when empty", async () => {
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
      assert.equal((await intruder.get(`/quan-tri/tin-tuc/${scheduledId}`)).status, 404, "not found for ward B");
      const before = await w.db.kysely
        .selectFrom("news_articles")
        .selectAll()
        .where("id", "=", scheduledId)
        .executeTakeFirst();
      for (const step of ["trinh", "xem-xet", "duyet", "go", "tra-lai"]) {
        const res = await intruder.post(`/quan-tri/tin-tuc/${scheduledId}/${step}`, {
          reason: "Phường B can thiệp vào",
        });
        assert.equal(res.status, 404, `${step} by ward B: not found`);
      }
      const afterwards = await w.db.kysely
        .selectFrom("news_articles")
        .selectAll()
        .where("id", "=", scheduledId)
        .executeTakeFirst();
      assert.deepEqual(afterwards, before, "the article is unchanged");
      assert.equal(
        (await w.app.request(`/w/21451/tin-tuc/${scheduledId}`)).status,
        404,
        "ward B's path does not show it",
      );
      const theirs = await (await w.app.request("/w/21451/tin-tuc")).text();
      assert.match(theirs, /Chưa có bài nào được đăng/, "ward B's list is empty");
      assert.equal(
        (await feedOf(await w.app.request("/w/21451/tin-tuc/feed.xml"))).length,
        0,
        "an empty feed is valid",
      );
      const api = (await (await w.app.request("/api/v1/news?ward=21451")).json()) as { total: number };
      assert.equal(api.total, 0, "ward B's API is its own");
    });
  });
}
