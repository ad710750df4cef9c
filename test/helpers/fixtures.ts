/** Small steps many integration tests share: the seed plan in the demo ward, row and blob counts. */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import type { Database } from "../../src/core/db/schema.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { confirmPlanImport } from "../../src/features/plans/plans.service.ts";
import { importProcedures } from "../../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../../src/features/procedures/read-records.ts";
import { resolveWard } from "../../src/features/units/units.service.ts";
import { type Browser, SHARED_DIR, seedPlanText, type TestWorld } from "./env.ts";

/**
 * Import the real commune-level procedures (../shared, 588 records) the test world can place: a few name provinces
 * outside its register, which a dry run refuses.
 */
export async function importRealProcedures(w: TestWorld): Promise<void> {
  const file = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
  const read = await readProcedureFile(fs.readFileSync(file), "cap-xa.jsonl");
  const now = w.now();
  const opts = { today: vnToday(now), now };
  const dry = await importProcedures(w.db.kysely, SYSTEM_ACTOR, read.rows, read.problems, { ...opts, dryRun: true });
  const refused = new Set(dry.problems.map((p) => p.line));
  const placeable = read.rows.filter((r) => !refused.has(r.line));
  const report = await importProcedures(w.db.kysely, SYSTEM_ACTOR, placeable, [], { ...opts, dryRun: false });
  if (!report.ok) throw new Error(`the procedures did not import: ${JSON.stringify(report.problems.slice(0, 3))}`);
}

/** Import the real seed plan into the demo ward (21439); returns the id of its first task. */
export async function importSeedPlan(w: TestWorld): Promise<number> {
  const today = vnToday(w.now());
  const ward = await resolveWard(w.db.kysely, "21439", today, "21439");
  assert.ok(ward, "the demo ward resolves");
  const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), { now: w.now(), today });
  assert.ok(r.ok, "the seed plan is imported");
  return (await w.db.kysely.selectFrom("tasks").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
}

/** How many rows a table holds. */
export async function rowCount(w: TestWorld, table: keyof Database): Promise<number> {
  const row = await w.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many blobs the world's file store holds (the data folder's `files/`, or the database's). */
export async function blobCount(w: TestWorld): Promise<number> {
  let n = 0;
  for await (const _ of w.files.list()) n++;
  return n;
}

let feedbackClients = 0;

/**
 * The public feedback form as a browser sends it (multipart, a fresh one-time token, each call its own client
 * address for the rate limit): a citizen's text, name, address and phone, with these files. `base` is "" or
 * "/w/{code}"; `app` must read the client address from `x-test-ip` (`w.appWith()`).
 */
export async function sendFeedbackForm(
  app: TestWorld["app"],
  files: { name: string; type: string; bytes: Uint8Array }[],
  opts: { base?: string; content?: string } = {},
): Promise<Response> {
  const base = opts.base ?? "";
  const page = await (await app.request(`${base}/gop-y`)).text();
  const form = new FormData();
  form.set("_form", /name="_form" value="([^"]+)"/.exec(page)?.[1] as string);
  form.set(
    "content",
    opts.content ?? "Đèn đường trước nhà văn hóa tổ dân phố 3 bị hỏng nhiều ngày nay (ảnh đính kèm).",
  );
  form.set("name", "Trần Văn Bình");
  form.set("address", "Tổ dân phố 3");
  form.set("phone", "0905 111 222");
  form.set("consent", "yes");
  for (const f of files) form.append("files", new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  const ip = `10.250.${Math.floor(++feedbackClients / 250)}.${feedbackClients % 250}`;
  return app.request(`${base}/gop-y`, { method: "POST", body: form, headers: { "x-test-ip": ip } });
}

/** The first task (in plan order) a unit leads, by the unit's code: where its officer records activities. */
export async function leadTaskOf(w: TestWorld, unitCode: string): Promise<number> {
  return (
    await w.db.kysely
      .selectFrom("tasks")
      .innerJoin("task_units", "task_units.task_id", "tasks.id")
      .select("tasks.id")
      .where("task_units.org_unit_id", "=", w.unitIds.get(unitCode) as number)
      .where("task_units.role", "=", "lead")
      .orderBy("tasks.position")
      .executeTakeFirstOrThrow()
  ).id;
}

/** Record a radio activity of a unit on a task through the task page, as its officer does; asserts it is saved. */
export async function recordRadioActivity(
  officer: Browser,
  w: TestWorld,
  taskId: number,
  a: { title: string; on: string; audience: string; cost: string },
): Promise<void> {
  const f = new FormData();
  f.set("orgUnitId", String(w.unitIds.get("radio")));
  f.set("channelKind", "radio");
  f.set("pillar", "procedures");
  f.set("title", a.title);
  f.set("occurredOn", a.on);
  f.set("audience", a.audience);
  f.set("cost", a.cost);
  const res = await officer.post(`/quan-tri/nhiem-vu/${taskId}/hoat-dong`, f);
  assert.equal(res.status, 303, `the activity "${a.title}" of ${a.on} is recorded`);
}

/** The result links of a search page, in order: where each leads past the redirect that counts the open. */
export function resultLinks(html: string): string[] {
  const list = /<ol class="items results"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? "";
  return [...list.matchAll(/<li><a href="([^"]+)"/g)].map((m) => {
    const href = (m[1] as string).replaceAll("&amp;", "&");
    return href.includes("/tim-kiem/mo?") ? (new URLSearchParams(href.split("?")[1]).get("den") ?? href) : href;
  });
}
