/**
 * Task tracking and the activity ledger against a real database: SQLite in memory always, and PostgreSQL (a schema
 * of its own, dropped after) when TEST_DATABASE_URL is set. No mocks: the rows are inserted with Kysely.
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import pg from "pg";
import type { Actor } from "../../core/audit.ts";
import { type Db, openPostgres, openSqlite } from "../../core/db/connection.ts";
import { migrateToLatest } from "../../core/db/migrate.ts";
import type { User } from "../../core/db/schema.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { FileOwners, openStoredFile } from "../../core/files.ts";
import { createLogger } from "../../core/log.ts";
import type { AppEnv, Deps, Ward } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { storedFileRoutes } from "../../core/web/stored-files.ts";
import { registerEvidenceFiles } from "./evidence-files.ts";
import { trackingStaffRoutes } from "./tracking.routes.tsx";
import { listMyTasks, planProgress, recordActivity, taskDetail, updateTask } from "./tracking.service.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const EXE = Buffer.concat([
  Buffer.from("MZ"),
  Buffer.alloc(200, 0x90),
  Buffer.from("This program cannot be run in DOS mode"),
]);
const MAX = 64 * 1024;
const NOW = new Date("2024-05-10T03:00:00Z"); // 10/05/2024 in Vietnam

interface Target {
  name: string;
  open(): Promise<{ db: Db; drop(): Promise<void> }>;
}

const targets: Target[] = [
  { name: "sqlite", open: async () => ({ db: openSqlite(":memory:"), drop: async () => {} }) },
];
const PG_URL = process.env.TEST_DATABASE_URL;
if (PG_URL) {
  targets.push({
    name: "postgres",
    async open() {
      const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      return {
        db: openPostgres(PG_URL, { searchPath: schema, max: 4 }),
        drop: async () => {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`drop schema ${schema} cascade`);
          await c.end();
        },
      };
    },
  });
}

interface World {
  db: Db;
  deps: Deps;
  dataDir: string;
  ward: Ward;
  unitA: number;
  unitB: number;
  users: Record<"admin" | "officerA" | "officerB" | "viewer", User>;
  plan: number;
  taskA: number;
  taskB: number;
  taskShared: number;
  taskMonthly: number;
  otherWardFile: number;
  close(): Promise<void>;
}

const actorOf = (u: User): Actor => ({ userId: u.id, name: u.username, wardId: u.ward_id });

async function makeWorld(target: Target): Promise<World> {
  const { db, drop } = await target.open();
  await migrateToLatest(db);
  const k = db.kysely;
  const at = "2024-01-02T00:00:00.000Z";
  const unitRow = (code: string, name: string) => ({
    code,
    name,
    short_name: name,
    type: "phuong",
    level: "commune",
    parent_id: null,
    valid_from: null,
    valid_to: null,
    name_key: name.toLowerCase(),
  });
  const wardUnit = await k
    .insertInto("admin_units")
    .values(unitRow("21439", "Phường Đức Phổ"))
    .returningAll()
    .executeTakeFirstOrThrow();
  const otherWard = await k
    .insertInto("admin_units")
    .values(unitRow("21442", "Phường Sa Huỳnh"))
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = async (name: string, wardId = wardUnit.id) =>
    (
      await k
        .insertInto("org_units")
        .values({
          ward_id: wardId,
          code: null,
          name,
          valid_from: null,
          valid_to: null,
          successor_id: null,
          created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const unitA = await org("Văn hóa – Xã hội");
  const unitB = await org("Tư pháp – Hộ tịch");
  const user = (username: string, role: string, orgUnitId: number | null, wardId = wardUnit.id) =>
    k
      .insertInto("users")
      .values({
        ward_id: wardId,
        username,
        display_name: username.toUpperCase(),
        password_hash: "x",
        role,
        org_unit_id: orgUnitId,
        active: 1,
        totp_secret: null,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  const users = {
    admin: await user("admin1", "admin", null),
    officerA: await user("canbo_a", "officer", unitA),
    officerB: await user("canbo_b", "officer", unitB),
    viewer: await user("captren", "viewer", null),
  };
  const plan = (
    await k
      .insertInto("plans")
      .values({
        ward_id: wardUnit.id,
        kind: "Kế hoạch",
        number: "18/KH-UBND",
        number_key: "18/kh-ubnd",
        issued_on: "2024-02-19",
        title: "Tuyên truyền cải cách hành chính năm 2024",
        place: null,
        issuer: null,
        period_from: "2024-01-01",
        period_to: "2024-12-31",
        basis_json: "[]",
        purposes_json: "[]",
        requirements_json: "[]",
        documents_text: "",
        mentions_json: "[]",
        recipients_json: "[]",
        signer_position: null,
        signer_name: null,
        source_hash: "h",
        source_text: "",
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await k
    .insertInto("plan_content_areas")
    .values([
      { plan_id: plan, code: "2.1", title: "Thủ tục hành chính", pillar: "procedures", items_json: "[]", position: 0 },
      { plan_id: plan, code: "2.2", title: "Chuyển đổi số", pillar: "e_government", items_json: "[]", position: 1 },
    ])
    .execute();
  let pos = 0;
  const task = async (
    text: string,
    units: [number, "lead" | "support"][],
    extra: { due_on?: string; recurrence?: string } = {},
  ) => {
    const id = (
      await k
        .insertInto("tasks")
        .values({
          plan_id: plan,
          ward_id: wardUnit.id,
          group_code: "1",
          group_heading: "Các đơn vị",
          position: pos++,
          text,
          text_key: text.toLowerCase(),
          status: "not_started",
          due_on: extra.due_on ?? null,
          recurrence: extra.recurrence ?? null,
          removed_at: null,
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    if (units.length)
      await k
        .insertInto("task_units")
        .values(units.map(([org_unit_id, role]) => ({ task_id: id, org_unit_id, role })))
        .execute();
    return id;
  };
  const taskA = await task("Tuyên truyền thủ tục hành chính trên loa truyền thanh", [[unitA, "lead"]], {
    due_on: "2024-12-31",
  });
  const taskB = await task("Niêm yết thủ tục hộ tịch", [[unitB, "lead"]], { due_on: "2024-12-31" });
  const taskShared = await task(
    "Hội nghị đối thoại với Nhân dân",
    [
      [unitB, "lead"],
      [unitA, "support"],
    ],
    { due_on: "2024-04-30" },
  );
  const taskMonthly = await task("Cập nhật tin bài lên trang thông tin điện tử", [[unitA, "lead"]], {
    recurrence: "monthly",
  });
  const otherWardFile = (
    await k
      .insertInto("stored_files")
      .values({
        ward_id: otherWard.id,
        sha256: "0".repeat(64),
        mime: "image/png",
        size: 1,
        original_name: "x.png",
        created_by: null,
        created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-tracking-"));
  const config = {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    databaseUrl: null,
    sqliteFile: ":memory:",
    sharedDir: ".",
    defaultWard: "21439",
    publicUrl: null,
    trustProxy: false as const,
    sessionHours: 12,
    sessionIdleMinutes: 120,
    uploadMaxBytes: MAX,
    logLevel: "silent",
    procedureLevels: ["Cấp xã"],
    production: false,
  };
  const deps: Deps = { db, config, clock: () => NOW, log: createLogger("silent") };
  const ward: Ward = { unit: wardUnit, province: null, scopeIds: [wardUnit.id], predecessors: [], base: "" };
  return {
    db,
    deps,
    dataDir,
    ward,
    unitA,
    unitB,
    users,
    plan,
    taskA,
    taskB,
    taskShared,
    taskMonthly,
    otherWardFile,
    async close() {
      await db.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table a use case writes. */
