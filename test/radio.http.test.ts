/**
 * The ward radio over HTTP on every database (issue 10 §3): an officer drafts a bulletin (or has it written from the
 * portal's data), the office reviews it and a leader approves it; the speech job (run here through runDueJobs, as the
 * server's runner would) makes an MP3 with espeak-ng's Vietnamese voice from the NFC reading, which ffprobe decodes;
 * the audio is served with range requests, listed in the M3U playlist and the API; logging the broadcast writes
 * exactly one ledger activity (listens estimated from the clusters) however many requests race, and indexes the
 * script for the site search; withdrawing takes both back. Bad input is refused in Vietnamese with nothing written.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { runDueJobs } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { scriptAndReading } from "../src/features/radio/radio.service.ts";
import * as q from "../src/features/radio/radio.sql.ts";
import { speechAvailable } from "../src/features/radio/speech.ts";
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

const NOW = new Date("2026-03-02T03:00:00Z");
const SPEECH = await speechAvailable();
const NO_SPEECH = SPEECH ? false : "espeak-ng (hoặc ffmpeg) chưa được cài trên máy này: bỏ qua kiểm tra giọng đọc";

const SCRIPT =
  "Từ ngày 19/02/2024, UBND phường tiếp nhận hồ sơ TTHC đăng ký thường trú (mã 1.004194) lúc 07:30 các ngày làm việc. Lệ phí 1.500.000 đồng. Xem thêm tại https://dichvucong.gov.vn.";

const ffprobe = (file: string) =>
  JSON.parse(
    execFileSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "format=duration,format_name:stream=codec_name,channels", "-of", "json", file],
      {
        encoding: "utf8",
      },
    ),
  ) as { format: { duration: string; format_name: string }; streams: { codec_name: string }[] };

for (const target of testDatabases()) {
  describe(`radio: drafted, approved, spoken, aired, counted (${target.name})`, () => {
    let w: TestWorld;
    let officer: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let otherOfficer: Browser;
    let radioUnit = 0;
    let bulletinId = 0;
    let longId = 0;
    const jobs = () =>
      runDueJobs({ db: w.db, now: w.now(), log: createLogger("silent"), dataDir: w.dataDir, files: w.files });

    const form = (over: Record<string, string> = {}) => ({
      title: "Bản tin cải cách hành chính sáng 02/3",
      orgUnitId: String(radioUnit),
      broadcastOn: "02/03/2026",
      slot: "morning",
      item1Title: "Tiếp nhận hồ sơ đăng ký thường trú",
      // Typed decomposed (NFD), as some keyboards send it: stored and spoken as NFC.
      item1Script: SCRIPT.normalize("NFD"),
      item2Title: "Lịch tiếp công dân",
      item2Script: "Lãnh đạo HĐND và UBND phường tiếp công dân vào ngày 15 hằng tháng.",
      ...over,
    });

    const flow = async (id: number) => {
      assert.equal((await officer.post(`/quan-tri/phat-thanh/${id}/trinh`, {})).status, 303, "submitted");
      assert.equal((await coordinator.post(`/quan-tri/phat-thanh/${id}/xem-xet`, {})).status, 303, "reviewed");
      assert.equal((await leader.post(`/quan-tri/phat-thanh/${id}/duyet`, {})).status, 303, "approved");
    };

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
        [{ item1Title: "", item1Script: "", item2Title: "", item2Script: "" }, /Bản tin phải có ít nhất một mục/],
        [{ title: "" }, /Nhập tên bản tin|Tên bản tin ít nhất 5 ký tự/],
        [{ item1Script: "x".repeat(5001) }, /Mục 1: nội dung tối đa 5.000 ký tự/],
        [{ item2Title: "" }, /Mục 2: nhập tiêu đề/],
        [{ broadcastOn: "31/02/2026" }, /Ngày phát chưa đúng/],
        [{ slot: "midnight" }, /Chọn buổi phát/],
        [{ orgUnitId: String(w.unitIds.get("justice")) }, /chỉ soạn, sửa bản tin của đơn vị mình/],
        [
          { item2Script: "Mọi thắc mắc xin liên hệ ông Nguyễn Văn Bình, điện thoại 0905 123 456." },
          /Phần “Mục 2: nội dung” được phát và công khai nên không ghi thông tin cá nhân/,
        ],
      ];
      for (const [over, message] of cases) {
        const res = await officer.post("/quan-tri/phat-thanh/moi", form(over));
        assert.equal(res.status, 400, `${JSON.stringify(over).slice(0, 80)} is refused`);
        assert.match(await res.text(), message, `${JSON.stringify(over).slice(0, 80)}: the message says what is wrong`);
      }
      assert.equal(await rowCount(w, "radio_bulletins"), 0, "no bulletin written");
      assert.equal(await rowCount(w, "radio_items"), 0, "no item written");
    });

    test("the new-bulletin form can be written from the portal's data", async () => {
      const res = await officer.get("/quan-tri/phat-thanh/moi?tu-du-lieu=1");
      assert.equal(res.status, 200, "the form opens");
      const html = await res.text();
      assert.match(html, /được viết sẵn từ dữ liệu của cổng/, "it says where the items come from");
      assert.match(html, /văn bản mới có hiệu lực\)/, "documents among the sources");
      // A decision of the ward's library that took effect since the last bulletin is announced with its number.
      const decision = await w.db.kysely
        .selectFrom("legal_documents")
        .select("id")
        .where("ward_id", "=", w.wardId)
        .where("number", "=", "181/QĐ-UBND")
        .executeTakeFirstOrThrow();
      await w.db.kysely
        .updateTable("legal_documents")
        .set({
          title: "Ban hành Kế hoạch cải cách hành chính năm 2026",
          issued_on: "2026-02-20",
          effective_from: "2026-02-20",
          issuer: "Ủy ban nhân dân phường Đức Phổ",
        })
        .where("id", "=", decision.id)
        .execute();
      const drafted = await (await officer.get("/quan-tri/phat-thanh/moi?tu-du-lieu=1")).text();
      assert.match(drafted, /Văn bản mới có hiệu lực/, "an item for the new documents");
      assert.match(
        drafted,
        /số 181\/QĐ-UBND ngày 20\/02\/2026 của Ủy ban nhân dân phường Đức Phổ về Ban hành Kế hoạch cải cách hành chính năm 2026, có hiệu lực từ ngày 20\/02\/2026/,
        "with its number, date, issuer, subject and day of effect",
      );
    });

    test("an officer drafts a bulletin; staff see its script and its reading; not public while a draft", async () => {
      const res = await officer.post("/quan-tri/phat-thanh/moi", form());
      assert.equal(res.status, 303, "the draft is saved");
      bulletinId = Number(/\/phat-thanh\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      assert.ok(bulletinId > 0, "it has an id");
      const items = await q.itemsOf(w.db.kysely, [bulletinId]);
      assert.equal(items.length, 2, "two items, in order");
      assert.equal(items[0]?.script, SCRIPT, "the script is stored as NFC");
      const page = await (await officer.get(`/quan-tri/phat-thanh/${bulletinId}`)).text();
      assert.match(page, /Bản viết/, "the script is shown");
      assert.match(page, /UBND phường tiếp nhận hồ sơ TTHC/, "as written");
      assert.match(
        page,
        /Từ ngày mười chín tháng hai năm hai nghìn không trăm hai mươi tư, Ủy ban nhân dân phường tiếp nhận hồ sơ thủ tục hành chính đăng ký thường trú lúc bảy giờ ba mươi phút/,
        "and its reading: date, abbreviations, time read out, the code left out",
      );
      assert.match(page, /Lệ phí một triệu năm trăm nghìn đồng\. Xem thêm tại\./, "money read, the URL left out");
      assert.equal((await w.app.request(`/phat-thanh/${bulletinId}`)).status, 404, "a draft has no public page");
      const api = (await (await w.app.request("/api/v1/bulletins")).json()) as { total: number };
      assert.equal(api.total, 0, "nor is it in the API");
      assert.equal(
        (await otherOfficer.post(`/quan-tri/phat-thanh/${bulletinId}/trinh`, {})).status,
        403,
        "another unit cannot submit it",
      );
    });

    test("a ward's own abbreviation changes the reading", async () => {
      const bad = await coordinator.post("/quan-tri/phat-thanh/viet-tat", { abbr: "", reading: "x" });
      assert.equal(bad.status, 400, "refused");
      assert.match(await bad.text(), /Chữ viết tắt ít nhất 2 ký tự/);
      const ok = await coordinator.post("/quan-tri/phat-thanh/viet-tat", {
        abbr: "HĐND",
        reading: "Hội đồng nhân dân phường",
      });
      assert.equal(ok.status, 303, "saved");
      const page = await (await officer.get(`/quan-tri/phat-thanh/${bulletinId}`)).text();
      assert.match(
        page,
        /Lãnh đạo Hội đồng nhân dân phường và Ủy ban nhân dân phường tiếp công dân vào ngày mười lăm/,
        "the ward's reading wins",
      );
    });

    test("reviewed and approved: the speech is queued, not made in the request; public with its API entry", async () => {
      await flow(bulletinId);
      const row = await q.bulletinOf(w.db.kysely, [w.wardId], bulletinId);
      assert.equal(row?.audio_state, "queued", "the audio waits for the background job");
      const job = await w.db.kysely
        .selectFrom("jobs")
        .selectAll()
        .where("key", "=", `radio-audio:${bulletinId}`)
        .execute();
      assert.equal(job.length, 1, "one job queued in the approval's transaction");
      assert.equal((await w.app.request(`/phat-thanh/${bulletinId}`)).status, 200, "its public page");
      const api = (await (await w.app.request("/api/v1/bulletins?ward=21439")).json()) as {
        total: number;
        items: { broadcastOn: string; status: string; items: unknown[]; audio: unknown }[];
      };
      assert.equal(api.total, 1, "one bulletin");
      assert.equal(api.items[0]?.broadcastOn, "2026-03-02", "ISO date");
      assert.equal(api.items[0]?.status, "approved");
      assert.equal(api.items[0]?.items.length, 2, "its items");
      assert.equal((await w.app.request("/api/v1/bulletins?x=1")).status, 400, "unknown parameters are refused");
    });

    test("the speech job: an MP3 from espeak-ng's Vietnamese voice reading the NFC text, ffprobe decodes it", {
      skip: NO_SPEECH,
    }, async () => {
      assert.ok((await jobs()) >= 1, "the job ran");
      const row = await q.bulletinOf(w.db.kysely, [w.wardId], bulletinId);
      assert.ok(row, "the bulletin");
      assert.equal(row.audio_state, "ready", `the audio is ready (${row.audio_error ?? ""})`);
      assert.equal(row.audio_origin, "tts", "made by speech");
      assert.equal(row.audio_voice, "vi", "the Vietnamese voice");
      assert.match(
        row.audio_command ?? "",
        /^espeak-ng -v vi -s 150 -b 1 -w <wav> -f <văn bản> \| ffmpeg .*libmp3lame/,
        "the command line is recorded",
      );
      const voices = execFileSync("espeak-ng", ["--voices=vi"], { encoding: "utf8" });
      assert.match(voices, /\bvi\s+--\/M\s+Vietnamese/, "espeak-ng's voice “vi” is Vietnamese");
      const { reading } = await scriptAndReading(w.db.kysely, row);
      assert.equal(reading, reading.normalize("NFC"), "the reading is NFC");
      assert.equal(
        row.audio_text_sha256,
        createHash("sha256").update(reading.normalize("NFC")).digest("hex"),
        "it read exactly the NFC reading staff see",
      );
      // Out of the world's file store (the data folder or the database) into a file ffprobe can read.
      const file = path.join(w.dataDir, "probe.mp3");
      fs.writeFileSync(file, (await w.files.get(row.audio_sha256 as string)) as Uint8Array);
      const probe = ffprobe(file);
      assert.equal(probe.streams[0]?.codec_name, "mp3", "an MP3 stream");
      const seconds = Number(probe.format.duration);
      const words = reading.split(/\s+/).length;
      assert.ok(
        seconds > words * 0.15 && seconds < words * 1.2,
        `${seconds} s for ${words} words is speech at a normal pace`,
      );
      assert.equal(
        Math.round((seconds * 1000) / 100),
        Math.round((row.audio_duration_ms ?? 0) / 100),
        "the stored duration",
      );
    });

    test("a longer bulletin makes longer audio", { skip: NO_SPEECH }, async () => {
      const long = form({
        title: "Bản tin dài về cải cách hành chính",
        item3Title: "Chuyển đổi số",
        item3Script: Array.from({ length: 8 }, () => SCRIPT).join(" "),
      });
      const res = await officer.post("/quan-tri/phat-thanh/moi", long);
      assert.equal(res.status, 303, "saved");
      longId = Number(/\/phat-thanh\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      await flow(longId);
      await jobs();
      const [short, longer] = await Promise.all([
        q.bulletinOf(w.db.kysely, [w.wardId], bulletinId),
        q.bulletinOf(w.db.kysely, [w.wardId], longId),
      ]);
      assert.equal(longer?.audio_state, "ready", "made");
      assert.ok(
        (longer?.audio_duration_ms ?? 0) > 3 * (short?.audio_duration_ms ?? 0),
        "several times the text, several times the audio",
      );
    });

    test("the audio is served with range requests; the page plays it without JavaScript; the playlist lists it", {
      skip: NO_SPEECH,
    }, async () => {
      const row = await q.bulletinOf(w.db.kysely, [w.wardId], bulletinId);
      const url = `/phat-thanh/${bulletinId}/am-thanh.mp3`;
      const full = await w.app.request(url);
      assert.equal(full.status, 200, "the whole file");
      assert.equal(full.headers.get("accept-ranges"), "bytes", "ranges are offered");
      assert.equal(full.headers.get("content-type"), "audio/mpeg");
      const bytes = new Uint8Array(await full.arrayBuffer());
      assert.equal(bytes.length, row?.audio_size, "its size");
      const part = await w.app.request(url, { headers: { Range: "bytes=100-1099" } });
      assert.equal(part.status, 206, "a part");
      assert.equal(part.headers.get("content-range"), `bytes 100-1099/${bytes.length}`, "which part");
      assert.equal(part.headers.get("content-length"), "1000");
      assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes.slice(100, 1100), "the right bytes");
      const tail = await w.app.request(url, { headers: { Range: "bytes=-500" } });
      assert.equal(tail.status, 206, "a suffix range");
      assert.equal(
        tail.headers.get("content-range"),
        `bytes ${bytes.length - 500}-${bytes.length - 1}/${bytes.length}`,
      );
      const open = await w.app.request(url, { headers: { Range: `bytes=${bytes.length - 10}-` } });
      assert.equal((await open.arrayBuffer()).byteLength, 10, "an open-ended range to the end");
      const beyond = await w.app.request(url, { headers: { Range: `bytes=${bytes.length}-` } });
      assert.equal(beyond.status, 416, "a range past the end");
      assert.equal(beyond.headers.get("content-range"), `bytes */${bytes.length}`);
      assert.equal((await w.app.request(`/phat-thanh/${bulletinId}/am-thanh.ogg`)).status, 404, "only its own name");

      const html = await (await w.app.request("/phat-thanh")).text();
      assert.match(html, new RegExp(`<audio controls="" preload="none" src="${url}">`), "an audio player");
      assert.match(html, new RegExp(`<a href="${url}" download="">`), "and a download link");
      const vtt = await (await w.app.request(`/phat-thanh/${bulletinId}/phu-de.vtt`)).text();
      assert.match(vtt, /^WEBVTT\n\n00:00:00\.000 --> /, "captions of the script");
      const m3u = await w.app.request("/phat-thanh/danh-sach.m3u");
      const text = await m3u.text();
      assert.match(m3u.headers.get("content-type") ?? "", /^audio\/x-mpegurl/, "an M3U playlist");
      assert.match(text, /^#EXTM3U\r\n/, "with its header");
      assert.match(
        text,
        new RegExp(`#EXTINF:\\d+,Bản tin cải cách hành chính sáng 02/3 \\(02/03/2026\\)\\r\\nhttp[^\\r]*${url}`),
        "listing the audio",
      );
    });

    test("a human recording is checked by its content", async () => {
      const notAudio = new FormData();
      notAudio.set("recording", new File([new TextEncoder().encode("<html>không phải âm thanh</html>")], "ghi-am.mp3"));
      const res = await officer.post(`/quan-tri/phat-thanh/${bulletinId}/ghi-am`, notAudio);
      assert.equal(res.status, 400, "refused");
      assert.match(await res.text(), /không phải bản ghi âm được chấp nhận/);
      const fake = new FormData();
      fake.set("recording", new File([new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3])], "hong.mp3"));
      const broken = await officer.post(`/quan-tri/phat-thanh/${bulletinId}/ghi-am`, fake);
      assert.equal(broken.status, 400, "an MP3 header with nothing to decode is refused");
      if (SPEECH) {
        const sha = (await q.bulletinOf(w.db.kysely, [w.wardId], longId))?.audio_sha256 ?? "";
        const mp3 = (await w.files.get(sha)) as Uint8Array<ArrayBuffer>;
        const good = new FormData();
        good.set("recording", new File([mp3], "doc-tay.mp3"));
        const up = await officer.post(`/quan-tri/phat-thanh/${longId}/ghi-am`, good);
        assert.equal(up.status, 303, "a real recording is kept");
        const after = await q.bulletinOf(w.db.kysely, [w.wardId], longId);
        assert.equal(after?.audio_origin, "upload", "recorded as a human recording");
        assert.ok((after?.audio_duration_ms ?? 0) > 0, "its duration read by ffprobe");
      }
    });

    test("aired through clusters: one ledger activity with the listens, however many requests race; found by the search", async () => {
      const none = await officer.post(`/quan-tri/phat-thanh/${bulletinId}/da-phat`, {
        airedOn: "02/03/2026",
        airedAt: "06:30",
        durationMinutes: "5",
      });
      assert.equal(none.status, 400, "a cluster is needed");
      assert.match(await none.text(), /Chọn ít nhất một cụm loa/);
      const badCluster = await officer.post("/quan-tri/phat-thanh/cum-loa", {
        name: "Cụm 1",
        place: "",
        audience: "-3",
      });
      assert.equal(badCluster.status, 400, "a bad audience is refused");
      const added: [string, string][] = [
        ["Cụm loa tổ dân phố 1", "1.200"],
        ["Cụm loa chợ phường", "800"],
      ];
      for (const [name, audience] of added)
        assert.equal(
          (await officer.post("/quan-tri/phat-thanh/cum-loa", { name, place: "", audience })).status,
          303,
          `${name} added`,
        );
      const clusters = await q.clustersOf(w.db.kysely, w.wardId);
      const body = () => {
        const f = new FormData();
        f.set("airedOn", "02/03/2026");
        f.set("airedAt", "06:30");
        f.set("durationMinutes", "5");
        for (const c of clusters) f.append("clusterIds", String(c.id));
        return f;
      };
      const future = body();
      future.set("airedOn", "03/03/2026");
      assert.equal(
        (await officer.post(`/quan-tri/phat-thanh/${bulletinId}/da-phat`, future)).status,
        400,
        "not in the future",
      );
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => officer.post(`/quan-tri/phat-thanh/${bulletinId}/da-phat`, body())),
      );
      assert.equal(answers.filter((r) => r.status === 303).length, 1, "one request wins");
      const broadcasts = await w.db.kysely
        .selectFrom("radio_broadcasts")
        .selectAll()
        .where("bulletin_id", "=", bulletinId)
        .execute();
      assert.equal(broadcasts.length, 1, "one broadcast logged");
      const rows = await w.db.kysely
        .selectFrom("activities")
        .selectAll()
        .where("source", "=", "radio")
        .where("source_ref", "=", String(broadcasts[0]?.id))
        .execute();
      assert.equal(rows.length, 1, "exactly one ledger activity");
      assert.equal(rows[0]?.audience, 2000, "listens: the clusters' audiences summed");
      assert.equal(rows[0]?.channel_kind, "radio", "the radio channel");
      assert.equal(rows[0]?.occurred_on, "2026-03-02");
      const log = await (await officer.get("/quan-tri/phat-thanh")).text();
      assert.match(log, /Cụm loa chợ phường; Cụm loa tổ dân phố 1/, "the broadcast log names the clusters");
      const found = await (
        await w.app.request("/tim-kiem?q=dang%20ky%20thuong%20tru%20phat%20thanh&loai=radio")
      ).text();
      assert.match(found, new RegExp(`/phat-thanh/${bulletinId}`), "the aired script is found by the folded search");
    });

    test("withdrawn: the activity and the search entry are taken back, the public no longer lists it", async () => {
      const res = await leader.post(`/quan-tri/phat-thanh/${bulletinId}/huy`, {
        reason: "Phát nhầm bản tin của tuần trước",
      });
      assert.equal(res.status, 303, "withdrawn");
      const left = await w.db.kysely.selectFrom("activities").select("id").where("source", "=", "radio").execute();
      assert.equal(left.length, 0, "the ledger no longer counts it");
      assert.equal((await w.app.request(`/phat-thanh/${bulletinId}`)).status, 404, "no public page");
      assert.equal((await w.app.request(`/phat-thanh/${bulletinId}/am-thanh.mp3`)).status, 404, "no audio");
      const found = await (
        await w.app.request("/tim-kiem?q=dang%20ky%20thuong%20tru%20phat%20thanh&loai=radio")
      ).text();
      assert.doesNotMatch(found, new RegExp(`/phat-thanh/${bulletinId}"`), "not found by the search");
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
      assert.equal(
        (await intruder.get(`/quan-tri/phat-thanh/${longId || bulletinId}`)).status,
        404,
        "not found for ward B",
      );
      for (const step of ["trinh", "xem-xet", "duyet", "da-phat", "huy", "tra-lai", "ghi-am", "tao-am-thanh"]) {
        const res = await intruder.post(`/quan-tri/phat-thanh/${longId || bulletinId}/${step}`, {
          reason: "Phường B can thiệp vào",
        });
        assert.equal(res.status, 404, `${step} by ward B: not found`);
      }
      const theirs = await w.app.request("/w/21451/phat-thanh");
      assert.equal(theirs.status, 200, "ward B's radio page");
      assert.doesNotMatch(await theirs.text(), /Bản tin dài về cải cách/, "without ward A's bulletins");
      const api = (await (await w.app.request("/api/v1/bulletins?ward=21451")).json()) as { total: number };
      assert.equal(api.total, 0, "nor in ward B's API");
      const m3u = await (await w.app.request("/w/21451/phat-thanh/danh-sach.m3u")).text();
      assert.equal(m3u.trim().split("\r\n").length, 2, "an empty playlist is still a playlist");
    });
  });
}
