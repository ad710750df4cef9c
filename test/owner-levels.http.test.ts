/**
 * Owner levels (ARCHITECTURE.md "Every record has an owner level"; issue 8 A.4). Two wards share one deployment:
 * ward A (Phường Đức Phổ, the demo ward, with its operator-administrator) and ward B (another commune of the
 * province, with an administrator and a leader who are not operators).
 *
 * 1. Every staff POST route, enumerated from the app's own router (so a route added later is covered without being
 *    listed), is sent by ward B's administrator and by its leader — with ward A's record ids in the path and a body
 *    filled with every field the staff forms know, once asking for the national scope and once not — and after each
 *    one ward A's pages and API (public and staff) must read exactly as before.
 * 2. The operator changes the national records (a holiday, a procedure abolished by a decision, a default synonym)
 *    and every ward sees it; ward B's administrator cannot (403, a Vietnamese page) and is not offered the forms; what
 *    ward B sets for itself (stage days, synonym additions) changes ward B only.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../src/features/procedures/read-records.ts";
import { adminUnitInForce, createOrgUnit, resolveWard } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  SHARED_DIR,
  seedPlanText,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";

const PROCEDURES = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
/** Ward B: another commune of Tỉnh Quảng Ngãi in force after the reform. */
const WARD_B = "21451";
const TERM = "giấy chào đời";

/** The parts of a page that differ between two identical requests: one-time tokens and CSRF fields. */
const normalise = (html: string) =>
  html
    .replace(/name="(_csrf|_form|token)" value="[^"]*"/g, 'name="$1" value="*"')
    .replace(/"csrf":"[^"]*"/g, '"csrf":"*"');