async function counts(db: Db) {
  const n = async (t: "task_updates" | "activities" | "stored_files" | "evidence" | "audit_log") =>
    Number(
      (
        await db.kysely
          .selectFrom(t)
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    updates: await n("task_updates"),
    activities: await n("activities"),
    files: await n("stored_files"),
    evidence: await n("evidence"),
    audit: await n("audit_log"),
  };
}

const taskStatusOf = async (w: World, id: number) =>
  (await w.db.kysely.selectFrom("tasks").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

const goodActivity = (w: World, over: Record<string, unknown> = {}) => ({
  taskId: w.taskA,
  orgUnitId: w.unitA,
  channelKind: "radio",
  pillar: "procedures",
  title: "Phát bản tin về dịch vụ công trực tuyến",
  occurredOn: "2024-05-08",
  audience: "1.200",
  cost: "150000",
  ...over,
});

for (const target of targets) {
  describe(`tracking on ${target.name}`, () => {
    let w: World;
    before(async () => {
      w = await makeWorld(target);
    });
    after(async () => {
      await w?.close();
    });

    test("an officer updates a task of their unit: status changes, history and audit written", async () => {
      const before = await counts(w.db);
      const r = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskA, {
        status: "in_progress",
        note: "Đã phát 2 bản tin.",
        files: [],
      });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(await taskStatusOf(w, w.taskA), "in_progress");
      const afterCounts = await counts(w.db);
      assert.equal(afterCounts.updates, before.updates + 1);
      assert.equal(afterCounts.audit, before.audit + 1);
      const log = await w.db.kysely.selectFrom("audit_log").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
      assert.equal(log.action, "task.update");
      assert.equal(log.entity_id, String(w.taskA));
      assert.equal(log.user_id, w.users.officerA.id);
      assert.equal(log.actor, "canbo_a");
      assert.deepEqual(JSON.parse(log.before_json ?? "{}"), { status: "not_started" });
      assert.equal(JSON.parse(log.after_json ?? "{}").status, "in_progress");
    });

    test("a supporting unit may act on the task too", async () => {
      const r = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskShared, {
        status: "in_progress",
        note: "Chuẩn bị tài liệu.",
      });
      assert.ok(r.ok, "expected: r.ok");
    });

    test("an officer cannot touch another unit's task, and nothing is written", async () => {
      const before = await counts(w.db);
      const u = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskB, {
        status: "done",
        note: "x",
        files: [{ name: "a.png", bytes: PNG }],
      });
      assert.equal(u.ok, false);
      assert.equal(!u.ok && u.status, 403);
      const a = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, { taskId: w.taskB }),
      );
      assert.equal(!a.ok && a.status, 403);
      // Nor record for another unit on their own task.
      const other = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, { orgUnitId: w.unitB }),
      );
      assert.equal(!other.ok && other.status, 403);
      assert.deepEqual(await counts(w.db), before);
      assert.equal(await taskStatusOf(w, w.taskB), "not_started");
      assert.equal(fs.existsSync(path.join(w.dataDir, "files")), false);
    });

    test("a viewer may never act; an admin may act on any task of the ward", async () => {
      const v = await updateTask(w.deps, actorOf(w.users.viewer), w.users.viewer, w.taskA, {
        status: "done",
        note: "x",
      });
      assert.equal(!v.ok && v.status, 403);
      const missing = await updateTask(w.deps, actorOf(w.users.admin), w.users.admin, 999_999, {
        status: "done",
        note: "x",
      });
      assert.equal(!missing.ok && missing.status, 404);
      const before = await counts(w.db);
      const r = await recordActivity(
        w.deps,
        actorOf(w.users.admin),
        w.users.admin,
        goodActivity(w, { taskId: w.taskB, orgUnitId: w.unitB }),
      );
      assert.ok(r.ok, JSON.stringify(r));
      // Work recorded on a task not yet started puts it in progress, audited in the same transaction.
      assert.equal(await taskStatusOf(w, w.taskB), "in_progress");
      const afterCounts = await counts(w.db);
      assert.equal(afterCounts.activities, before.activities + 1);
      assert.equal(afterCounts.audit, before.audit + 2);
    });

    test("bad input gives Vietnamese errors per field and writes nothing", async () => {
      const before = await counts(w.db);
      const r = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, {
          occurredOn: "2024-05-11",
          audience: "-5",
          channelKind: "carrier_pigeon",
          cost: "12,5",
          title: "  ",
        }),
      );
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.status, 400);
      assert.equal(r.errors.occurredOn, "Ngày thực hiện không được sau hôm nay.");
      assert.equal(r.errors.audience, "Số lượt người được tiếp cận phải là số nguyên không âm.");
      assert.equal(r.errors.channelKind, "Hãy chọn hình thức tuyên truyền trong danh sách.");
      assert.equal(r.errors.cost, "Kinh phí phải là số tiền (đồng) không âm, không có phần lẻ.");
      assert.equal(r.errors.title, "Hãy nhập tên hoạt động.");
      const bad = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, { occurredOn: "31/02/2024", pillar: "astrology" }),
      );
      assert.ok(
        !bad.ok && bad.errors.occurredOn?.startsWith("Ngày thực hiện không hợp lệ"),
        'expected: !bad.ok && bad.errors.occurredOn?.startsWith("Ngày thực hiện không hợp lệ")',
      );
      assert.ok(
        !bad.ok && bad.errors.pillar?.includes("không hợp lệ"),
        'expected: !bad.ok && bad.errors.pillar?.includes("không hợp lệ")',
      );
      const status = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskA, {
        status: "finished",
        note: "",
      });
      assert.ok(
        !status.ok && status.errors.status === "Hãy chọn tình trạng của nhiệm vụ.",
        'expected: !status.ok && status.errors.status === "Hãy chọn tình trạng của nhiệm vụ."',
      );
      const empty = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskA, {
        status: "in_progress",
        note: "  ",
      });
      assert.ok(
        !empty.ok && empty.errors.note?.startsWith("Hãy ghi nội dung cập nhật"),
        'expected: !empty.ok && empty.errors.note?.startsWith("Hãy ghi nội dung cập nhật")',
      );
      assert.deepEqual(await counts(w.db), before);
    });

    test("Vietnamese date and number formats are understood", async () => {
      const r = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, { occurredOn: "08/05/2024", cost: "1.500.000" }),
      );
      assert.ok(r.ok, JSON.stringify(r));
      const row = await w.db.kysely
        .selectFrom("activities")
        .selectAll()
        .where("id", "=", r.value.activityId)
        .executeTakeFirstOrThrow();
      assert.equal(row.occurred_on, "2024-05-08");
      assert.equal(Number(row.cost), 1_500_000);
      assert.equal(Number(row.audience), 1200);
      assert.equal(row.source, "manual");
      assert.equal(row.ward_id, w.ward.unit.id);
      assert.equal(row.plan_id, w.plan);
    });

    test("evidence: a PNG is stored and linked; a renamed .exe and an oversize file are refused", async () => {
      const ok = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, { files: [{ name: "../../ảnh hội nghị.png", bytes: PNG }] }),
      );
      assert.ok(ok.ok, JSON.stringify(ok));
      const [fileId] = ok.value.fileIds;
      assert.ok(fileId, "expected: fileId");
      const file = await w.db.kysely
        .selectFrom("stored_files")
        .selectAll()
        .where("id", "=", fileId)
        .executeTakeFirstOrThrow();
      assert.equal(file.original_name, "ảnh hội nghị.png");
      assert.equal(file.mime, "image/png");
      const link = await w.db.kysely
        .selectFrom("evidence")
        .selectAll()
        .where("file_id", "=", fileId)
        .executeTakeFirstOrThrow();
      assert.equal(link.activity_id, ok.value.activityId);
      assert.ok(
        fs.existsSync(path.join(w.dataDir, "files", file.sha256.slice(0, 2), file.sha256)),
        'expected: fs.existsSync(path.join(w.dataDir, "files", file.sha256.slice(0, 2), file.sha256))',
      );

      const up = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskA, {
        status: "in_progress",
        note: "Ảnh buổi phát thanh",
        files: [{ name: "anh.png", bytes: PNG }],
      });
      assert.ok(up.ok, "expected: up.ok");
      const upLink = await w.db.kysely
        .selectFrom("evidence")
        .selectAll()
        .where("task_update_id", "=", up.value.updateId)
        .executeTakeFirstOrThrow();
      assert.equal(upLink.activity_id, null);

      const before = await counts(w.db);
      const blobsBefore = fs.readdirSync(path.join(w.dataDir, "files")).length;
      const exe = await updateTask(w.deps, actorOf(w.users.officerA), w.users.officerA, w.taskA, {
        status: "done",
        note: "x",
        files: [{ name: "bien-ban.pdf", bytes: EXE }],
      });
      assert.ok(!exe.ok && exe.status === 415, "expected: !exe.ok && exe.status === 415");
      assert.ok(
        !exe.ok && exe.errors.files?.includes("không được chấp nhận"),
        'expected: !exe.ok && exe.errors.files?.includes("không được chấp nhận")',
      );
      const big = await recordActivity(
        w.deps,
        actorOf(w.users.officerA),
        w.users.officerA,
        goodActivity(w, { files: [{ name: "to.png", bytes: Buffer.concat([PNG, Buffer.alloc(MAX)]) }] }),
      );
      assert.ok(!big.ok && big.status === 413, "expected: !big.ok && big.status === 413");
      assert.equal(!big.ok && big.errors.files, "Tệp quá lớn (tối đa 0,1 MB).");
      assert.deepEqual(await counts(w.db), before);
      assert.equal(fs.readdirSync(path.join(w.dataDir, "files")).length, blobsBefore);
      assert.equal(await taskStatusOf(w, w.taskA), "in_progress");
    });

    test("another feature's ledger entry is recorded once per (source, sourceRef)", async () => {
      const input = {
        planId: w.plan,
        orgUnitId: w.unitA,
        channelKind: "feedback_answer",
        pillar: "procedures",
        title: "Trả lời phản ánh về hộ tịch",
        occurredOn: "2024-05-09",
        source: "feedback",
        sourceRef: "PA-2024-0001",
      };
      const first = await recordActivity(w.deps, actorOf(w.users.officerA), w.users.officerA, input);
      const again = await recordActivity(w.deps, actorOf(w.users.officerA), w.users.officerA, input);
      assert.ok(first.ok && again.ok, "expected: first.ok && again.ok");
      assert.equal(first.value.created, true);
      assert.equal(again.value.created, false);
      assert.equal(again.value.activityId, first.value.activityId);
    });

    test("lists: an officer sees the tasks of their unit (lead and support); others see the ward by lead unit", async () => {
      const mine = await listMyTasks(w.deps, w.users.officerA, "2024-05-10");
      assert.equal(mine.scope, "unit");
      const ids = mine.groups.flatMap((g) => g.tasks.map((t) => t.id)).sort((a, b) => a - b);
      assert.deepEqual(
        ids,
        [w.taskA, w.taskShared, w.taskMonthly].sort((a, b) => a - b),
      );
      const shared = mine.groups[0]?.tasks.find((t) => t.id === w.taskShared);
      assert.equal(shared?.role, "support");
      assert.equal(shared?.state, "overdue"); // due 30/04/2024, not done
      // Its units are all of its units, the other unit's lead among them, not only the officer's own.
      assert.deepEqual(
        shared?.units.map((u) => `${u.role}:${u.name}`),
        ["lead:Tư pháp – Hộ tịch", "support:Văn hóa – Xã hội"],
        "the shared task lists its lead unit and the officer's supporting unit",
      );
      const all = await listMyTasks(w.deps, w.users.viewer, "2024-05-10");
      assert.equal(all.scope, "ward");
      assert.deepEqual(all.groups.map((g) => g.unitName).sort(), ["Tư pháp – Hộ tịch", "Văn hóa – Xã hội"]);
    });

    test("task detail: history with evidence, ledger rows, and who may act", async () => {
      const d = await taskDetail(w.deps, w.users.officerA, w.taskA, "2024-05-10");
      assert.ok(d, "expected: d");
      assert.equal(d.canUpdate, true);
      assert.equal(d.canRecord, true);
      assert.deepEqual(d.unitChoices, [{ id: w.unitA, name: "Văn hóa – Xã hội" }]);
      assert.ok(
        d.updates.some((u) => u.files.length === 1),
        "expected: d.updates.some((u) => u.files.length === 1)",
      );
      assert.ok(
        d.activities.some((a) => a.files.length === 1),
        "expected: d.activities.some((a) => a.files.length === 1)",
      );
      assert.equal(d.task.lastWorkOn, "2024-05-10");
      assert.equal(d.contentAreas.length, 2);
      const other = await taskDetail(w.deps, w.users.officerB, w.taskA, "2024-05-10");
      assert.equal(other?.canUpdate, false);
      assert.equal(other?.canRecord, false);
      const viewer = await taskDetail(w.deps, w.users.viewer, w.taskA, "2024-05-10");
      assert.equal(viewer?.canUpdate, false);
    });

    test("plan progress: states per lead unit, ledger figures per content area, totals", async () => {
      const p = await planProgress(w.db.kysely, w.plan, "2024-05-10");
      assert.equal(p.totals.tasks, 4);
      const a = p.byUnit.find((u) => u.unitId === w.unitA);
      // taskA in progress; the monthly task has had no work since the plan began on 01/01/2024 → overdue.
      assert.deepEqual(a?.counts, { not_started: 0, in_progress: 1, done: 0, overdue: 1 });
      assert.equal(p.states.get(w.taskMonthly), "overdue");
      const procedures = p.byArea.find((r) => r.pillar === "procedures");
      assert.equal(procedures?.code, "2.1");
      assert.equal(procedures?.activities, 4);
      assert.equal(p.byArea.find((r) => r.pillar === "e_government")?.activities, 0);
      assert.equal(p.totals.activities, 4);
      assert.equal(p.totals.audience, 3 * 1200);
      assert.equal(p.totals.cost, 150_000 * 2 + 1_500_000);
    });

    test("evidence downloads only within the ward", async () => {
      const f = await w.db.kysely
        .selectFrom("stored_files")
        .select("id")
        .where("ward_id", "=", w.ward.unit.id)
        .executeTakeFirstOrThrow();
      const owners = new FileOwners();
      registerEvidenceFiles(owners);
      const viewer = { ...w.users.officerB, wardScope: w.ward.scopeIds };
      const mine = await openStoredFile({ db: w.deps.db, files: fileStoreOf(w.deps) }, owners, viewer, f.id);
      assert.ok(mine.ok, "an officer of another unit reads the ward's evidence");
      assert.deepEqual(Buffer.from(mine.bytes), PNG);
      assert.deepEqual(
        await openStoredFile({ db: w.deps.db, files: fileStoreOf(w.deps) }, owners, viewer, w.otherWardFile),
        { ok: false, status: 404 },
      );
    });

    describe("pages", () => {
      const CSRF = "csrf-token-for-tests";
      const appAs = (user: User) => {
        const app = new Hono<AppEnv>();
        app.use("*", async (c, next) => {
          c.set("deps", w.deps);
          c.set("ward", w.ward);
          c.set("session", { id: "s", csrfToken: CSRF, user });
          c.set("ip", "127.0.0.1");
          await next();
        });
        const owners = new FileOwners();
        registerEvidenceFiles(owners);
        app.route("/quan-tri", storedFileRoutes(owners));
        app.route("/quan-tri", trackingStaffRoutes());
        app.onError((err, c) => {
          if (err instanceof AppError) return c.text(err.message, err.status);
          if (err instanceof HTTPException) return c.text("http", err.status);
          return c.text(String(err), 500);
        });
        return app;
      };
      const form = (fields: Record<string, string>, files: { name: string; bytes: Uint8Array }[] = []) => {
        const fd = new FormData();
        for (const [k, v] of Object.entries(fields)) fd.append(k, v);
        for (const f of files) fd.append("files", new File([new Uint8Array(f.bytes)], f.name));
        return fd;
      };

      test("the unit's task list and the task page with its forms", async () => {
        const list = await appAs(w.users.officerA).request("/quan-tri/viec-cua-toi");
        assert.equal(list.status, 200);
        const html = await list.text();
        assert.match(html, /Việc của đơn vị tôi/);
        assert.match(html, /Hạn 30\/04\/2024/);
        assert.match(html, new RegExp(`href="/quan-tri/nhiem-vu/${w.taskShared}"`));
        assert.doesNotMatch(html, /Niêm yết thủ tục hộ tịch/);
        const page = await (await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskA}`)).text();
        assert.match(page, /Cập nhật tiến độ/);
        assert.match(page, /Ghi nhận hoạt động tuyên truyền/);
        assert.match(page, new RegExp(`name="_csrf" value="${CSRF}"`));
        assert.match(page, /enctype="multipart\/form-data"/);
        assert.match(page, new RegExp(`href="/quan-tri/ke-hoach/${w.plan}"`));
        const other = await (await appAs(w.users.officerB).request(`/quan-tri/nhiem-vu/${w.taskA}`)).text();
        assert.doesNotMatch(other, /Cập nhật tiến độ<\/h2>/);
        assert.doesNotMatch(other, /<form method="post" action="\/quan-tri\/nhiem-vu/);
      });

      test("posting: CSRF required, 303 on success, 400 with kept input, 403 for another unit", async () => {
        const noToken = await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskA}/cap-nhat`, {
          method: "POST",
          body: form({ status: "in_progress", note: "a" }),
        });
        assert.equal(noToken.status, 403);
        const ok = await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskA}/cap-nhat`, {
          method: "POST",
          body: form({ _csrf: CSRF, status: "in_progress", note: "Đã làm thêm" }, [{ name: "anh.png", bytes: PNG }]),
        });
        assert.equal(ok.status, 303);
        assert.equal(ok.headers.get("location"), `/quan-tri/nhiem-vu/${w.taskA}?da-luu=cap-nhat`);
        const bad = await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskA}/hoat-dong`, {
          method: "POST",
          body: form({
            _csrf: CSRF,
            channelKind: "radio",
            title: "<b>Bản tin</b>",
            occurredOn: "2099-01-01",
            audience: "-1",
            orgUnitId: String(w.unitB),
          }),
        });
        assert.equal(bad.status, 400);
        const badHtml = await bad.text();
        assert.match(badHtml, /<a href="#a-occurredOn">Ngày thực hiện không được sau hôm nay.<\/a>/);
        assert.match(badHtml, /value="&lt;b&gt;Bản tin&lt;\/b&gt;"/);
        assert.match(badHtml, /value="-1"/);
        const forbidden = await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskB}/cap-nhat`, {
          method: "POST",
          body: form({ _csrf: CSRF, status: "done", note: "x" }),
        });
        assert.equal(forbidden.status, 403);
        const exe = await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskA}/cap-nhat`, {
          method: "POST",
          body: form({ _csrf: CSRF, status: "done", note: "x" }, [{ name: "bien-ban.pdf", bytes: EXE }]),
        });
        assert.equal(exe.status, 415);
        assert.match(await exe.text(), /không được chấp nhận/);
        const huge = await appAs(w.users.officerA).request(`/quan-tri/nhiem-vu/${w.taskA}/cap-nhat`, {
          method: "POST",
          body: form({ _csrf: CSRF, status: "done", note: "x" }, [
            { name: "a.png", bytes: Buffer.concat([PNG, Buffer.alloc(MAX * 3)]) },
          ]),
        });
        assert.equal(huge.status, 413);
      });

      test("evidence download: attachment, sniffed type, nosniff, no-store; other wards' files are not found", async () => {
        const f = await w.db.kysely
          .selectFrom("stored_files")
          .selectAll()
          .where("ward_id", "=", w.ward.unit.id)
          .orderBy("id")
          .executeTakeFirstOrThrow();
        const res = await appAs(w.users.officerB).request(`/quan-tri/tep/${f.id}`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "image/png");
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        assert.equal(res.headers.get("cache-control"), "no-store");
        assert.match(
          res.headers.get("content-disposition") ?? "",
          /^attachment; filename="anh hoi nghi.png"; filename\*=UTF-8''%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B\.png$/,
        );
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
        assert.equal((await appAs(w.users.officerB).request(`/quan-tri/tep/${w.otherWardFile}`)).status, 404);
      });
    });
  });
}
