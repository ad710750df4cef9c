/**
 * The real 588 commune-level procedures (../shared/data/tthc-dichvucong-2026/cap-xa.jsonl) imported into a test
 * world, with the two provinces some of them name, as the search tests over HTTP need them.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { importProcedures } from "../../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../../src/features/procedures/read-records.ts";
import { SHARED_DIR, type TestWorld } from "./env.ts";

export const REAL_PROCEDURES = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");

/** Import the 588 records (and the provinces of their provincial decisions) into `w`, as of its clock. */
export async function importRealProcedures(w: TestWorld): Promise<void> {
  for (const [code, name, key] of [
    ["42", "Hà Tĩnh", "ha tinh"],
    ["14", "Sơn La", "son la"],
  ] as const)
    await w.db.kysely
      .insertInto("admin_units")
      .values({ code, name: `Tỉnh ${name}`, short_name: name, type: "tinh", level: "province", name_key: key })
      .execute();
  const read = await readProcedureFile(fs.readFileSync(REAL_PROCEDURES), "cap-xa.jsonl");
  const now = w.now();
  const r = await importProcedures(w.db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
    dryRun: false,
    today: vnToday(now),
    now,
  });
  assert.ok(r.ok && r.counts.new === 588, JSON.stringify(r.problems.slice(0, 3)));
}
