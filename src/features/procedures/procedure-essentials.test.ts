import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { normalizeRecord } from "./normalize-record.ts";
import { essentialsOf, mainPapers, NO_UNIT_NOTE, placeOf, timeLimitText } from "./procedure-essentials.ts";
import type { ProcedureRecord } from "./procedure-record.ts";
import { selectSheets } from "./procedures.catalogue.ts";

const SHARED = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared");
const records = fs
  .readFileSync(path.join(SHARED, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .flatMap((l, i) => {
    const r = normalizeRecord(JSON.parse(l), i + 1);
    return r.ok ? [r.record] : [];
  });
const byCode = (code: string) => records.find((r) => r.code === code) as ProcedureRecord;

test("a bare number of the source keeps no guessed unit; a stated unit is kept; none is said", () => {
  assert.equal(timeLimitText("1"), `1 ${NO_UNIT_NOTE}`);
  assert.equal(timeLimitText(" 12 "), `12 ${NO_UNIT_NOTE}`);
  assert.equal(timeLimitText("3 Ngày làm việc"), "3 Ngày làm việc");
  assert.equal(timeLimitText(""), "nguồn không ghi thời hạn");
  // In the real catalogue, every bare-number time is marked, and no other is.
  const times = records.flatMap((r) => r.channels.map((c) => c.timeLimit));
  const bare = times.filter((t) => /^\d+$/.test(t));
  assert.ok(bare.length > 300, `the catalogue has its bare numbers (${bare.length})`);
  for (const t of times) assert.equal(timeLimitText(t).endsWith(NO_UNIT_NOTE), /^\d+$/.test(t), t);
});

test("where to submit: the procedure's own address, else the ward's desk, else the national record", () => {
  const r = byCode("1.000253"); // "Công an Xã"
  const override = { fee: null, receivingAddress: "Số 5 Lê Lợi", openingHours: "Sáng", note: null, updatedAt: "" };
  const contact = { address: "UBND phường, số 1", deskHours: "7h–11h", hotline: "", email: "", mapUrl: "" };
  assert.deepEqual(placeOf(r, override, contact), {
    where: "Số 5 Lê Lợi",
    local: true,
    sourceWhere: "Công an Xã",
    when: "Sáng",
  });
  assert.deepEqual(placeOf(r, null, contact), {
    where: "UBND phường, số 1",
    local: true,
    sourceWhere: "Công an Xã",
    when: "7h–11h",
  });
  assert.deepEqual(placeOf(r, null, null), { where: "Công an Xã", local: false, sourceWhere: "", when: "" });
  assert.equal(essentialsOf(r, null, null).online, false);
  assert.equal(essentialsOf(byCode("1.011471"), null, null).online, true);
});

test("the main papers of the longest procedure are cut to a screenful, and say so", () => {
  const longest = byCode("1.013229"); // Hoạt động xây dựng: 7 cases, 55 papers
  const p = mainPapers(longest.dossier, { maxItems: 6, maxCases: 4, maxChars: 140 });
  assert.equal(p.groups.length, 4);
  assert.equal(p.moreCases, longest.dossier.length - 4);
  assert.ok(p.groups.reduce((n, g) => n + g.items.length, 0) <= 6, "at most six papers");
  assert.ok(p.groups.every((g) => g.items.every((n) => n.length <= 140)) && p.truncated, "clipped, and marked");
  const short = byCode("1.000253");
  const all = mainPapers(short.dossier, { maxItems: 6, maxCases: 4, maxChars: 140 });
  assert.equal(all.truncated, false, "a one-paper procedure is shown whole");
  assert.equal(all.groups[0]?.items[0], "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)");
});

test("the board's selection: one field, and only sheets changed on or after a day", () => {
  const sheet = (field: string, changedOn: string) => ({ record: { field } as ProcedureRecord, changedOn });
  const sheets = [sheet("Hộ tịch", "2026-01-05"), sheet("Hộ tịch", "2026-03-01"), sheet("Đất đai", "2026-03-02")];
  assert.equal(selectSheets(sheets, { field: null, since: null }).length, 3);
  assert.equal(selectSheets(sheets, { field: "Hộ tịch", since: null }).length, 2);
  assert.deepEqual(
    selectSheets(sheets, { field: null, since: "2026-03-01" }).map((s) => s.changedOn),
    ["2026-03-01", "2026-03-02"],
  );
  assert.equal(selectSheets(sheets, { field: "Hộ tịch", since: "2026-03-02" }).length, 0);
});
