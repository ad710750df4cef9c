/**
 * Issue 8, C.3: the import preview shows each task's timing in its own editable column, read only where the task
 * states it; the timings as edited are what the saved tasks recur on or fall due by. On every database.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

for (const target of testDatabases()) {
  describe(`plan import timing column (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office");
    });
    after(async () => w.cleanup());

    test("the seed plan: only the task that states it gets a timing; edited timings are saved", async () => {
      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const f = new FormData();
      f.set("text", seedPlanText());
      const preview = await coord.post("/quan-tri/ke-hoach/nhap", f);
      const html = await preview.text();
      assert.equal(preview.status, 200, html.slice(0, 500));
      assert.match(html, /<th scope="col">Thời gian<\/th>/, "the preview has a timing column");
      // Group 1: task 2 only speaks of "tính thường xuyên" (no timing); task 5 opens with "Thường xuyên".
      assert.match(html, /name="timing-1-2" value=""/, "no timing read from “đảm bảo tính thường xuyên”");
      assert.match(html, /name="timing-1-5" value="thường xuyên"/, "“Thường xuyên rà soát …” states its timing");
      assert.doesNotMatch(html, /cơ quan\.\s*thường xuyên/, "the timing is not glued to the task's text");

      const confirm = new FormData();
      confirm.set("text", seedPlanText());
      confirm.set("timing-1-2", "Hằng quý");
      confirm.set("timing-1-5", "");
      confirm.set("timing-2-0", "30/6/2024");
      const saved = await coord.post("/quan-tri/ke-hoach/xac-nhan", confirm);
      assert.equal(saved.status, 303, (await saved.text()).slice(0, 500));
      const tasks = await w.db.kysely
        .selectFrom("tasks")
        .select(["text", "recurrence", "due_on"])
        .orderBy("id")
        .execute();
      assert.equal(tasks.length, 16);
      assert.deepEqual(
        [tasks[2]?.recurrence, tasks[2]?.due_on],
        ["quarterly", null],
        "task 2 recurs as edited (hằng quý)",
      );
      assert.equal(tasks[5]?.recurrence, null, "the cleared timing leaves task 5 without recurrence");
      assert.equal(tasks[6]?.due_on, "2024-06-30", "a date typed in the preview becomes the due date");
    });
  });
}
