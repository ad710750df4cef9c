/**
 * The procedure catalogue over HTTP on every database, with the real 588 commune-level records: import (dry run,
 * confirm, idempotence, bad rows), public pages, API, notice board, and the life of a procedure (amended,
 * abolished, replaced, announced for a future date), local values, review reminders, permissions.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type Browser,
  createWorld,
  FIXED_NOW,
  logIn,
  pw,
  SHARED_DIR,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";

const DATA = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
const LINES = fs.readFileSync(DATA, "utf8").split("\n").filter(Boolean);
const RECORDS = LINES.map((l) => JSON.parse(l) as Record<string, string>);
const recordOf = (code: string) => ({ ...(RECORDS.find((r) => r.ma_thu_tuc === code) as Record<string, string>) });
const jsonl = (records: object[]) => `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;

/** The provinces that announced the file's 17 provincial records (outside the test world's Quảng Ngãi). */
async function addProvinces(w: TestWorld) {
  for (const [code, name] of [
    ["42", "Hà Tĩnh"],
    ["14", "Sơn La"],
  ] as const) {
    await w.db.kysely
      .insertInto("admin_units")
      .values({
        code,
        name: `Tỉnh ${name}`,
        short_name: name,
        type: "tinh",
        level: "province",
        name_key: name === "Hà Tĩnh" ? "ha tinh" : "son la",
      })
      .execute();
  }
}

const AMENDED = "1.000253"; // Khai báo tạm trú cho người nước ngoài: "7 Ngày" becomes "5 Ngày"
const ABOLISHED = "1.000419"; // Đăng ký khai tử lưu động
const REPLACED = "1.000094"; // replaced by NEW_CODE
const NEW_CODE = "1.999001";
const FUTURE = "1.004222"; // Đăng ký thường trú, amended from 01/04/2026
const FUTURE_NEW = "1.999002";
const PROVINCIAL = "2.001428"; // Hà Tĩnh's: not visible to a ward of Quảng Ngãi

