/**
 * PDFs with active content refused at upload, over HTTP on every database: a citizen's PDF carrying a script (even
 * one hidden in a compressed object stream) or a launch action gets a 415 with a Vietnamese reason and stores
 * nothing, on the public feedback form and as a task's evidence; a plain PDF, compressed the same way, is taken.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { blobCount, importSeedPlan, rowCount, sendFeedbackForm } from "./helpers/fixtures.ts";
import { buildPdf, onePage } from "./helpers/pdf.ts";

const JS_ON_OPEN = buildPdf(
  onePage({ catalogExtra: "/OpenAction 5 0 R" }).concat(
    "<< /Type /Action /S /JavaScript /JS (app.launchURL\\('https://x.example'\\)) >>",
  ),
);
const JS_IN_OBJECT_STREAM = buildPdf(
  onePage({ catalogExtra: "/OpenAction 5 0 R" }).concat(
    "<< /S /JavaScript /JS (this.exportDataObject\\({cName: 'a'}\\)) >>",
  ),
  { objectStream: [1, 5] },
);
const LAUNCH = buildPdf(
  onePage({ pageExtra: "/Annots [<< /Subtype /Link /Rect [0 0 595 842] /A << /S /Launch /F (cmd.exe) >> >>]" }),
);
const CONTENT = "Đề nghị phường sửa đường ống nước bị vỡ ở tổ dân phố 5 (đơn đính kèm).";
const PLAIN_COMPRESSED = buildPdf(onePage({ text: "Don de nghi" }), { objectStream: [1, 2, 3] });

for (const target of testDatabases()) {
  describe(`PDFs with active content are refused at upload (${target.name})`, () => {
    let w: TestWorld;
    let app: TestWorld["app"];
    const _ip = 0;
    let officer: Browser;
    let taskId = 0;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      taskId = await importSeedPlan(w);
      await w.createStaff("dieuphoipdf", "coordinator");
      officer = await logIn(app, "dieuphoipdf", pw("dieuphoipdf"));
    });
    after(async () => w.cleanup());

    const snapshot = async () => ({
      items: await rowCount(w, "feedback_items"),
      files: await rowCount(w, "stored_files"),
      updates: await rowCount(w, "task_updates"),
      blobs: await blobCount(w),
    });

    const sendFeedback = (name: string, bytes: Uint8Array) =>
      sendFeedbackForm(app, [{ name, type: "application/pdf", bytes }], { content: CONTENT });

    for (const [what, pdf, reason] of [
      ["a script run on opening", JS_ON_OPEN, /có mã JavaScript/],
      ["a script hidden in a compressed object stream", JS_IN_OBJECT_STREAM, /có mã JavaScript/],
      ["a launch action", LAUNCH, /có lệnh mở chương trình/],
    ] as const) {
      test(`feedback form: ${what} → 415, a Vietnamese reason, nothing stored, the text kept`, async () => {
        const before = await snapshot();
        const res = await sendFeedback("don-de-nghi.pdf", pdf);
        assert.equal(res.status, 415);
        const html = await res.text();
        assert.match(html, /Tệp PDF “don-de-nghi\.pdf” không được chấp nhận vì/);
        assert.match(html, reason);
        assert.match(html, /đường ống nước bị vỡ/, "what the citizen typed is kept");
        assert.deepEqual(await snapshot(), before, "no item, no file row, no blob");
      });
    }

    test("task evidence: a PDF with a script → 415, no update, no file; a plain compressed PDF is taken", async () => {
      const before = await snapshot();
      const bad = new FormData();
      bad.set("status", "in_progress");
      bad.set("note", "Biên bản họp triển khai");
      bad.append("files", new File([new Uint8Array(JS_IN_OBJECT_STREAM)], "bien-ban.pdf"));
      const refused = await officer.post(`/quan-tri/nhiem-vu/${taskId}/cap-nhat`, bad);
      assert.equal(refused.status, 415);
      assert.match(await refused.text(), /Tệp PDF “bien-ban\.pdf” không được chấp nhận vì có mã JavaScript/);
      assert.deepEqual(await snapshot(), before, "nothing is written");

      const good = new FormData();
      good.set("status", "in_progress");
      good.set("note", "Biên bản họp triển khai");
      good.append("files", new File([new Uint8Array(PLAIN_COMPRESSED)], "bien-ban.pdf"));
      assert.equal((await officer.post(`/quan-tri/nhiem-vu/${taskId}/cap-nhat`, good)).status, 303);
      const after = await snapshot();
      assert.equal(after.files, before.files + 1, "the plain PDF is stored");
    });

    test("feedback form: a plain PDF with compressed objects is taken", async () => {
      const res = await sendFeedback("don.pdf", PLAIN_COMPRESSED);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /PA-20\d\d-/);
    });
  });
}
