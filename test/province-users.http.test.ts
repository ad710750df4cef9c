/**
 * Province users (issue 9 §5). Tỉnh Quảng Ngãi (51) with Phường Đức Phổ (21439, the demo ward, with the seed plan)
 * and, in the same deployment, a ward of Thành phố Đà Nẵng (48) with a plan of its own.
 *
 * - A province account (made by the command line, in a department it creates: Sở Nội vụ, symbol SNV) reads every
 *   ward under its province — the list, a ward's plans, tasks, ledger and reports — and not a ward of Đà Nẵng (404).
 * - It writes nothing of any ward: every staff POST route, sent by the province's leader and coordinator with ward
 *   A's ids, leaves ward A's pages as they were, and everything they did is audited at the province's level only.
 * - The `viewer` role of a ward is gone: migration 026 moves such accounts to their ward's province (through the old
 *   district and province for a unit from before 1/7/2025); a ward cannot make one any more.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { moveViewersToProvinces } from "../src/core/db/migrations/20261206-026-province-users-and-requests.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { adminUnitInForce, resolveWard } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  SHARED_DIR,
  seedPlanText,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const normalise = (html: string) =>
  html
    .replace(/name="(_csrf|_form|token)" value="[^"]*"/g, 'name="$1" value="*"')
    .replace(/"csrf":"[^"]*"/g, '"csrf":"*"');

for (const target of testDatabases()) {
  describe(`province users read their wards and write none (${target.name})`, () => {
    let w: TestWorld;
    let provinceId = 0;
    let otherWardCode = "";
    let planA = 0;
    let taskA = 0;
    let adminA: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let viewer: Browser;
    const provinceUserIds: number[] = [];

    before(async () => {
      w = await createWorld(target, { moreProvinces: ["48"] });
      const today = vnToday(w.now());
      const province = await adminUnitInForce(w.db.kysely, "51", today);
      assert.ok(province?.level === "province", "Quảng Ngãi is a province in force");
      provinceId = province.id;
      const wardA = await resolveWard(w.db.kysely, "21439", today, "21439");
      assert.ok(wardA, "Phường Đức Phổ exists");
      const plan = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, wardA, seedPlanText(), { now: w.now(), today });
      assert.ok(plan.ok, "ward A has the seed plan");
      planA = plan.planId;
      taskA = (
        await w.db.kysely.selectFrom("tasks").select("id").where("plan_id", "=", planA).executeTakeFirstOrThrow()
      ).id;

      // A ward of Đà Nẵng, set up here with a plan of its own.
      const daNang = await adminUnitInForce(w.db.kysely, "48", today);
      assert.ok(daNang?.level === "province", "Đà Nẵng is a province in force");
      const other = await w.db.kysely
        .selectFrom("admin_units")
        .selectAll()
        .where("parent_id", "=", daNang.id)
        .where("level", "=", "commune")
        .where("valid_to", "is", null)
        .orderBy("code")
        .executeTakeFirstOrThrow();
      otherWardCode = other.code;
      await setUpOtherWard(w, otherWardCode);
      const wardB = await resolveWard(w.db.kysely, otherWardCode, today, "21439");
      assert.ok(wardB, "the ward of Đà Nẵng resolves");
      const planB = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, wardB, seedPlanText(), { now: w.now(), today });
      assert.ok(planB.ok, "the ward of Đà Nẵng has a plan");

      await w.createStaff("quantri", "admin", undefined, { operator: true });
      adminA = await logIn(w.app, "quantri", pw("quantri"));
    });
    after(async () => w.cleanup());

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: {
          ...process.env,
          ...w.env,
          CCHC_SHARED_DIR: SHARED_DIR,
          CCHC_NEW_PASSWORD: pw("chuyenvien_snv"),
          LOG_LEVEL: "silent",
        },
        timeout: 90_000,
      });

    test("create-user --province makes a province account in a department it creates (Sở Nội vụ, SNV)", async () => {
      const r = cli(
        "create-user",
        "--province",
        "51",
        "--unit",
        "Sở Nội vụ",
        "--username",
        "chuyenvien_snv",
        "--name",
        "Chuyên viên Sở Nội vụ",
        "--role",
        "coordinator",
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Đã tạo đơn vị Sở Nội vụ \(SNV\) của Tỉnh Quảng Ngãi/, "the department is made");
      const user = await w.db.kysely
        .selectFrom("users")
        .leftJoin("org_units", "org_units.id", "users.org_unit_id")
        .select(["users.id", "users.ward_id", "users.owner_scope", "org_units.code", "org_units.ward_id as unit_of"])
        .where("username", "=", "chuyenvien_snv")
        .executeTakeFirstOrThrow();
      assert.equal(user.ward_id, provinceId, "the account belongs to the province");
      assert.equal(user.owner_scope, `unit:${provinceId}`, "with the province's scope");
      assert.equal(user.code, "SNV", "in the department");
      assert.equal(user.unit_of, provinceId, "a unit of the province");
      provinceUserIds.push(user.id);
      coordinator = await logIn(w.app, "chuyenvien_snv", pw("chuyenvien_snv"));

      const bad = cli("create-user", "--province", "99", "--username", "x_tinh", "--name", "X Y", "--role", "viewer");
      assert.notEqual(bad.status, 0, "an unknown province is refused");
      assert.match(bad.stderr, /Không có tỉnh, thành phố mã 99/);

      for (const [username, role] of [
        ["lanhdao_tinh", "leader"],
        ["xem_tinh", "viewer"],
      ] as const) {
        const made = await createUser(
          w.db.kysely,
          SYSTEM_ACTOR,
          { username, displayName: `Cán bộ ${username}`, password: pw(username), role, wardId: provinceId },
          w.now(),
        );
        assert.ok(made.ok, `the province's ${role}`);
        if (made.ok) provinceUserIds.push(made.value.id);
      }
      leader = await logIn(w.app, "lanhdao_tinh", pw("lanhdao_tinh"));
      viewer = await logIn(w.app, "xem_tinh", pw("xem_tinh"));
    });

    test("roles follow the level: no ward viewer, no ward role at a province, no operator at a province", async () => {
      const make = (role: "viewer" | "officer" | "admin", wardId: number, operator = false) =>
        createUser(
          w.db.kysely,
          SYSTEM_ACTOR,
          {
            username: `t_${role}_${wardId}`,
            displayName: "Thử vai trò",
            password: pw("t_role"),
            role,
            wardId,
            operator,
          },
          w.now(),
        );
      const wardViewer = await make("viewer", w.wardId);
      assert.ok(!wardViewer.ok && /tài khoản cấp tỉnh/.test(wardViewer.errors.role ?? ""), "no ward viewer");
      const provinceOfficer = await make("officer", provinceId);
      assert.ok(!provinceOfficer.ok && /cấp tỉnh chỉ có/.test(provinceOfficer.errors.role ?? ""), "no ward role");
      const ward = await adminA.post("/quan-tri/tai-khoan/moi", {
        username: "capthi_moi",
        displayName: "Chuyên viên",
        role: "viewer",
      });
      assert.equal(ward.status, 400, "the ward's account form refuses the viewer role");
      const n = await w.db.kysely.selectFrom("users").select("id").where("username", "=", "capthi_moi").execute();
      assert.equal(n.length, 0, "nothing written");
    });

    test("a province user reads every ward of its province: list, plans, tasks, ledger, reports", async () => {
      for (const [who, b] of [
        ["coordinator", coordinator],
        ["leader", leader],
        ["viewer", viewer],
      ] as const) {
        const home = await b.get("/quan-tri/tinh");
        assert.equal(home.status, 200, `${who} opens the province's wards`);
        const html = await home.text();
        assert.match(html, /href="\/quan-tri\/tinh\/xa\/21439"/, `${who} sees Phường Đức Phổ`);
        assert.doesNotMatch(html, new RegExp(`/quan-tri/tinh/xa/${otherWardCode}"`), "not a ward of Đà Nẵng");
        const ward = await b.get("/quan-tri/tinh/xa/21439");
        assert.equal(ward.status, 200, `${who} opens the ward`);
        assert.match(await ward.text(), /18\/KH-UBND/, "the ward's plan is listed");
        const plan = await b.get(`/quan-tri/tinh/xa/21439/ke-hoach/${planA}`);
        assert.equal(plan.status, 200, `${who} opens the plan`);
        const planHtml = await plan.text();
        assert.match(planHtml, /Nhiệm vụ \(\d+\)/, "the plan's tasks");
        assert.match(planHtml, /Hoạt động tuyên truyền/, "the plan's ledger");
      }
      const home = await coordinator.get("/quan-tri");
      assert.equal(home.status, 200, "the province account has a home");
      assert.match(await home.text(), /Tài khoản cấp tỉnh/, "which says what it is");
    });

    test("a province user cannot read a ward of another province, nor a ward's plan through another ward", async () => {
      const other = await coordinator.get(`/quan-tri/tinh/xa/${otherWardCode}`);
      assert.equal(other.status, 404, "a ward of Đà Nẵng is not found");
      assert.match(await other.text(), /Không có xã, phường mã/, "with a Vietnamese message");
      const otherPlan = await w.db.kysely
        .selectFrom("plans")
        .select("id")
        .where("id", "<>", planA)
        .executeTakeFirstOrThrow();
      const through = await coordinator.get(`/quan-tri/tinh/xa/21439/ke-hoach/${otherPlan.id}`);
      assert.equal(through.status, 404, "the other province's plan is not reached through ward A");
      // adminA is also the deployment operator: it has the list of provinces (province-accounts.http.test.ts).
      assert.equal((await adminA.get("/quan-tri/tinh")).status, 200, "the operator has the list of provinces");
      assert.equal((await coordinator.get(`/quan-tri/ke-hoach/${planA}`)).status, 403, "nor the ward's staff pages");
      assert.equal((await coordinator.get("/quan-tri/phan-anh")).status, 403, "nor its citizens' feedback");
    });

    test("every staff POST route, sent by the province's leader and coordinator at ward A's records, changes nothing of ward A", async () => {
      const pagesOfA = [
        "/",
        "/api/v1/plans",
        `/ke-hoach/${planA}`,
        "/quan-tri",
        `/quan-tri/ke-hoach/${planA}`,
        `/quan-tri/nhiem-vu/${taskA}`,
        "/quan-tri/don-vi",
        "/quan-tri/tai-khoan",
        "/quan-tri/khao-sat",
        "/quan-tri/bao-cao",
        "/quan-tri/ho-so-phuong",
      ];
      const snapshot = async () => {
        const out = new Map<string, string>();
        for (const url of pagesOfA) {
          const res = url.startsWith("/quan-tri") ? await adminA.get(url) : await w.app.request(url);
          out.set(url, `${res.status}\n${normalise(await res.text())}`);
        }
        return out;
      };
      const routes = [
        ...new Set(
          w.app.routes.filter((r) => r.method === "POST" && r.path.startsWith("/quan-tri/")).map((r) => r.path),
        ),
      ];
      assert.ok(routes.length >= 40, `the router lists the staff POST routes (${routes.length})`);
      const ids: Record<string, string> = {
        "nhiem-vu": String(taskA),
        "ke-hoach": String(planA),
        "don-vi": String(w.unitIds.get("office")),
      };
      const aimed = (route: string) =>
        route
          .replace(/^\/quan-tri\/([a-z-]+)\/:\w+(\{[^}]*\})?/, (_m, p: string) => `/quan-tri/${p}/${ids[p] ?? "1"}`)
          .replace(/:\w+(\{[^}]*\})?/g, "1");
      const body = {
        title: "Tỉnh ghi vào phường",
        name: "Tỉnh ghi",
        status: "done",
        text: "Tỉnh cập nhật",
        channelKind: "radio",
        occurredOn: "02/03/2026",
        username: "tinh_xam_nhap",
        displayName: "Xâm nhập",
        role: "admin",
        loai: "quarter",
        nam: "2026",
        quy: "1",
        address: "Tỉnh sửa",
        unitId: String(w.unitIds.get("office")),
      };
      const baseline = await snapshot();
      const changed: string[] = [];
      for (const route of routes) {
        for (const [who, b] of [
          ["leader", leader],
          ["coordinator", coordinator],
        ] as const) {
          const res = await b.post(aimed(route), body);
          assert.ok(res.status < 500, `${route} as the province's ${who}: ${res.status}`);
        }
        const now = await snapshot();
        for (const [page, before] of baseline)
          if (now.get(page) !== before) changed.push(`${route} changed ${page} of ward A`);
      }
      assert.deepEqual(changed, [], changed.join("\n"));
      const written = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "ward_id"])
        .where("user_id", "in", provinceUserIds)
        .where("action", "<>", "session.login")
        .execute();
      const outside = written.filter((r) => r.ward_id !== provinceId);
      assert.deepEqual(outside, [], "whatever a province user wrote, it wrote at its province's level");
    });

    test("migration 026 moves a ward's viewer to its province, through an old district and province", async () => {
      const today = vnToday(w.now());
      const old = await adminUnitInForce(w.db.kysely, "21463", "2024-02-19");
      assert.ok(old?.level === "commune" && old.valid_to != null, "Phường Phổ Minh before 1/7/2025");
      const ids: number[] = [];
      for (const [username, wardId] of [
        ["capthi_cu", w.wardId],
        ["capthi_truoc_sap_xep", old.id],
      ] as const) {
        const row = await w.db.kysely
          .insertInto("users")
          .values({
            ward_id: wardId,
            username,
            display_name: "Cấp trên",
            password_hash: "x",
            role: "viewer",
            org_unit_id: wardId === w.wardId ? (w.unitIds.get("office") ?? null) : null,
            active: 1,
            totp_secret: null,
            created_at: w.now().toISOString(),
            owner_scope: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        ids.push(row.id);
      }
      await moveViewersToProvinces(w.db.kysely as never);
      const moved = await w.db.kysely.selectFrom("users").selectAll().where("id", "in", ids).execute();
      for (const u of moved) {
        assert.equal(u.ward_id, provinceId, `${u.username} belongs to Tỉnh Quảng Ngãi (in force ${today})`);
        assert.equal(u.owner_scope, `unit:${provinceId}`, `${u.username} holds its scope`);
        assert.equal(u.org_unit_id, null, `${u.username} has no ward unit`);
        assert.equal(u.active, 1, `${u.username} stays active`);
      }
      const audited = await w.db.kysely
        .selectFrom("audit_log")
        .select("entity_id")
        .where("action", "=", "user.move_to_province")
        .execute();
      assert.deepEqual(
        audited.map((a) => Number(a.entity_id)).sort(),
        [...ids].sort(),
        "each move is in the audit log",
      );
    });
  });
}
