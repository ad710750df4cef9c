/**
 * The ward profile over HTTP on every database: the ward's administrator writes its desk's address, hours, hotline,
 * e-mail and map link (validated with Vietnamese messages, nothing saved on a bad field, audited, CSRF); every
 * public page's footer shows them, a procedure page gives them as "Nơi tiếp nhận" unless the procedure has its own
 * local address, and another ward's pages show none of it.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { type Browser, createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const PROFILE = {
  address: "Bộ phận Một cửa, UBND phường Đức Phổ, số 1 Nguyễn Nghiêm",
  deskHours: "Sáng thứ Hai đến thứ Sáu: 7 giờ 00 – 11 giờ 30\n\nChiều: 13 giờ 30 – 17 giờ 00",
  hotline: "0255 3 859 123",
  email: "motcua@ducpho.quangngai.gov.vn",
  mapUrl: "https://www.openstreetmap.org/?mlat=14.81&mlon=108.96",
};
/** Two real procedures: one the ward gives its own address, one it does not. */
const CODES = ["1.000253", "1.001193"];

for (const target of testDatabases()) {
  describe(`ward profile (${target.name})`, () => {
    let w: TestWorld;
    let admin: Browser;
    let coordinator: Browser;

    before(async () => {
      w = await createWorld(target);
      const rows = fs
        .readFileSync(path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((r) => CODES.includes(String(r.ma_thu_tuc)))
        .map((raw, i) => ({ line: i + 1, raw }));
      const r = await importProcedures(w.db.kysely, SYSTEM_ACTOR, rows, [], {
        dryRun: false,
        today: vnToday(w.now()),
        now: w.now(),
      });
      assert.ok(r.ok, "the procedures are imported");
      await w.createStaff("quantri", "admin");
      await w.createStaff("dieuphoi", "coordinator", "office");
      admin = await logIn(w.app, "quantri", pw("quantri"));
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
    });
    after(async () => w.cleanup());

    const html = async (p: string) => (await w.app.request(p)).text();
    const saved = () => w.db.kysely.selectFrom("ward_profiles").selectAll().execute();

    test("before any profile, no contact block and the national record's place", async () => {
      const home = await html("/");
      assert.doesNotMatch(home, /Liên hệ Phường Đức Phổ/);
      assert.match(await html("/thu-tuc/1.000253"), /<dt>Nơi tiếp nhận<\/dt><dd>Công an Xã<\/dd>/);
    });

    test("only the ward's administrator edits it, with a CSRF token", async () => {
      assert.equal((await coordinator.get("/quan-tri/ho-so-phuong")).status, 403);
      assert.equal((await coordinator.post("/quan-tri/ho-so-phuong", PROFILE)).status, 403);
      const noToken = await w.app.request("/quan-tri/ho-so-phuong", {
        method: "POST",
        body: new URLSearchParams(PROFILE),
        headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(noToken.status, 403);
      const anonymous = await w.app.request("/quan-tri/ho-so-phuong");
      assert.equal(anonymous.status, 303);
      assert.deepEqual(await saved(), [], "nothing saved");
    });

    test("bad fields come back with Vietnamese messages and nothing is saved", async () => {
      const res = await admin.post("/quan-tri/ho-so-phuong", {
        ...PROFILE,
        hotline: "gọi số 113",
        email: "motcua@",
        mapUrl: "http://maps.example/ducpho",
      });
      assert.equal(res.status, 400);
      const page = await res.text();
      assert.match(page, /Số điện thoại đường dây nóng chỉ gồm chữ số/);
      assert.match(page, /Thư điện tử không đúng dạng/);
      assert.match(page, /Đường dẫn bản đồ phải là một địa chỉ bắt đầu bằng https:\/\//);
      assert.match(page, /href="#hotline"/, "the error summary links to the field");
      assert.match(page, /value="gọi số 113"/, "what was typed is kept");
      assert.deepEqual(await saved(), [], "nothing saved");
    });

    test("saved and audited; the footer of public pages shows it, the map link and the hotline to call", async () => {
      // Read once before the save: the contact each process remembers per ward must end with the save.
      assert.ok(!(await html("/")).includes(PROFILE.address), "no address before the profile is saved");
      const res = await admin.post("/quan-tri/ho-so-phuong", PROFILE);
      assert.equal(res.status, 303);
      const [row] = await saved();
      assert.equal(row?.address, PROFILE.address);
      assert.equal(row?.desk_hours, "Sáng thứ Hai đến thứ Sáu: 7 giờ 00 – 11 giờ 30\nChiều: 13 giờ 30 – 17 giờ 00");
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select(["actor", "after_json"])
        .where("action", "=", "ward_profile.update")
        .execute();
      assert.equal(audits.length, 1);
      assert.equal(audits[0]?.actor, "quantri");
      assert.match(audits[0]?.after_json ?? "", /motcua@ducpho/);
      for (const p of ["/", "/thu-tuc", "/gop-y", "/hoi-dap", "/khao-sat"]) {
        const page = await html(p);
        assert.match(page, /<h2 id="lien-he">Liên hệ Phường Đức Phổ<\/h2>/, `${p}: the contact block`);
        assert.ok(page.includes(PROFILE.address), `${p}: the address`);
        assert.match(page, /<a href="tel:02553859123">0255 3 859 123<\/a>/, `${p}: the hotline`);
        assert.match(page, /href="mailto:motcua@ducpho\.quangngai\.gov\.vn"/, `${p}: the e-mail`);
        assert.match(page, /href="https:\/\/www\.openstreetmap\.org\/\?mlat=14\.81&amp;mlon=108\.96"/, `${p}: map`);
      }
      // The form shows what is saved.
      assert.match(await (await admin.get("/quan-tri/ho-so-phuong")).text(), /value="0255 3 859 123"/);
    });

    test("a procedure page gives the ward's desk as where to submit, unless the procedure has its own", async () => {
      const page = await html("/thu-tuc/1.001193");
      assert.ok(
        page.includes(`<dt>Nơi tiếp nhận</dt><dd><span class="local">${PROFILE.address}</span>`),
        "the ward's desk is where to submit",
      );
      assert.match(page, /<dt>Thời gian<\/dt><dd class="pre">Sáng thứ Hai đến thứ Sáu/);
      const own = await coordinator.post("/quan-tri/thu-tuc/1.000253/thong-tin-rieng", {
        fee: "",
        receivingAddress: "Trụ sở Công an phường Đức Phổ",
        openingHours: "",
        note: "",
      });
      assert.equal(own.status, 303);
      const withOwn = await html("/thu-tuc/1.000253");
      assert.match(withOwn, /<dt>Nơi tiếp nhận<\/dt><dd><span class="local">Trụ sở Công an phường Đức Phổ<\/span>/);
      assert.match(withOwn, /<dt>Thời gian<\/dt><dd class="pre">Sáng thứ Hai/, "the desk hours still apply");
    });

    test("another ward of the deployment shows none of it", async () => {
      const other = await html("/w/21451/");
      assert.doesNotMatch(other, /Liên hệ Phường Đức Phổ|motcua@ducpho/);
    });
  });
}
