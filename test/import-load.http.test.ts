/**
 * Uploads are read off the request loop (issue 8, A.6): while the largest refused and the largest accepted plan
 * DOCX and procedure XLSX are being read, `/healthz` answers; files over the stated bounds (a zip bomb DOCX of huge
 * XML, an XLSX of too many rows) get a Vietnamese message and nothing is written.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isolatedRunsInProgress } from "../src/core/isolated.ts";
import { MAX_PROCEDURE_ROWS } from "../src/features/procedures/read-records.ts";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { largestAcceptedDocx, procedureWorkbook, zipBombDocx } from "./helpers/import-files.ts";

const fileForm = (bytes: Uint8Array, name: string) => {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], name));
  return form;
};

for (const target of testDatabases()) {
  describe(`imports do not block the server (${target.name})`, () => {
    let w: TestWorld;
    let coord: Browser;
    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office", { operator: true }); // procedure imports are the operator's
      coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
    });
    after(async () => w.cleanup());

    /** Whether the import wrote no row of that table. */
    const nothingIn = async (table: "plans" | "procedures") =>
      (await w.db.kysely.selectFrom(table).select("id").limit(1).execute()).length === 0;

    /**
     * Starts an upload, waits until its file is being read in a worker, asks `/healthz`, and checks that the health
     * answer came while the upload was still unanswered. Returns the upload's response.
     */
    async function healthzAnswersDuring(upload: () => Promise<Response>): Promise<Response> {
      let uploadDone = false;
      const pending = upload().finally(() => {
        uploadDone = true;
      });
      for (let i = 0; i < 12_000 && isolatedRunsInProgress() === 0 && !uploadDone; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(isolatedRunsInProgress(), 1, "the uploaded file is being read in a worker thread");
      const health = await w.app.request("/healthz");
      assert.equal(health.status, 200, "/healthz answers while the file is read");
      assert.equal(((await health.json()) as { status: string }).status, "ok", "/healthz says ok");
      assert.equal(uploadDone, false, "/healthz answered before the upload, not after it");
      return pending;
    }

    test("a zip bomb DOCX (45 MB of XML): /healthz answers meanwhile; refused in Vietnamese, nothing written", async () => {
      const res = await healthzAnswersDuring(() =>
        coord.post("/quan-tri/ke-hoach/nhap", fileForm(zipBombDocx(), "ke-hoach.docx")),
      );
      const html = await res.text();
      assert.equal(res.status, 400, html.slice(0, 500));
      assert.match(html, /Nội dung văn bản Word quá lớn khi giải nén \(tối đa 4 MB\)/);
      assert.ok(await nothingIn("plans"), "nothing written");
    });

    test("the largest DOCX accepted (document.xml at the cap): /healthz answers meanwhile; previewed", async () => {
      const res = await healthzAnswersDuring(() =>
        coord.post("/quan-tri/ke-hoach/nhap", fileForm(largestAcceptedDocx(), "ke-hoach.docx")),
      );
      const html = await res.text();
      assert.equal(res.status, 200, html.slice(0, 500));
      assert.match(html, /Xem trước kế hoạch/);
      assert.match(html, /18\/KH-UBND/, "the plan's number was read");
      assert.ok(await nothingIn("plans"), "a preview writes nothing");
    });

    test("an XLSX of too many rows: /healthz answers meanwhile; refused in Vietnamese, nothing written", async () => {
      const res = await healthzAnswersDuring(async () =>
        coord.post("/quan-tri/thu-tuc/nhap", fileForm(await procedureWorkbook(MAX_PROCEDURE_ROWS + 1), "tthc.xlsx")),
      );
      const html = await res.text();
      assert.equal(res.status, 422, html.slice(0, 500));
      assert.match(html, /có hơn 5\.000 dòng thủ tục, quá giới hạn một lần nhập: chưa có gì được lưu/);
      assert.doesNotMatch(html, /name="token"/, "no confirmation offered");
      assert.ok(await nothingIn("procedures"), "nothing written");
    });

    test("the largest XLSX accepted (5,000 procedures): /healthz answers meanwhile; the dry run counts them", async () => {
      const res = await healthzAnswersDuring(async () =>
        coord.post("/quan-tri/thu-tuc/nhap", fileForm(await procedureWorkbook(MAX_PROCEDURE_ROWS), "tthc.xlsx")),
      );
      const html = await res.text();
      assert.equal(res.status, 200, html.slice(0, 500));
      assert.match(html, /5000 mới, 0 thay đổi, 0 không đổi/);
      assert.ok(await nothingIn("procedures"), "a dry run writes nothing");
    });
  });
}
