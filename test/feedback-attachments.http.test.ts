/**
 * Feedback with files, feedback entered by staff, and who sees what, over HTTP on every database: the public form
 * takes up to three images or PDFs (checked by content), refuses a disguised file (415) or an oversize one (413)
 * storing nothing and keeping what was typed; files are served only to signed-in staff who may open the item, as
 * downloads, never cached; staff enter feedback taken at the desk, by phone, by letter or from the Front with its
 * channel, date, consent and who entered it; an officer sees only their unit's items; lists mask the phone.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { type Browser, createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";
import { blobCount } from "./helpers/fixtures.ts";

const CODE = /PA-20\d\d-[0-9A-Z]{5,6}/;
const MB = 1024 * 1024;
const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
]);
const GIF = new TextEncoder().encode("GIF89a\x01\x00\x01\x00\x00\x00\x00;");
const HTML_AS_PDF = new TextEncoder().encode("<html><body><script>alert(1)</script></body></html>");

const citizen = {
  content: "Vỉa hè trước chợ Đức Phổ bị lấn chiếm, người đi bộ phải xuống lòng đường (ảnh đính kèm).",
  name: "Huỳnh Thị Mai Anh",
  address: "Số 5 đường Phạm Văn Đồng",
  phone: "0905 246 813",
  consent: "yes",
};

for (const target of testDatabases()) {
  describe(`feedback attachments, staff entry and scoping (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let ipSeq = 0;
    const freshIp = () => `10.3.0.${++ipSeq}`;
    let coordinatorId = 0;
    /** Every log line the app writes, at debug level (requests included). */
    const logLines: string[] = [];

    before(async () => {
      w = await createWorld(target);
      // A 1 MB limit per file keeps the oversize test light; the rule is the same at any size.
      const config = loadConfig({
        DATA_DIR: w.dataDir,
        LOG_LEVEL: "silent",
        CCHC_SHARED_DIR: SHARED_DIR,
        UPLOAD_MAX_MB: "1",
        FILE_STORE: w.env.FILE_STORE,
      });
      app = createApp(
        {
          db: w.db,
          config,
          clock: w.now,
          log: pino({ level: "debug" }, { write: (line: string) => logLines.push(line) }),
        },
        { remoteAddress: (c) => c.req.header("x-test-ip") },
      );
      coordinatorId = (await w.createStaff("dieuphoi", "coordinator")).id;
      await w.createStaff("canbo", "officer", "culture_social");
      await w.createStaff("canbokhac", "officer", "finance");
    });
    after(async () => w.cleanup());

    const count = async (table: "feedback_items" | "stored_files" | "feedback_files") =>
      Number(
        (
          await w.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const snapshot = async () => ({
      items: await count("feedback_items"),
      files: await count("stored_files"),
      links: await count("feedback_files"),
      blobs: await blobCount(w),
    });

    /** The public form sent as a browser sends it (multipart), with a fresh one-time token. */
    const sendForm = async (
      fields: Record<string, string>,
      files: { name: string; type: string; bytes: Uint8Array<ArrayBuffer> }[],
    ) => {
      const page = await (await app.request("/gop-y")).text();
      const form = new FormData();
      form.set("_form", /name="_form" value="([^"]+)"/.exec(page)?.[1] as string);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      for (const f of files) form.append("files", new Blob([f.bytes], { type: f.type }), f.name);
      return app.request("/gop-y", { method: "POST", body: form, headers: { "x-test-ip": freshIp() } });
    };
    const itemOf = (code: string) =>
      w.db.kysely.selectFrom("feedback_items").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
    const filesOf = (id: number) =>
      w.db.kysely
        .selectFrom("feedback_files")
        .innerJoin("stored_files", "stored_files.id", "feedback_files.file_id")
        .select(["stored_files.id", "stored_files.mime", "stored_files.original_name", "stored_files.size"])
        .where("feedback_files.feedback_id", "=", id)
        .orderBy("feedback_files.id")
        .execute();
    const walkToUnit = async (coordinator: Browser, id: number, unit: string) => {
      const p = `/quan-tri/phan-anh/${id}`;
      for (const [step, form] of [
        ["vao-so", {}],
        ["phan-loai", { classification: "in_scope" }],
        ["giao", { unitId: String(w.unitIds.get(unit)) }],
      ] as const)
        assert.equal((await coordinator.post(`${p}/${step}`, form)).status, 303, step);
    };

    test("a PDF and a PNG are stored with the item and downloaded by its handlers only, as attachments", async () => {
      const res = await sendForm(citizen, [
        { name: "Biên bản lấn chiếm.pdf", type: "application/pdf", bytes: PDF },
        { name: "anh-via-he.png", type: "image/png", bytes: PNG },
      ]);
      assert.equal(res.status, 200);
      const code = CODE.exec(await res.text())?.[0] as string;
      assert.ok(code, "expected: code");
      const item = await itemOf(code);
      const files = await filesOf(item.id);
      assert.deepEqual(
        files.map((f) => [f.mime, f.original_name, Number(f.size)]),
        [
          ["application/pdf", "Biên bản lấn chiếm.pdf", PDF.length],
          ["image/png", "anh-via-he.png", PNG.length],
        ],
      );
      const [pdf, png] = files as [(typeof files)[0], (typeof files)[0]];
      const url = (fileId: number) => `/quan-tri/tep/${fileId}`;

      const anonymous = await app.request(url(pdf.id));
      assert.equal(anonymous.status, 303, "anonymous visitors are sent to log in");
      assert.match(anonymous.headers.get("location") ?? "", /^\/dang-nhap/);

      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const page = await (await coordinator.get(`/quan-tri/phan-anh/${item.id}`)).text();
      assert.ok(
        page.includes(`href="${url(pdf.id)}"`) && page.includes("Biên bản lấn chiếm.pdf"),
        'expected: page.includes(`href="{url(pdf.id)}"`) && page.includes("Biên bản lấn chiếm.pdf")',
      );
      assert.ok(
        page.includes(`href="${url(png.id)}"`) && page.includes("anh-via-he.png"),
        'expected: page.includes(`href="{url(png.id)}"`) && page.includes("anh-via-he.png")',
      );

      const got = await coordinator.get(url(pdf.id));
      assert.equal(got.status, 200);
      assert.equal(got.headers.get("content-type"), "application/pdf");
      assert.match(got.headers.get("content-disposition") ?? "", /^attachment; filename="Bien ban lan chiem\.pdf"/);
      assert.equal(got.headers.get("x-content-type-options"), "nosniff");
      assert.equal(got.headers.get("cache-control"), "no-store");
      assert.deepEqual(new Uint8Array(await got.arrayBuffer()), PDF);
      const image = await coordinator.get(url(png.id));
      assert.equal(image.headers.get("content-type"), "image/png");
      assert.match(image.headers.get("content-disposition") ?? "", /^attachment;/);
      assert.deepEqual(new Uint8Array(await image.arrayBuffer()), PNG);

      // Files are served by the file store's one route only; the item's old file address serves nothing.
      assert.equal((await coordinator.get(`/quan-tri/phan-anh/${item.id}/tep/${pdf.id}`)).status, 404);

      // Officers: only once the item is assigned to their unit, and never another unit's.
      const officer = await logIn(app, "canbo", pw("canbo"));
      const stranger = await logIn(app, "canbokhac", pw("canbokhac"));
      assert.equal((await officer.get(url(pdf.id))).status, 403, "not yet assigned to the officer's unit");
      await walkToUnit(coordinator, item.id, "culture_social");
      assert.equal((await officer.get(`/quan-tri/phan-anh/${item.id}`)).status, 200);
      assert.equal((await officer.get(url(pdf.id))).status, 200);
      assert.equal((await stranger.get(`/quan-tri/phan-anh/${item.id}`)).status, 403);
      assert.equal((await stranger.get(url(pdf.id))).status, 403);
      assert.equal((await stranger.get(url(png.id))).status, 403);
    });

    test("a disguised file is refused with 415 and nothing is stored; the text is kept", async () => {
      const before = await snapshot();
      const res = await sendForm(citizen, [
        { name: "anh.png", type: "image/png", bytes: PNG },
        { name: "giay-to.pdf", type: "application/pdf", bytes: HTML_AS_PDF },
      ]);
      assert.equal(res.status, 415);
      const page = await res.text();
      assert.match(
        page,
        /href="#gy-files">Tệp “giay-to\.pdf” không được chấp nhận: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF/,
      );
      assert.ok(page.includes(citizen.content) && page.includes(`value="${citizen.name}"`), "what was typed is kept");
      assert.ok(!page.includes("<script>alert(1)"), 'expected: !page.includes("<script>alert(1)")');
      assert.deepEqual(await snapshot(), before, "no item, no file row, no blob — not even the good file");

      // A GIF is a real image, but not one feedback takes.
      const gif = await sendForm(citizen, [{ name: "anh.gif", type: "image/gif", bytes: GIF }]);
      assert.equal(gif.status, 415);
      assert.deepEqual(await snapshot(), before);
    });

    test("an oversize file gets 413 in Vietnamese and nothing is stored; four files are refused", async () => {
      const before = await snapshot();
      const big = new Uint8Array(MB + 1);
      big.set(PDF);
      const res = await sendForm(citizen, [{ name: "ban-scan.pdf", type: "application/pdf", bytes: big }]);
      assert.equal(res.status, 413);
      const page = await res.text();
      assert.match(page, /Tệp “ban-scan\.pdf” quá lớn \(tối đa 1 MB mỗi tệp\)/);
      assert.ok(page.includes(citizen.content), "what was typed is kept");
      assert.deepEqual(await snapshot(), before);

      const four = await sendForm(
        citizen,
        [1, 2, 3, 4].map((i) => ({ name: `to-${i}.pdf`, type: "application/pdf", bytes: PDF })),
      );
      assert.equal(four.status, 400);
      assert.match(await four.text(), /Chỉ đính kèm được tối đa 3 tệp/);
      assert.deepEqual(await snapshot(), before);
    });

    test("staff enter feedback from the desk, phone, letter or Front: channel, date, consent, who entered it", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const form = await coordinator.get("/quan-tri/phan-anh/moi");
      assert.equal(form.status, 200);
      assert.equal(form.headers.get("cache-control"), "no-store");
      const html = await form.text();
      for (const label of ["Trực tiếp tại Bộ phận một cửa", "Điện thoại", "Thư, văn bản gửi đến", "Mặt trận Tổ quốc"])
        assert.ok(html.includes(label), label);
      assert.ok(!html.includes('value="web"'), "the web channel is the public form's own");
      assert.match(html, /id="pn-receivedOn" name="receivedOn" value="2026-03-02"/, "received today by default");
      const token = () => /name="_form" value="([^"]+)"/.exec(html)?.[1] as string;

      const entry = (fields: Record<string, string>, files: Uint8Array<ArrayBuffer>[] = [], t = token()) => {
        const body = new FormData();
        body.set("_form", t);
        for (const [k, v] of Object.entries(fields)) body.set(k, v);
        for (const b of files) body.append("files", new Blob([b], { type: "application/pdf" }), "thu-phan-anh.pdf");
        return coordinator.post("/quan-tri/phan-anh/moi", body);
      };
      const letter = {
        ...citizen,
        name: "Đoàn Văn Lực",
        phone: "0914 777 531",
        channel: "letter",
        receivedOn: "27/02/2026",
      };

      const future = await entry({ ...letter, receivedOn: "2026-03-03" });
      assert.equal(future.status, 400);
      assert.match(await future.text(), /Ngày tiếp nhận không được sau hôm nay/);
      const noConsent = await entry({ ...letter, consent: "" });
      assert.equal(noConsent.status, 400);
      const nc = await noConsent.text();
      assert.match(nc, /Cần xác nhận người gửi đã đồng ý/);
      assert.ok(nc.includes('value="Đoàn Văn Lực"'), "what was typed is kept");
      const web = await entry({ ...letter, channel: "web" });
      assert.equal(web.status, 400);
      assert.match(await web.text(), /Chọn cách tiếp nhận/);

      const before = await count("feedback_items");
      const t = token();
      const res = await entry(letter, [PDF], t);
      assert.equal(res.status, 303);
      const location = res.headers.get("location") ?? "";
      assert.match(location, /^\/quan-tri\/phan-anh\/\d+\?da-luu=tiep-nhan$/);
      const again = await entry(letter, [PDF], t);
      assert.equal(again.headers.get("location"), location, "a second click files nothing new");
      assert.equal(await count("feedback_items"), before + 1);

      const id = Number(/phan-anh\/(\d+)/.exec(location)?.[1]);
      const saved = await (await coordinator.get(location)).text();
      const code = CODE.exec(saved)?.[0] as string;
      assert.match(saved, /Mã tra cứu để báo lại cho người gửi: <strong class="gy-code">PA-/);
      assert.match(saved, /Thư, văn bản gửi đến · người nhập: Cán bộ dieuphoi/);
      assert.ok(saved.includes("thu-phan-anh.pdf"), "the scanned letter is attached");

      const row = await itemOf(code);
      assert.equal(row.id, id);
      assert.equal(row.channel, "letter");
      assert.equal(row.entered_by, coordinatorId);
      assert.equal(row.status, "received");
      assert.equal(new Date(row.received_at).toISOString(), "2026-02-26T17:00:00.000Z", "27/02/2026 in Vietnam");
      const sender = await w.db.kysely
        .selectFrom("feedback_senders")
        .selectAll()
        .where("feedback_id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(sender.phone, "0914777531");
      assert.match(sender.consent_text, /^Cán bộ tiếp nhận xác nhận người gửi đã đồng ý: /);
      assert.equal(sender.consent_at, w.now().toISOString());
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("entity", "=", "feedback")
        .where("entity_id", "=", String(id))
        .executeTakeFirstOrThrow();
      assert.equal(audit.action, "feedback.receive");
      assert.equal(audit.user_id, coordinatorId);
      const after = JSON.parse(audit.after_json ?? "{}") as Record<string, unknown>;
      assert.equal(after.channel, "letter");
      assert.equal(after.enteredBy, coordinatorId);
      assert.equal((after.files as unknown[]).length, 1);

      // The citizen follows it with the code read back to them, like any other item.
      const lookup = await app.request("/gop-y/tra-cuu", {
        method: "POST",
        body: new URLSearchParams({ code, phone: letter.phone }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": freshIp() },
      });
      assert.equal(lookup.status, 200);
      assert.match(await lookup.text(), /Ngày tiếp nhận<\/dt><dd>27\/02\/2026/);

      const officer = await logIn(app, "canbo", pw("canbo"));
      assert.equal((await officer.get("/quan-tri/phan-anh/moi")).status, 403, "entering needs feedback.handle");
    });

    test("an officer's list holds their unit's items with due dates; lists mask phones; no personal data logged", async () => {
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const mine = CODE.exec(await (await sendForm({ ...citizen, phone: "0905 111 222" }, [])).text())?.[0] as string;
      const theirs = CODE.exec(await (await sendForm({ ...citizen, phone: "0905 333 444" }, [])).text())?.[0] as string;
      await walkToUnit(coordinator, (await itemOf(mine)).id, "culture_social");
      await walkToUnit(coordinator, (await itemOf(theirs)).id, "finance");

      const officer = await logIn(app, "canbo", pw("canbo"));
      const res = await officer.get("/quan-tri/phan-anh");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const list = await res.text();
      assert.match(list, /Phản ánh, kiến nghị giao cho đơn vị tôi/);
      assert.ok(list.includes(mine) && !list.includes(theirs), "only the unit's items");
      assert.match(list, /16\/03\/2026/, "with the due date (ten working days after 02/03/2026)");
      assert.ok(list.includes("09•••••222") && !list.includes("0905111222"), "the phone is masked");
      assert.ok(!list.includes(citizen.address), "no address in lists");
      assert.ok(!list.includes("/quan-tri/phan-anh/moi"), "officers do not enter feedback");
      assert.match(list, /href="\/quan-tri\/phan-anh">Phản ánh, kiến nghị<\/a>/, "in the officer's navigation");
      const stranger = await logIn(app, "canbokhac", pw("canbokhac"));
      const other = await (await stranger.get("/quan-tri/phan-anh")).text();
      assert.ok(
        other.includes(theirs) && !other.includes(mine),
        "expected: other.includes(theirs) && !other.includes(mine)",
      );
      assert.equal((await stranger.get(`/quan-tri/phan-anh/${(await itemOf(mine)).id}`)).status, 403);

      // Overdue items of the unit are highlighted: after 16/03/2026 the item is late.
      w.setNow(new Date("2026-03-17T03:00:00Z"));
      try {
        const late = await (await (await logIn(app, "canbo", pw("canbo"))).get("/quan-tri/phan-anh")).text();
        assert.match(late, new RegExp(`<tr class="gy-overdue">(?:(?!</tr>)[\\s\\S])*${mine}`));
      } finally {
        w.setNow(new Date("2026-03-02T03:00:00Z"));
      }

      const coordinatorList = await (await coordinator.get("/quan-tri/phan-anh")).text();
      assert.ok(coordinatorList.includes(mine) && coordinatorList.includes(theirs), "the coordinator sees the ward");
      assert.ok(
        !coordinatorList.includes("0905111222") && coordinatorList.includes("09•••••222"),
        'expected: !coordinatorList.includes("0905111222") && coordinatorList.includes("09•••••222")',
      );

      const audits = await w.db.kysely.selectFrom("audit_log").select(["actor", "after_json", "before_json"]).execute();
      const trail = JSON.stringify(audits);
      assert.ok(logLines.length > 0, "the app logged its requests");
      const logs = logLines.join("\n");
      for (const p of [citizen.name, "0905111222", "0905246813", citizen.address, "Đoàn Văn Lực", "0914777531"]) {
        assert.ok(!trail.includes(p), `the audit trail holds no «${p}»`);
        assert.ok(!logs.includes(p), `the logs hold no «${p}»`);
      }
    });

    test("erasing the sender's data on request removes the attachments too, keeping bytes another file shares", async () => {
      await w.createStaff("quantri2", "admin");
      const admin = await logIn(app, "quantri2", pw("quantri2"));
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const photo = new Uint8Array([...PNG, 1, 2, 3]);
      const res = await sendForm({ ...citizen, content: `${citizen.content} Ảnh CCCD kèm theo.` }, [
        { name: "cccd.png", type: "image/png", bytes: photo },
        { name: "don.pdf", type: "application/pdf", bytes: PDF },
      ]);
      const code = CODE.exec(await res.text())?.[0] as string;
      const item = await itemOf(code);
      const files = await filesOf(item.id);
      assert.equal(files.length, 2);
      const exported = await admin.post("/quan-tri/du-lieu-ca-nhan/xuat", { item: `feedback:${item.id}` });
      assert.equal(exported.status, 200);
      const data = (await exported.json()) as { items: { attachments: { name: string; type: string }[] }[] };
      assert.deepEqual(
        data.items[0]?.attachments.map((a) => [a.name, a.type]),
        [
          ["cccd.png", "image/png"],
          ["don.pdf", "application/pdf"],
        ],
        "the export lists what the person attached",
      );
      const before = await snapshot();
      const erase = await admin.post("/quan-tri/du-lieu-ca-nhan/xoa", {
        item: `feedback:${item.id}`,
        reason: "Theo yêu cầu của người gửi",
        confirm: "yes",
      });
      assert.equal(erase.status, 303);
      assert.deepEqual(await filesOf(item.id), [], "the item has no attachments left");
      const after = await snapshot();
      assert.equal(after.items, before.items, "the item stays");
      assert.equal(after.files, before.files - 2, "both file rows are gone");
      // The PDF's bytes are the same as an earlier test's attachment: that blob stays for it; the photo's goes.
      assert.equal(after.blobs, before.blobs - 1);
      const sha = createHash("sha256").update(photo).digest("hex");
      assert.equal(await w.files.has(sha), false, "the photo's bytes are deleted");
      for (const f of files) assert.equal((await coordinator.get(`/quan-tri/tep/${f.id}`)).status, 404);
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select(["after_json"])
        .where("action", "=", "personal_data.erase")
        .where("entity_id", "=", String(item.id))
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.after_json ?? "{}").files, 2, "the audit says how many files went");
    });
  });
}