for (const target of testDatabases()) {
  describe(`owner levels: one ward never changes another's records (${target.name})`, () => {
    let w: TestWorld;
    let operatorA: Browser;
    let adminB: Browser;
    let leaderB: Browser;
    let code = "";
    let wardB = 0;
    const ids: Record<string, string> = {};

    /** Ward A's observable state: what its visitors and its administrator read. */
    const pagesOfA = () => [
      "/",
      "/thu-tuc",
      `/thu-tuc/${code}`,
      `/tim-kiem?q=${encodeURIComponent("giay chao doi")}`,
      "/gop-y/da-tra-loi",
      "/hoi-dap",
      "/khao-sat",
      "/api/v1/plans",
      "/api/v1/procedures?q=khai+sinh",
      `/api/v1/procedures/${code}`,
      "/api/v1/vocabularies",
      `/api/v1/procedures?q=${encodeURIComponent("giay chao doi")}`,
      "/quan-tri",
      "/quan-tri/ngay-nghi?nam=2026",
      "/quan-tri/tu-dong-nghia",
      "/quan-tri/thu-tuc",
      `/quan-tri/thu-tuc/${code}`,
      "/quan-tri/phan-anh",
      `/quan-tri/phan-anh/${ids.feedback}`,
      "/quan-tri/khao-sat",
      "/quan-tri/don-vi",
      "/quan-tri/tai-khoan",
      `/quan-tri/ke-hoach/${ids.plan}`,
      `/quan-tri/nhiem-vu/${ids.task}`,
      "/quan-tri/viec-cua-toi",
    ];

    async function snapshot(): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (const url of pagesOfA()) {
        const staff = url.startsWith("/quan-tri");
        const res = staff ? await operatorA.get(url) : await w.app.request(url);
        out.set(url, `${res.status}\n${normalise(await res.text())}`);
      }
      return out;
    }

    before(async () => {
      w = await createWorld(target);
      const today = vnToday(w.now());
      const lines = fs
        .readFileSync(PROCEDURES, "utf8")
        .split("\n")
        .filter((l) => l && !l.includes("QĐ-UBND"))
        .slice(0, 25);
      const read = await readProcedureFile(new TextEncoder().encode(`${lines.join("\n")}\n`), "thu-tuc.jsonl");
      const imported = await importProcedures(w.db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
        dryRun: false,
        today,
        now: w.now(),
      });
      assert.ok(imported.ok, "the procedures are imported");
      code = (await w.db.kysely.selectFrom("procedures").select("code").orderBy("id").executeTakeFirst())?.code ?? "";
      assert.match(code, /^\d+\.\d{6}$/, "a procedure code to aim at");

      const wardA = await resolveWard(w.db.kysely, "21439", today, "21439");
      assert.ok(wardA, "ward A exists");
      const plan = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, wardA, seedPlanText(), { now: w.now(), today });
      assert.ok(plan.ok, "ward A has a plan");
      ids.plan = String(plan.planId);
      const task = await w.db.kysely
        .selectFrom("tasks")
        .select("id")
        .where("plan_id", "=", plan.planId)
        .executeTakeFirst();
      ids.task = String(task?.id ?? 1);

      await w.createStaff("quantri", "admin", undefined, { operator: true });
      operatorA = await logIn(w.app, "quantri", pw("quantri"));
      ids.userA = String(
        (await w.db.kysely.selectFrom("users").select("id").where("username", "=", "quantri").executeTakeFirstOrThrow())
          .id,
      );

      // Ward A's items: a citizen's feedback (through the public API) and a survey.
      const sent = await w.app.request("/api/v1/feedback", {
        method: "POST",
        body: JSON.stringify({
          content: "Thủ tục cấp bản sao trích lục hộ tịch phải chờ quá lâu tại bộ phận một cửa.",
          name: "Nguyễn Thị Hoa",
          address: "Tổ 3, phường Đức Phổ",
          phone: "0912 345 678",
          consent: true,
        }),
        headers: { "content-type": "application/json" },
      });
      assert.equal(sent.status, 201, "ward A receives a feedback item");
      ids.feedback = String((await w.db.kysely.selectFrom("feedback_items").select("id").executeTakeFirstOrThrow()).id);
      const survey = await operatorA.post("/quan-tri/khao-sat", { title: "Khảo sát của phường A", field: "" });
      assert.equal(survey.status, 303, "ward A has a survey");
      ids.survey = String((await w.db.kysely.selectFrom("surveys").select("id").executeTakeFirstOrThrow()).id);
      ids.orgUnit = String(w.unitIds.get("office"));
      ids.alias = String(
        (
          await w.db.kysely
            .selectFrom("org_unit_aliases")
            .select("id")
            .where("ward_id", "=", w.wardId)
            .executeTakeFirstOrThrow()
        ).id,
      );
      ids.holiday = String((await w.db.kysely.selectFrom("holidays").select("id").executeTakeFirstOrThrow()).id);
      ids.synonym = String((await w.db.kysely.selectFrom("search_synonyms").select("id").executeTakeFirstOrThrow()).id);

      // Ward B with its own units, an administrator and a leader, none of them an operator.
      const unitB = await adminUnitInForce(w.db.kysely, WARD_B, today);
      assert.ok(unitB?.level === "commune", "ward B is a commune in force");
      wardB = unitB.id;
      const officeB = await createOrgUnit(
        w.db.kysely,
        SYSTEM_ACTOR,
        { wardId: wardB, name: "Văn phòng – Thống kê", code: "office" },
        w.now(),
      );
      for (const [username, role] of [
        ["quantri_b", "admin"],
        ["lanhdao_b", "leader"],
      ] as const) {
        const made = await createUser(
          w.db.kysely,
          SYSTEM_ACTOR,
          {
            username,
            displayName: `Cán bộ ${username}`,
            password: pw(username),
            role,
            wardId: wardB,
            orgUnitId: officeB,
          },
          w.now(),
        );
        assert.ok(made.ok, `ward B's ${role}`);
      }
      adminB = await logIn(w.app, "quantri_b", pw("quantri_b"));
      leaderB = await logIn(w.app, "lanhdao_b", pw("lanhdao_b"));
    });
    after(async () => w.cleanup());

    /** A path of the router with ward A's ids in place of its parameters. */
    function aimedAtA(route: string): string {
      const byParent: [RegExp, string][] = [
        [/^\/quan-tri\/don-vi\/:id/, ids.orgUnit as string],
        [/^\/quan-tri\/hoi-dap\/:id/, "1"],
        [/^\/quan-tri\/khao-sat\/:id/, ids.survey as string],
        [/^\/quan-tri\/ngay-nghi\/:id/, ids.holiday as string],
        [/^\/quan-tri\/nhiem-vu\/:id/, ids.task as string],
        [/^\/quan-tri\/phan-anh\/:id/, ids.feedback as string],
        [/^\/quan-tri\/tai-khoan\/:id/, ids.userA as string],
        [/^\/quan-tri\/thu-tuc\/:code/, code],
      ];
      let out = route;
      for (const [re, id] of byParent) if (re.test(out)) out = out.replace(/:(id|code)(\{[^}]*\})?/, id);
      return out.replace(/:aliasId(\{[^}]*\})?/, ids.alias as string).replace(/:\w+(\{[^}]*\})?/g, "1");
    }

    /** Every field a staff form knows, filled as an intruder would: ward A's ids, national targets. */
    const bodyFor = (national: boolean): Record<string, string> => ({
      ...(national ? { "pham-vi": "ca-nuoc" } : {}),
      term: TERM,
      expansions: "đăng ký khai sinh\nkhai sinh",
      id: ids.synonym as string,
      date: "04/03/2026",
      name: "Ngày nghỉ của phường B",
      kind: "holiday",
      classify: "1",
      answer: "3",
      forward: "2",
      fee: "999.000 đồng (phường B)",
      receivingAddress: "Trụ sở phường B",
      openingHours: "Chủ nhật",
      note: "Phường B ghi",
      number: "99/QĐ-PB",
      decidedOn: "2026-03-01",
      effectiveFrom: "2026-03-01",
      issuer: "UBND phường B",
      abolish: code,
      replace: "",
      summary: "Bãi bỏ",
      title: "Khảo sát phường B",
      field: "",
      status: "done",
      text: "Phường B cập nhật",
      channelKind: "radio",
      occurredOn: "02/03/2026",
      classification: "rejected",
      reason: "Phường B từ chối",
      unitId: ids.orgUnit as string,
      orgUnitId: ids.orgUnit as string,
      draft: "Phường B trả lời",
      publicText: "Phường B công bố",
      username: "xam_nhap",
      displayName: "Xâm nhập",
      role: "admin",
      active: "0",
      alias: "Phường B gọi",
      validTo: "01/03/2026",
      q: "0912345678",
      consentText: "Phường B sửa",
      token: "x".repeat(32),
    });

    test("every staff POST route, sent by ward B's administrator and leader at ward A's records, leaves ward A unchanged", async () => {
      const routes = [
        ...new Set(
          w.app.routes.filter((r) => r.method === "POST" && r.path.startsWith("/quan-tri/")).map((r) => r.path),
        ),
      ];
      assert.ok(routes.length >= 40, `the router lists the staff POST routes (${routes.length})`);
      const baseline = await snapshot();
      const again = await snapshot();
      for (const [url, page] of baseline) assert.equal(again.get(url), page, `${url} reads the same twice`);
      const changed: string[] = [];
      for (const route of routes) {
        const url = aimedAtA(route);
        for (const [who, browser, national] of [
          ["admin", adminB, true],
          ["admin", adminB, false],
          ["leader", leaderB, true],
        ] as const) {
          const res = await browser.post(url, bodyFor(national));
          assert.ok(res.status < 500, `${route} as ward B's ${who}: ${res.status}`);
        }
        const now = await snapshot();
        for (const [page, before] of baseline)
          if (now.get(page) !== before) changed.push(`${route} changed ${page} of ward A`);
      }
      assert.deepEqual(changed, [], changed.join("\n"));
    });

    test("only the operator changes national records; ward B is refused with a Vietnamese page and not offered the forms", async () => {
      const refusals: [string, Record<string, string>][] = [
        ["/quan-tri/ngay-nghi", { date: "05/03/2026", name: "Ngày nghỉ thử", kind: "holiday" }],
        [`/quan-tri/ngay-nghi/${ids.holiday}/xoa`, {}],
        ["/quan-tri/ngay-nghi/thoi-han", { "pham-vi": "ca-nuoc", classify: "1", answer: "3", forward: "2" }],
        ["/quan-tri/tu-dong-nghia", { "pham-vi": "ca-nuoc", term: "chữ thử", expansions: "khai sinh" }],
        ["/quan-tri/tu-dong-nghia/xoa", { id: ids.synonym as string }],
        [
          "/quan-tri/thu-tuc/quyet-dinh",
          { number: "5/QĐ", decidedOn: "2026-03-01", effectiveFrom: "2026-03-01", issuer: "UBND", abolish: code },
        ],
        ["/quan-tri/thu-tuc/nhap", {}],
        ["/quan-tri/thu-tuc/nhap/xac-nhan", { token: "x".repeat(32) }],
      ];
      for (const [url, body] of refusals) {
        const res = await adminB.post(url, body);
        assert.equal(res.status, 403, `${url} is refused to ward B's administrator`);
        assert.match(await res.text(), /Chỉ người vận hành hệ thống/, `${url}: the reason, in Vietnamese`);
      }
      for (const url of ["/quan-tri/thu-tuc/nhap", "/quan-tri/thu-tuc/quyet-dinh"])
        assert.equal((await adminB.get(url)).status, 403, `${url} is not even shown to ward B`);
      const staffPage = await (await adminB.get("/quan-tri/thu-tuc")).text();
      assert.ok(!staffPage.includes('href="/quan-tri/thu-tuc/nhap"'), "no import link for a ward");
      assert.ok(!staffPage.includes('href="/quan-tri/thu-tuc/quyet-dinh"'), "no decision link for a ward");
      const calendar = await (await adminB.get("/quan-tri/ngay-nghi?nam=2026")).text();
      assert.ok(!calendar.includes('id="nn-them"') && !calendar.includes("/xoa"), "no holiday forms for a ward");
      assert.ok(!calendar.includes('name="pham-vi"'), "a ward is not offered the national scope");

      // The operator: a holiday, a default synonym and an abolished procedure reach every ward.
      const holiday = await operatorA.post("/quan-tri/ngay-nghi", {
        date: "06/03/2026",
        name: "Nghỉ toàn quốc thử",
        kind: "holiday",
      });
      assert.equal(holiday.status, 303, "the operator adds a public holiday");
      assert.match(
        await (await adminB.get("/quan-tri/ngay-nghi?nam=2026")).text(),
        /Nghỉ toàn quốc thử/,
        "ward B sees it",
      );
      const synonym = await operatorA.post("/quan-tri/tu-dong-nghia", {
        "pham-vi": "ca-nuoc",
        term: "chào đời",
        expansions: "khai sinh",
      });
      assert.equal(synonym.status, 303, "the operator adds a default synonym");
      const nationalTerm = await w.db.kysely
        .selectFrom("search_synonyms")
        .select("owner")
        .where("term", "=", "chào đời")
        .executeTakeFirstOrThrow();
      assert.equal(nationalTerm.owner, "nation", "stored as national");
      const decision = await operatorA.post("/quan-tri/thu-tuc/quyet-dinh", {
        number: "7/QĐ-UBND",
        decidedOn: "2026-03-01",
        effectiveFrom: "2026-03-01",
        issuer: "UBND tỉnh",
        abolish: code,
      });
      assert.equal(decision.status, 303, "the operator applies an announcing decision");
      const catalogueB = (await (await w.app.request(`/api/v1/procedures/${code}?ward=${WARD_B}`)).json()) as {
        status?: string;
      };
      assert.equal(catalogueB.status, "abolished", "ward B's catalogue follows the national decision");
    });

    test("a ward's own stage days and synonym additions change that ward only", async () => {
      const stages = await adminB.post("/quan-tri/ngay-nghi/thoi-han", { classify: "4", answer: "7", forward: "3" });
      assert.equal(stages.status, 303, "ward B sets its own stage days");
      const own = await w.db.kysely.selectFrom("feedback_stage_days_local").selectAll().execute();
      assert.deepEqual(
        own.map((r) => [r.owner, r.stage, Number(r.working_days)]).sort(),
        [
          [`unit:${wardB}`, "answer", 7],
          [`unit:${wardB}`, "classify", 4],
          [`unit:${wardB}`, "forward", 3],
        ],
        "stored as ward B's own",
      );
      const national = await w.db.kysely.selectFrom("feedback_stage_days").select(["stage", "working_days"]).execute();
      assert.deepEqual(
        Object.fromEntries(national.map((r) => [r.stage, Number(r.working_days)])),
        { classify: 2, forward: 5, answer: 10 },
        "the national defaults are untouched",
      );
      const pageA = await (await operatorA.get("/quan-tri/ngay-nghi?nam=2026")).text();
      assert.match(pageA, /id="tg-answer"[^>]*value="10"|value="10"[^>]*id="tg-answer"/, "ward A still reads 10 days");
      const pageB = await (await adminB.get("/quan-tri/ngay-nghi?nam=2026")).text();
      assert.match(pageB, /id="tg-answer"[^>]*value="7"|value="7"[^>]*id="tg-answer"/, "ward B reads its own 7 days");

      const term = "xyzqk";
      const added = await adminB.post("/quan-tri/tu-dong-nghia", { term, expansions: "khai sinh" });
      assert.equal(added.status, 303, "ward B adds its own synonym");
      const row = await w.db.kysely
        .selectFrom("search_synonyms")
        .select("owner")
        .where("term", "=", term)
        .executeTakeFirstOrThrow();
      assert.equal(row.owner, `unit:${wardB}`, "stored as ward B's");
      const search = async (ward: string) =>
        (await (await w.app.request(`/api/v1/procedures?ward=${ward}&q=${encodeURIComponent(term)}`)).json()) as {
          total: number;
        };
      assert.ok((await search(WARD_B)).total > 0, "ward B's search uses its own addition");
      assert.equal((await search("21439")).total, 0, "ward A's search does not");
      const listA = await (await operatorA.get("/quan-tri/tu-dong-nghia")).text();
      assert.ok(!listA.includes(term), "ward A's synonym page does not list ward B's addition");
    });
  });
}