for (const target of testDatabases()) {
  describe(`procedures over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let coord: Browser;
    let officer: Browser;
    before(async () => {
      w = await createWorld(target);
      await addProvinces(w);
      await w.createStaff("dieuphoi", "coordinator", "office", { operator: true });
      await w.createStaff("canbo", "officer", "radio");
      coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      officer = await logIn(w.app, "canbo", pw("canbo"));
    });
    after(async () => w.cleanup());

    const count = async (table: "procedures" | "procedure_versions") =>
      Number(
        (
          await w.db.kysely
            .selectFrom(table)
            .select((e) => e.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const page = async (p: string) => {
      const res = await w.app.request(p);
      return { status: res.status, html: await res.text() };
    };
    const api = async <T>(p: string) => (await (await w.app.request(p)).json()) as T;
    const later = (minutes: number) => w.setNow(new Date(FIXED_NOW.getTime() + minutes * 60_000));

    const upload = (name: string, text: string, fields: Record<string, string> = {}) => {
      const f = new FormData();
      f.set("file", new File([text], name, { type: "application/x-ndjson" }));
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return coord.post("/quan-tri/thu-tuc/nhap", f);
    };
    /** Upload, check the dry run's words, confirm; returns the redirect. */
    const importFile = async (name: string, text: string, expect: RegExp, fields: Record<string, string> = {}) => {
      const dry = await upload(name, text, fields);
      const html = await dry.text();
      assert.equal(dry.status, 200, html.slice(0, 2000));
      assert.match(html, expect);
      const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
      assert.ok(token, "the dry run offers a confirmation");
      return coord.post("/quan-tri/thu-tuc/nhap/xac-nhan", { token });
    };

    test("anonymous visitors are sent to log in; an officer may not import or apply decisions", async () => {
      for (const p of ["/quan-tri/thu-tuc", "/quan-tri/thu-tuc/nhap", "/quan-tri/thu-tuc/quyet-dinh"]) {
        const res = await w.app.request(p);
        assert.equal(res.status, 303, p);
        assert.match(res.headers.get("location") ?? "", /^\/dang-nhap/);
      }
      assert.equal((await officer.get("/quan-tri/thu-tuc")).status, 403);
      const f = new FormData();
      f.set("file", new File([LINES.slice(0, 2).join("\n")], "a.jsonl"));
      assert.equal((await officer.post("/quan-tri/thu-tuc/nhap", f)).status, 403);
      assert.equal(
        (await officer.post("/quan-tri/thu-tuc/quyet-dinh", { number: "1/QĐ-X", abolish: AMENDED })).status,
        403,
      );
      assert.equal((await officer.post("/quan-tri/thu-tuc/da-in", {})).status, 403);
      assert.equal(await count("procedures"), 0);
    });

    test("a file with a bad row is refused whole, each bad row with its line and reason", async () => {
      const text = `${LINES[0]}\n${JSON.stringify({ ...recordOf(AMENDED), ma_thu_tuc: "ABC" })}\n{khong phai json\n${LINES[3]}\n`;
      const res = await upload("loi.jsonl", text);
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /Dòng 2 \(mã ABC\): Mã thủ tục «ABC» không đúng dạng/);
      assert.match(html, /Dòng 3: Dòng không phải JSON hợp lệ/);
      assert.doesNotMatch(html, /name="token"/, "no confirmation for a refused file");
      assert.equal(await count("procedures"), 0);
    });

    test("the real 588 records: dry run counts, then the import; the 17 provincial ones get their province", async () => {
      const res = await importFile("cap-xa.jsonl", `${LINES.join("\n")}\n`, /588 mới, 0 thay đổi, 0 không đổi/);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/quan-tri/thu-tuc?da-nhap=588.0.0");
      assert.equal(await count("procedures"), 588);
      const provincial = await w.db.kysely
        .selectFrom("procedures")
        .select(["code", "scope_unit_id"])
        .where("scope", "=", "province")
        .execute();
      assert.equal(provincial.length, 17);
      assert.ok(
        provincial.every((p) => p.scope_unit_id != null),
        "expected: provincial.every((p) => p.scope_unit_id != null)",
      );
      assert.match(
        await (await coord.get(res.headers.get("location") ?? "")).text(),
        /Đã nhập: 588 mới, 0 thay đổi, 0 không đổi/,
      );
    });

    test("importing the same file again changes nothing", async () => {
      const res = await upload("cap-xa.jsonl", `${LINES.join("\n")}\n`);
      const html = await res.text();
      assert.match(html, /0 mới, 0 thay đổi, 588 không đổi/);
      assert.doesNotMatch(html, /name="token"/);
      assert.equal(await count("procedure_versions"), 588);
    });

    test("the catalogue groups the ward's procedures by field, with a search form, cached", async () => {
      const { status, html } = await page("/thu-tuc");
      assert.equal(status, 200);
      assert.match(html, /571 thủ tục hành chính thực hiện tại Phường Đức Phổ/);
      assert.match(html, /<h2 id="lv-ho-tich">Hộ tịch <span class="count">\(41 thủ tục\)<\/span><\/h2>/);
      assert.match(
        html,
        /<form class="search-form" method="get" action="\/tim-kiem"><label for="q">Tìm thủ tục<\/label><input type="search" id="q" name="q"/,
      );
      assert.doesNotMatch(
        html,
        new RegExp(`/thu-tuc/${PROVINCIAL.replace(".", "\\.")}"`),
        "another province's procedure is not listed",
      );
      assert.equal((await w.app.request("/thu-tuc")).headers.get("x-cache"), "hit");
      assert.equal((await page(`/thu-tuc/${PROVINCIAL}`)).status, 404);
      assert.equal((await w.app.request(`/api/v1/procedures/${PROVINCIAL}`)).status, 404);
    });

    test("a procedure page puts the essentials first (papers, time, fee, where, online), the details folded", async () => {
      const { status, html } = await page(`/thu-tuc/${AMENDED}`);
      assert.equal(status, 200);
      const at = (s: string) => html.indexOf(s);
      const order = [
        "Thời hạn và phí, lệ phí",
        "Nộp hồ sơ ở đâu, khi nào",
        "Nộp trực tuyến",
        "Góp ý về thủ tục này",
        "Giấy tờ chính cần mang theo",
        "Chi tiết thủ tục",
        "Các bước thực hiện",
        "Căn cứ pháp lý",
        "Lịch sử thay đổi",
      ];
      for (const [i, heading] of order.entries())
        assert.ok(at(heading) > (i ? at(order[i - 1] as string) : 0), `«${heading}» after «${order[i - 1]}»`);
      // Everything below the essentials is folded, without JavaScript: one <details> per part.
      const details = html.slice(at("Chi tiết thủ tục"));
      for (const part of ["Giấy tờ đầy đủ", "Cách nộp hồ sơ", "Các bước thực hiện", "Căn cứ pháp lý", "Kết quả"])
        assert.match(details, new RegExp(`<details[^>]*><summary>${part}`), `${part} is folded`);
      assert.match(html, /<dt>Nộp trực tuyến<\/dt><dd>Không<\/dd>/);
      assert.match(html, /<dt>Nơi tiếp nhận<\/dt><dd>Công an Xã/);
      assert.match(
        html,
        /Phiếu khai báo tạm trú cho người nước ngoài \(mẫu NA17\)<span class="copies">1 bản chính<\/span>/,
      );
      assert.match(html, /Trực tiếp:<\/strong> 7 Ngày/);
      assert.match(html, /href="\/gop-y\?thu-tuc=1\.000253">Góp ý về thủ tục này/);
      assert.match(html, /@media print|href="\/thu-tuc\/thu-tuc\.[0-9a-f]{12}\.css"/);
      const css = await (await w.app.request("/thu-tuc/thu-tuc.css")).text();
      assert.match(css, /@page \{\s*size: A4;\s*margin: 20mm 15mm 20mm 30mm;/);
      assert.match(css, /"Liberation Serif", "Times New Roman"/);
    });

    test("a time the source gives without a unit is shown as such, never with a guessed unit", async () => {
      // 1.011471 (Lâm nghiệp): the portal's "Thời gian" column reads "1" for all three channels.
      const { html } = await page("/thu-tuc/1.011471");
      assert.match(html, /Trực tuyến:<\/strong> 1 \(nguồn không ghi đơn vị\)/);
      assert.match(html, /Trực tiếp:<\/strong> 1 \(nguồn không ghi đơn vị\)/);
      assert.doesNotMatch(html, /Trực tuyến:<\/strong> 1 (Ngày|Giờ)/);
      assert.match(html, /<dt>Nộp trực tuyến<\/dt><dd>Có/);
    });

    test("the API lists the ward's procedures, 20 a page, filtered and searched; one procedure in full", async () => {
      type List = {
        total: number;
        items: { code: string; name: string; levels: string[]; status: string; url: string }[];
      };
      const all = await api<List>("/api/v1/procedures");
      assert.equal(all.total, 571);
      assert.equal(all.items.length, 20);
      assert.ok(
        all.items.every(
          (i) => i.levels.includes("Cấp xã") && i.status === "in_force" && i.url === `/thu-tuc/${i.code}`,
        ),
        'expected: all.items.every( (i) => i.levels.includes("Cấp xã") && i.status === "in_force" && i.url...',
      );
      const p2 = await api<List>("/api/v1/procedures?page=2&pageSize=5");
      assert.deepEqual(
        p2.items.map((i) => i.code),
        all.items.slice(5, 10).map((i) => i.code),
      );
      assert.equal((await api<List>("/api/v1/procedures?field=Hộ tịch")).total, 41);
      assert.ok(
        (await api<List>("/api/v1/procedures?level=Cấp tỉnh")).total > 0,
        'expected: (await api<List>("/api/v1/procedures?level=Cấp tỉnh")).total > 0',
      );
      const found = await api<List>(`/api/v1/procedures?q=${encodeURIComponent("khai tu luu dong")}`);
      assert.ok(
        found.items.some((i) => i.code === ABOLISHED),
        "expected: found.items.some((i) => i.code === ABOLISHED)",
      );
      assert.equal((await w.app.request("/api/v1/procedures?status=xyz")).status, 400);
      assert.equal((await w.app.request("/api/v1/procedures?pageSize=500")).status, 400);
      const one = await api<{
        code: string;
        status: string;
        versions: { versionNo: number; changeType: string }[];
        dossier: unknown[];
      }>(`/api/v1/procedures/${AMENDED}`);
      assert.equal(one.code, AMENDED);
      assert.equal(one.status, "in_force");
      assert.deepEqual(
        one.versions.map((v) => [v.versionNo, v.changeType]),
        [[1, "baseline"]],
      );
      assert.ok(one.dossier.length > 0, "expected: one.dossier.length > 0");
      const doc = (await (await w.app.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
      assert.ok(
        doc.paths["/api/v1/procedures"] && doc.paths["/api/v1/procedures/{code}"],
        'expected: doc.paths["/api/v1/procedures"] && doc.paths["/api/v1/procedures/{code}"]',
      );
    });

    test("the notice board: without PUBLIC_URL no QR code and a warning; with it, one QR code per sheet", async () => {
      const { status, html } = await page("/thu-tuc/bang-niem-yet");
      assert.equal(status, 200);
      assert.equal(html.match(/<article class="sheet sheet-summary"/g)?.length, 571, "one summary per procedure");
      assert.equal(html.match(/<svg role="img"/g)?.length ?? 0, 0, "no QR code without the public address");
      assert.match(html, /Chưa đặt PUBLIC_URL/);
      assert.match(html, /Xem đầy đủ trình tự, điều kiện, căn cứ pháp lý tại: \/thu-tuc\/1\.000253/);
      assert.doesNotMatch(html, /localhost|127\.0\.0\.1/, "never the request's own address");
      assert.match(html, /Cập nhật ngày 02\/03\/2026/);
      assert.doesNotMatch(html, /<script/);

      const published = w.appWith({ PUBLIC_URL: "https://cchc.ducpho.example.vn/" });
      const withUrl = await (await published.request("/thu-tuc/bang-niem-yet")).text();
      assert.equal(withUrl.match(/<svg role="img" aria-label="Mã QR đến trang thủ tục [\d.]+"/g)?.length, 571);
      assert.match(withUrl, /tại: https:\/\/cchc\.ducpho\.example\.vn\/thu-tuc\/1\.000253/);
      assert.doesNotMatch(withUrl, /Chưa đặt PUBLIC_URL/);
      const detail = await (await published.request(`/thu-tuc/${AMENDED}`)).text();
      assert.match(detail, /Quét mã QR để xem thủ tục này trên cổng thông tin: https:\/\/cchc\.ducpho\.example\.vn\//);
      assert.doesNotMatch(await (await w.app.request(`/thu-tuc/${AMENDED}`)).text(), /<svg role="img"/);
    });

    test("the notice board prints one field, only what changed since a day, in summary or in full", async () => {
      const field = encodeURIComponent("Hoạt động xây dựng");
      const summary = (await page(`/thu-tuc/bang-niem-yet?linh-vuc=${field}`)).html;
      assert.equal(summary.match(/<article class="sheet sheet-summary"/g)?.length, 8);
      assert.match(summary, /<option value="Hoạt động xây dựng" selected="">/);
      // The longest procedure of the catalogue (55 papers in 7 cases) is cut, with where to read it whole.
      assert.match(summary, /Và 4 trường hợp khác\./);
      assert.match(summary, /Xem đầy đủ giấy tờ tại \/thu-tuc\/1\.013229/);
      const full = (await page(`/thu-tuc/bang-niem-yet?ban=day-du&linh-vuc=${field}`)).html;
      assert.equal(full.match(/<article class="sheet sheet-full"/g)?.length, 8);
      assert.ok(full.length > summary.length * 2, "the full text is the whole record");
      assert.equal(
        (await page("/thu-tuc/bang-niem-yet?tu-ngay=2026-03-02")).html.match(/<article class="sheet /g)?.length,
        571,
        "everything was recorded today",
      );
      assert.equal(
        (await page("/thu-tuc/bang-niem-yet?tu-ngay=2026-03-03")).html.match(/<article class="sheet /g)?.length ?? 0,
        0,
        "nothing changed after today",
      );
      const badDay = await page("/thu-tuc/bang-niem-yet?tu-ngay=2026-02-31x");
      assert.equal(badDay.status, 400);
      assert.match(badDay.html, /Ngày «thay đổi từ» cần dạng năm-tháng-ngày/);
      assert.equal((await page("/thu-tuc/bang-niem-yet?ban=poster")).status, 400);
    });

    test("the board is printed; an import with a decision amends a procedure, shown and compared", async () => {
      assert.equal((await coord.post("/quan-tri/thu-tuc/da-in", {})).status, 303);
      later(10);
      // Read before the amendment: what each process remembers of a procedure must end with the import.
      assert.match((await page(`/thu-tuc/${AMENDED}`)).html, /Trực tiếp:<\/strong> 7 Ngày/, "the old time first");
      const changed = recordOf(AMENDED);
      changed.cach_thuc_thuc_hien = (changed.cach_thuc_thuc_hien ?? "").replace("Trực tiếp7 Ngày", "Trực tiếp5 Ngày");
      const res = await importFile("sua-doi.jsonl", jsonl([changed]), /0 mới, 1 thay đổi, 0 không đổi/, {
        decision: "99/QĐ-BCA",
        decidedOn: "2026-02-20",
        effectiveFrom: "2026-03-01",
        issuer: "Bộ Công an",
      });
      assert.equal(res.status, 303);
      const cat = (await page("/thu-tuc")).html;
      assert.match(
        cat,
        /tại Việt Nam bằng Phiếu khai báo tạm trú<\/a> <span class="badge badge-amended">sửa đổi, bổ sung<\/span>/,
      );
      const { html } = await page(`/thu-tuc/${AMENDED}`);
      assert.match(html, /Trực tiếp:<\/strong> 5 Ngày/);
      assert.match(html, /thay đổi ngày 01\/03\/2026/);
      assert.match(html, /Quyết định 99\/QĐ-BCA ngày 20\/02\/2026 của Bộ Công an/);
      const cmp = await page(`/thu-tuc/${AMENDED}/so-sanh?tu=1&den=2`);
      assert.equal(cmp.status, 200);
      assert.match(cmp.html, /<h2 id="thay-doi-channelsView">Cách thức, thời hạn, phí<\/h2>/);
      assert.match(cmp.html, /Trực tiếp: 7 Ngày/);
      assert.match(cmp.html, /Trực tiếp: 5 Ngày/);
      assert.equal((await page(`/thu-tuc/${AMENDED}/so-sanh?tu=1&den=9`)).status, 404);
      const one = await api<{ status: string; versions: { decision: { number: string } | null }[] }>(
        `/api/v1/procedures/${AMENDED}`,
      );
      assert.equal(one.status, "amended");
      assert.equal(one.versions[1]?.decision?.number, "99/QĐ-BCA");
    });

    test("local values of the ward show instead of the national ones", async () => {
      const res = await coord.post(`/quan-tri/thu-tuc/${AMENDED}/thong-tin-rieng`, {
        fee: "Miễn phí tại phường",
        receivingAddress: "Bộ phận Một cửa, UBND phường Đức Phổ",
        openingHours: "Sáng 7h30–11h30, thứ Hai đến thứ Sáu",
        note: "",
      });
      assert.equal(res.status, 303);
      const { html } = await page(`/thu-tuc/${AMENDED}`);
      assert.match(html, /Phí, lệ phí tại Phường Đức Phổ:<\/span> Miễn phí tại phường/);
      assert.match(
        html,
        /<dt>Nơi tiếp nhận<\/dt><dd><span class="local">Bộ phận Một cửa, UBND phường Đức Phổ<\/span><span class="copies">Theo Cổng Dịch vụ công quốc gia: Công an Xã<\/span>/,
      );
      assert.match(html, /<dt>Thời gian<\/dt><dd class="pre">Sáng 7h30–11h30/);
      const bad = await coord.post(`/quan-tri/thu-tuc/${AMENDED}/thong-tin-rieng`, { fee: "x".repeat(600) });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /Phí, lệ phí tối đa 500 ký tự/);
    });

    test("a decision abolishes a procedure: out of the catalogue, reachable by code with its decision", async () => {
      const missing = await coord.post("/quan-tri/thu-tuc/quyet-dinh", { number: "", abolish: ABOLISHED });
      assert.equal(missing.status, 400);
      assert.match(await missing.text(), /<a href="#number">Cần số quyết định/);
      const unknown = await coord.post("/quan-tri/thu-tuc/quyet-dinh", {
        ...{ number: "100/QĐ-BTP", decidedOn: "2026-02-25", effectiveFrom: "2026-03-01", issuer: "Bộ Tư pháp" },
        abolish: "1.888888",
      });
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /Không có thủ tục mã 1\.888888/);
      const res = await coord.post("/quan-tri/thu-tuc/quyet-dinh", {
        ...{ number: "100/QĐ-BTP", decidedOn: "2026-02-25", effectiveFrom: "2026-03-01", issuer: "Bộ Tư pháp" },
        abolish: ABOLISHED,
      });
      assert.equal(res.status, 303);
      const cat = (await page("/thu-tuc")).html;
      assert.match(cat, /570 thủ tục hành chính/);
      assert.match(cat, /Hộ tịch <span class="count">\(40 thủ tục\)/);
      assert.match(cat, /Đã bãi bỏ gần đây/);
      const { status, html } = await page(`/thu-tuc/${ABOLISHED}`);
      assert.equal(status, 200);
      assert.match(html, /Thủ tục này đã bị bãi bỏ<\/strong> từ ngày 01\/03\/2026 theo Quyết định 100\/QĐ-BTP/);
      type List = { total: number; items: { code: string; status: string }[] };
      assert.ok(
        !(await api<List>("/api/v1/procedures?pageSize=100&q=khai tu")).items.some((i) => i.code === ABOLISHED),
        'expected: !(await api<List>("/api/v1/procedures?pageSize=100&q=khai tu")).items.some((i) => i.cod...',
      );
      const gone = await api<List>("/api/v1/procedures?status=abolished");
      assert.deepEqual(
        gone.items.map((i) => [i.code, i.status]),
        [[ABOLISHED, "abolished"]],
      );
      assert.equal((await api<{ status: string }>(`/api/v1/procedures/${ABOLISHED}`)).status, "abolished");
    });

    test("a new procedure replaces an old one: the old page names its successor", async () => {
      later(20);
      const successor = {
        ...recordOf(REPLACED),
        ma_thu_tuc: NEW_CODE,
        ten_thu_tuc: "Thủ tục đăng ký kết hôn có yếu tố nước ngoài (thay thế)",
      };
      const imported = await importFile("moi.jsonl", jsonl([successor]), /1 mới, 0 thay đổi, 0 không đổi/, {
        decision: "101/QĐ-BTP",
        effectiveFrom: "2026-03-01",
      });
      assert.equal(imported.status, 303);
      const res = await coord.post("/quan-tri/thu-tuc/quyet-dinh", {
        ...{ number: "101/QĐ-BTP", decidedOn: "2026-02-26", effectiveFrom: "2026-03-01", issuer: "Bộ Tư pháp" },
        replace: `${REPLACED} → ${NEW_CODE}`,
      });
      assert.equal(res.status, 303, await res.text());
      const old = (await page(`/thu-tuc/${REPLACED}`)).html;
      assert.match(old, /đã bị bãi bỏ/);
      assert.match(old, new RegExp(`Được thay thế bằng thủ tục <a href="/thu-tuc/${NEW_CODE.replace(".", "\\.")}">`));
      assert.match(
        (await page("/thu-tuc")).html,
        /\(thay thế\)<\/a> <span class="badge badge-replaced">thay thế<\/span>/,
      );
      assert.equal((await api<{ status: string }>(`/api/v1/procedures/${NEW_CODE}`)).status, "replaced");
      const all = await api<{ items: { code: string }[] }>("/api/v1/procedures?status=all&pageSize=100&q=ket hon");
      assert.ok(
        all.items.some((i) => i.code === REPLACED) && all.items.some((i) => i.code === NEW_CODE),
        "expected: all.items.some((i) => i.code === REPLACED) && all.items.some((i) => i.code === NEW_CODE)",
      );
    });

    test("the staff page lists changes since the last print and review reminders; reviews are audited", async () => {
      const html = await (await coord.get("/quan-tri/thu-tuc")).text();
      const board = html.slice(html.indexOf("<h2>Bảng niêm yết</h2>"), html.indexOf("<h2>Rà soát thủ tục</h2>"));
      for (const code of [AMENDED, ABOLISHED, REPLACED, NEW_CODE])
        assert.match(board, new RegExp(`\\(${code.replace(".", "\\.")}\\)`), code);
      assert.doesNotMatch(board, /\(1\.004194\)/, "an unchanged procedure is not listed");
      assert.match(board, /<a href="\/thu-tuc\/bang-niem-yet\?tu-ngay=2026-03-02">In các trang thay đổi<\/a>/);
      assert.match(html, /570 thủ tục chưa được rà soát trong 6 tháng qua/);
      assert.match(html, /Đánh dấu đã rà soát/);
      const res = await coord.post(`/quan-tri/thu-tuc/${AMENDED}/ra-soat`, {
        tiep: "/quan-tri/thu-tuc?thang=6&trang=1",
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), `/quan-tri/thu-tuc?thang=6&trang=1&da-ra-soat=${AMENDED}`);
      const after = await (await coord.get("/quan-tri/thu-tuc")).text();
      const changedList = after.slice(after.indexOf("Thay đổi theo quyết định"), after.indexOf("Chưa rà soát trong"));
      assert.doesNotMatch(changedList, new RegExp(`\\(${AMENDED.replace(".", "\\.")}\\)`));
      assert.match(changedList, new RegExp(`\\(${NEW_CODE.replace(".", "\\.")}\\)`));
      assert.match(after, /569 thủ tục chưa được rà soát trong 6 tháng qua/);
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "entity_id"])
        .where("action", "like", "procedure.%")
        .execute();
      assert.ok(
        audits.some((a) => a.action === "procedure.review" && a.entity_id === AMENDED),
        'expected: audits.some((a) => a.action === "procedure.review" && a.entity_id === AMENDED)',
      );
      assert.ok(
        audits.some((a) => a.action === "procedure.board_print"),
        'expected: audits.some((a) => a.action === "procedure.board_print")',
      );
      assert.ok(
        audits.some((a) => a.action === "procedure.override"),
        'expected: audits.some((a) => a.action === "procedure.override")',
      );
      const off = await coord.post(`/quan-tri/thu-tuc/${AMENDED}/ra-soat`, { tiep: "https://evil.example/" });
      assert.equal(off.headers.get("location"), `/quan-tri/thu-tuc?da-ra-soat=${AMENDED}`);
    });

    test("a change announced for a future date: the old version until then, the new one after", async () => {
      later(30);
      const amended = recordOf(FUTURE);
      amended.trinh_tu_thuc_hien = `${amended.trinh_tu_thuc_hien}\nBước 9: Nhận kết quả tại nhà qua dịch vụ bưu chính công ích.`;
      const fresh = {
        ...recordOf(FUTURE),
        ma_thu_tuc: FUTURE_NEW,
        ten_thu_tuc: "Đăng ký thường trú trực tuyến toàn trình",
      };
      const res = await importFile("tuong-lai.jsonl", jsonl([amended, fresh]), /1 mới, 1 thay đổi, 0 không đổi/, {
        decision: "102/QĐ-BCA",
        decidedOn: "2026-03-01",
        effectiveFrom: "2026-04-01",
      });
      assert.equal(res.status, 303);
      const today = (await page(`/thu-tuc/${FUTURE}`)).html;
      assert.doesNotMatch(today, /Nhận kết quả tại nhà qua dịch vụ bưu chính/);
      assert.match(
        today,
        /Sắp có thay đổi: <span class="badge badge-amended">sửa đổi, bổ sung<\/span>, có hiệu lực từ 01\/04\/2026/,
      );
      const announced = await page(`/thu-tuc/${FUTURE_NEW}`);
      assert.equal(announced.status, 200);
      assert.match(announced.html, /có hiệu lực từ 01\/04\/2026/);
      const cat = (await page("/thu-tuc")).html;
      assert.match(cat, /Sắp có hiệu lực/);
      assert.equal((await api<{ status: string }>(`/api/v1/procedures/${FUTURE}`)).status, "in_force");

      w.setNow(new Date("2026-04-02T03:00:00Z"));
      const now = (await page(`/thu-tuc/${FUTURE}`)).html;
      assert.match(now, /Nhận kết quả tại nhà qua dịch vụ bưu chính/);
      assert.doesNotMatch(now, /Sắp có thay đổi/);
      assert.equal((await api<{ status: string }>(`/api/v1/procedures/${FUTURE}`)).status, "amended");
      assert.match(
        (await page("/thu-tuc")).html,
        /Đăng ký thường trú trực tuyến toàn trình<\/a> <span class="badge badge-new">mới<\/span>/,
      );
      w.setNow(FIXED_NOW);
    });

    test("the dry run on one app process, the confirmation on another: the upload waits in the database, for its owner, an hour", async () => {
      // A second process on the same database, with a data folder of its own (as behind nginx on another machine).
      const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-proc-b-"));
      try {
        const b = w.appWith({ DATA_DIR: otherDir });
        await w.createStaff("dieuphoi2", "coordinator", "office", { operator: true });
        const code = "1.999777";
        const text = jsonl([
          { ...recordOf(AMENDED), ma_thu_tuc: code, ten_thu_tuc: "Thủ tục thử nhập qua hai tiến trình" },
        ]);
        const dryRun = async () => {
          const html = await (await upload("hai-tien-trinh.jsonl", text)).text();
          assert.match(html, /1 mới, 0 thay đổi, 0 không đổi/, "the dry run on the first process");
          const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
          assert.ok(token, "the dry run offers a confirmation");
          return token;
        };
        const imported = async () =>
          (await w.db.kysely.selectFrom("procedures").select("code").where("code", "=", code).executeTakeFirst()) !==
          undefined;

        const first = await dryRun();
        const other = await logIn(b, "dieuphoi2", pw("dieuphoi2"));
        const refused = await other.post("/quan-tri/thu-tuc/nhap/xac-nhan", { token: first });
        assert.equal(refused.status, 400, "another operator cannot confirm someone else's upload");
        assert.match(await refused.text(), /Tệp đã kiểm tra không còn/, "told to upload again");
        later(61);
        const late = await logIn(b, "dieuphoi", pw("dieuphoi"));
        assert.equal(
          (await late.post("/quan-tri/thu-tuc/nhap/xac-nhan", { token: first })).status,
          400,
          "past an hour the upload is gone",
        );
        assert.equal(await imported(), false, "nothing imported by a refused confirmation");
        w.setNow(FIXED_NOW);
        coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));

        const token = await dryRun();
        const onB = await logIn(b, "dieuphoi", pw("dieuphoi"));
        const confirmed = await onB.post("/quan-tri/thu-tuc/nhap/xac-nhan", { token });
        assert.equal(confirmed.status, 303, "the other process finds the upload and imports it");
        assert.equal(confirmed.headers.get("location"), "/quan-tri/thu-tuc?da-nhap=1.0.0", "one new procedure");
        assert.equal(await imported(), true, "in the database");
        assert.ok(!fs.existsSync(path.join(otherDir, "staging")), "nothing staged in a data folder");
        assert.ok(!fs.existsSync(path.join(w.dataDir, "staging")), "nothing staged in the first process's folder");
        const again = await coord.post("/quan-tri/thu-tuc/nhap/xac-nhan", { token });
        assert.equal(again.status, 400, "a confirmed upload is forgotten: it cannot be imported twice");
      } finally {
        fs.rmSync(otherDir, { recursive: true, force: true });
      }
    });
  });
}
