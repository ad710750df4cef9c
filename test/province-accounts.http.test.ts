/**
 * What is left of issue 9 §5, over HTTP on every database. Tỉnh Quảng Ngãi (51) with Phường Đức Phổ (21439, the seed
 * plan), and Thành phố Đà Nẵng (48) with an account of its own.
 *
 * - The deployment operator manages a province's accounts at `/quan-tri/tinh/51/tai-khoan`: the list, a new account
 *   (its department made on the fly, its first password shown once), a new password, disable and enable — audited,
 *   CSRF-checked, with Vietnamese messages for an unknown province, a bad department name and a taken username, and
 *   nothing written on a refusal. A ward's administrator who is not the operator, and every province account (of its
 *   own province or another), is refused (403).
 * - The operator opens any province's read-only view at `/quan-tri/tinh/{code}`; a province account only its own.
 * - `GET /api/v1/reports?ward=51` lists the province's own roll-up reports: anonymous callers only the published one
 *   (signed copy and figures downloadable under `/tinh/51/`), the province's drafting accounts all of them.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { createProvinceAccount } from "../src/features/accounts/province-accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { adminUnitInForce, resolveWard } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";
import { buildPdf, onePage } from "./helpers/pdf.ts";

const BASE = "/quan-tri/tinh/51/tai-khoan";
const SIGNED_PDF = buildPdf(onePage({ text: "Bao cao tong hop so 01/BC-UBND da ky" }));

/** Whether a username and password open a session (the login form's answer). */
async function canLogIn(w: TestWorld, username: string, password: string) {
  const res = await w.app.request("/dang-nhap", {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  return res.status === 303;
}

const shownPassword = (html: string) => /<code id="mat-khau-moi">([^<]+)<\/code>/.exec(html)?.[1] ?? "";

for (const target of testDatabases()) {
  describe(`province accounts, the operator's province view and the province's reports (${target.name})`, () => {
    let w: TestWorld;
    let provinceId = 0;
    let daNangId = 0;
    let daNangUserId = 0;
    let wardAdminId = 0;
    let operator: Browser;
    let wardAdmin: Browser;
    let provinceCoordinator: Browser;
    let provinceLeader: Browser;
    let daNang: Browser;
    let created = 0;

    const users = () => w.db.kysely.selectFrom("users").select(["id", "username"]).execute();
    const unitsOfProvince = () =>
      w.db.kysely.selectFrom("org_units").select(["id", "name", "code"]).where("ward_id", "=", provinceId).execute();
    const audits = (action: string) =>
      w.db.kysely.selectFrom("audit_log").selectAll().where("action", "=", action).execute();

    before(async () => {
      w = await createWorld(target, { moreProvinces: ["48"] });
      const today = vnToday(w.now());
      const province = await adminUnitInForce(w.db.kysely, "51", today);
      assert.ok(province?.level === "province", "Quảng Ngãi is a province in force");
      provinceId = province.id;
      const wardA = await resolveWard(w.db.kysely, "21439", today, "21439");
      assert.ok(wardA, "Phường Đức Phổ");
      const plan = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, wardA, seedPlanText(), { now: w.now(), today });
      assert.ok(plan.ok, "Đức Phổ has the seed plan");
      const dn = await adminUnitInForce(w.db.kysely, "48", today);
      assert.ok(dn?.level === "province", "Đà Nẵng is a province in force");
      daNangId = dn.id;
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "danang_cv",
          displayName: "Chuyên viên Đà Nẵng",
          password: pw("danang_cv"),
          role: "coordinator",
          wardId: daNangId,
        },
        w.now(),
      );
      assert.ok(made.ok, "an account of Đà Nẵng");
      daNangUserId = made.value.id;

      await w.createStaff("quantri", "admin", undefined, { operator: true });
      wardAdminId = (await w.createStaff("quantri_phuong", "admin")).id;
      await w.createProvinceStaff("tinh_cv", "coordinator");
      await w.createProvinceStaff("tinh_ld", "leader");
      operator = await logIn(w.app, "quantri", pw("quantri"));
      wardAdmin = await logIn(w.app, "quantri_phuong", pw("quantri_phuong"));
      provinceCoordinator = await logIn(w.app, "tinh_cv", pw("tinh_cv"));
      provinceLeader = await logIn(w.app, "tinh_ld", pw("tinh_ld"));
      daNang = await logIn(w.app, "danang_cv", pw("danang_cv"));
    });
    after(async () => w.cleanup());

    test("the operator lists a province's accounts and creates one in a department made on the fly", async () => {
      const provinces = await operator.get("/quan-tri/tinh");
      assert.equal(provinces.status, 200, "the operator has the list of provinces");
      const list = await provinces.text();
      assert.match(list, /href="\/quan-tri\/tinh\/51\/tai-khoan"/, "with each province's accounts");
      assert.match(list, /Thành phố Đà Nẵng/, "every province in force");

      const page = await operator.get(BASE);
      assert.equal(page.status, 200, "the province's accounts");
      const html = await page.text();
      assert.match(html, /tinh_cv/, "its coordinator is listed");
      assert.match(html, /Chuyên viên cấp tỉnh/, "with the province's name of the role");
      assert.doesNotMatch(html, /danang_cv|quantri_phuong/, "no account of another province or of a ward");

      const form = await operator.get(`${BASE}/moi`);
      assert.equal(form.status, 200, "the new-account form");
      assert.match(await form.text(), /name="department"/, "with the department field");

      const res = await operator.post(`${BASE}/moi`, {
        username: "SNV.ChuyenVien",
        displayName: "  Chuyên viên   Sở Nội vụ ",
        role: "coordinator",
        department: "Sở Nội vụ",
        password: "",
      });
      assert.equal(res.status, 200, "created; the generated password is shown on this page");
      const password = shownPassword(await res.text());
      assert.ok(password.length >= 8, "a generated password is shown once");
      const user = await w.db.kysely
        .selectFrom("users")
        .leftJoin("org_units", "org_units.id", "users.org_unit_id")
        .select([
          "users.id",
          "users.ward_id",
          "users.owner_scope",
          "users.display_name",
          "users.role",
          "org_units.code",
          "org_units.ward_id as unit_of",
        ])
        .where("username", "=", "snv.chuyenvien")
        .executeTakeFirstOrThrow();
      created = user.id;
      assert.equal(user.ward_id, provinceId, "the account belongs to the province");
      assert.equal(user.owner_scope, `unit:${provinceId}`, "with the province's scope");
      assert.equal(user.display_name, "Chuyên viên Sở Nội vụ", "the name tidied");
      assert.equal(user.code, "SNV", "in the department made for it");
      assert.equal(user.unit_of, provinceId, "a unit of the province");
      const creates = await audits("user.create");
      assert.ok(
        creates.some((a) => a.entity_id === String(user.id) && a.ward_id === provinceId && a.actor === "quantri"),
        "the creation is audited at the province, by the operator",
      );
      assert.ok(
        (await audits("org_unit.create")).some((a) => a.ward_id === provinceId && a.actor === "quantri"),
        "so is the department's",
      );
      assert.ok(
        creates.every((a) => !(a.after_json ?? "").includes(password)),
        "the password never reaches the audit log",
      );
      const own = await operator.get(`${BASE}/${user.id}`);
      assert.equal(own.status, 200, "the account's page");
      assert.doesNotMatch(await own.text(), new RegExp(password), "the password is not shown again");

      const signedIn = await logIn(w.app, "snv.chuyenvien", password);
      const home = await signedIn.get("/quan-tri/tinh");
      assert.equal(home.status, 200, "the new account opens its province's view");
      assert.match(await home.text(), /Các xã, phường của Tỉnh Quảng Ngãi/, "its province's");

      const typed = await operator.post(`${BASE}/moi`, {
        username: "snv.lanhdao",
        displayName: "Giám đốc Sở Nội vụ",
        role: "leader",
        department: "snv",
        password: pw("snv.lanhdao"),
      });
      assert.equal(typed.status, 303, "a typed password: straight to the account's page");
      assert.match(typed.headers.get("location") ?? "", /^\/quan-tri\/tinh\/51\/tai-khoan\/\d+\?da-luu=tao$/);
      assert.equal((await unitsOfProvince()).length, 1, "the department named by its symbol is found, not made again");
      assert.ok(await canLogIn(w, "snv.lanhdao", pw("snv.lanhdao")), "the typed password opens the account");
    });

    test("bad input: a Vietnamese message for each, nothing written", async () => {
      const before = { users: (await users()).length, units: (await unitsOfProvince()).length };
      const account = { username: "moi_tinh", displayName: "Cán bộ mới", role: "viewer", password: "" };

      const unknown = await operator.post("/quan-tri/tinh/99/tai-khoan/moi", { ...account, department: "" });
      assert.equal(unknown.status, 404, "an unknown province");
      assert.match(await unknown.text(), /Không có tỉnh, thành phố mã 99/, "is named");
      assert.equal((await operator.get("/quan-tri/tinh/99/tai-khoan")).status, 404, "and has no accounts page");

      const long = await operator.post(`${BASE}/moi`, { ...account, department: `Sở ${"Nội vụ ".repeat(20)}` });
      assert.equal(long.status, 400, "a department name too long");
      assert.match(await long.text(), /Tên sở, ngành gồm 2–120 ký tự/, "says so");
      const short = await operator.post(`${BASE}/moi`, { ...account, department: "X" });
      assert.equal(short.status, 400, "a department name too short");
      assert.match(await short.text(), /Tên sở, ngành gồm 2–120 ký tự/, "says so");
      const noSymbol = await operator.post(`${BASE}/moi`, { ...account, department: "—— ——" });
      assert.equal(noSymbol.status, 400, "a department name with no letters");
      assert.match(await noSymbol.text(), /Không đặt được ký hiệu/, "says so");

      const taken = await operator.post(`${BASE}/moi`, {
        ...account,
        username: "tinh_cv",
        department: "Sở Tài chính",
      });
      assert.equal(taken.status, 409, "a username already taken");
      assert.match(await taken.text(), /Tên đăng nhập này đã có người dùng/, "says so");

      const wardRole = await operator.post(`${BASE}/moi`, { ...account, role: "officer", department: "" });
      assert.equal(wardRole.status, 400, "a ward's role");
      assert.match(await wardRole.text(), /Tài khoản cấp tỉnh chỉ có vai trò/, "is refused");

      const weak = await operator.post(`${BASE}/moi`, { ...account, password: "123", department: "" });
      assert.equal(weak.status, 400, "a password against the policy");

      const forged = await w.app.request(`${BASE}/moi`, {
        method: "POST",
        body: new URLSearchParams({ _csrf: "gia-mao", ...account, department: "" }),
        headers: { cookie: operator.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(forged.status, 403, "no CSRF token, no account");

      assert.equal((await users()).length, before.users, "no account was made");
      assert.equal((await unitsOfProvince()).length, before.units, "nor a department (Sở Tài chính included)");
    });

    test("a failure writing the account after its department was made leaves neither (one transaction)", async () => {
      const before = { users: (await users()).length, units: (await unitsOfProvince()).length };
      const orgAudits = (await audits("org_unit.create")).length;
      // The database itself refuses this one account, after the department was written in the same action.
      const k = w.db.kysely;
      if (w.db.sqlite)
        await sql`create trigger no_hong before insert on users when new.username = 'hong_giua' begin select raise(abort, 'hỏng giữa chừng'); end`.execute(
          k,
        );
      else {
        await sql`create function no_hong() returns trigger language plpgsql as $$ begin if new.username = 'hong_giua' then raise exception 'hỏng giữa chừng'; end if; return new; end $$`.execute(
          k,
        );
        await sql`create trigger no_hong before insert on users for each row execute function no_hong()`.execute(k);
      }
      try {
        await assert.rejects(
          createProvinceAccount(
            k,
            SYSTEM_ACTOR,
            {
              province: "51",
              department: "Sở Khoa học và Công nghệ",
              username: "hong_giua",
              displayName: "Cán bộ Sở Khoa học",
              role: "viewer",
              password: "",
            },
            w.now(),
          ),
          /hỏng giữa chừng/,
          "the account is not written",
        );
      } finally {
        if (w.db.sqlite) await sql`drop trigger no_hong`.execute(k);
        else {
          await sql`drop trigger no_hong on users`.execute(k);
          await sql`drop function no_hong()`.execute(k);
        }
      }
      assert.equal((await users()).length, before.users, "no account was made");
      assert.equal((await unitsOfProvince()).length, before.units, "nor its department");
      assert.equal((await audits("org_unit.create")).length, orgAudits, "nor the department's audit record");
    });

    test("the operator sets a new password and disables and enables a province's account; audited", async () => {
      const reset = await operator.post(`${BASE}/${created}/mat-khau`, { password: "" });
      assert.equal(reset.status, 200, "a generated password");
      const password = shownPassword(await reset.text());
      assert.ok(password.length >= 8, "shown once");
      assert.ok(await canLogIn(w, "snv.chuyenvien", password), "the new password opens the account");
      assert.ok(
        (await audits("user.password_reset")).some((a) => a.entity_id === String(created) && a.ward_id === provinceId),
        "audited at the province",
      );

      const off = await operator.post(`${BASE}/${created}/trang-thai`, { active: "0" });
      assert.equal(off.status, 303, "disabled");
      assert.equal(await canLogIn(w, "snv.chuyenvien", password), false, "a disabled account cannot log in");
      const on = await operator.post(`${BASE}/${created}/trang-thai`, { active: "1" });
      assert.equal(on.status, 303, "enabled");
      assert.ok(await canLogIn(w, "snv.chuyenvien", password), "it logs in again");
      const moves = [...(await audits("user.disable")), ...(await audits("user.enable"))];
      assert.equal(moves.filter((a) => a.entity_id === String(created)).length, 2, "both audited");

      // Only the province's own accounts, through the province's pages.
      const hash = async (id: number) =>
        (await w.db.kysely.selectFrom("users").select("password_hash").where("id", "=", id).executeTakeFirstOrThrow())
          .password_hash;
      const before = [await hash(daNangUserId), await hash(wardAdminId)];
      for (const id of [daNangUserId, wardAdminId]) {
        assert.equal((await operator.get(`${BASE}/${id}`)).status, 404, `account ${id} is not one of Quảng Ngãi's`);
        assert.equal((await operator.post(`${BASE}/${id}/mat-khau`, { password: "" })).status, 404, "no new password");
        assert.equal((await operator.post(`${BASE}/${id}/trang-thai`, { active: "0" })).status, 404, "nor disabled");
      }
      assert.deepEqual([await hash(daNangUserId), await hash(wardAdminId)], before, "their passwords unchanged");
      assert.ok(await canLogIn(w, "danang_cv", pw("danang_cv")), "Đà Nẵng's account still works");
    });

    test("a ward's administrator who is not the operator, and every province account, are refused (403)", async () => {
      const before = (await users()).length;
      const account = {
        username: "chen_ngang",
        displayName: "Chen Ngang",
        role: "viewer",
        department: "",
        password: "",
      };
      for (const [who, b] of [
        ["a ward's administrator", wardAdmin],
        ["the province's coordinator", provinceCoordinator],
        ["the province's leader", provinceLeader],
        ["Đà Nẵng's coordinator", daNang],
      ] as const) {
        for (const code of ["51", "48"]) {
          const base = `/quan-tri/tinh/${code}/tai-khoan`;
          assert.equal((await b.get(base)).status, 403, `${who}: no accounts list of ${code}`);
          assert.equal((await b.get(`${base}/moi`)).status, 403, `${who}: no new-account form of ${code}`);
          const post = await b.post(`${base}/moi`, account);
          assert.equal(post.status, 403, `${who}: no account made in ${code}`);
          assert.match(await post.text(), /Chỉ người vận hành hệ thống/, "the refusal says who may");
        }
        const other = `/quan-tri/tinh/48/tai-khoan/${daNangUserId}`;
        assert.equal((await b.post(`${other}/mat-khau`, { password: "" })).status, 403, `${who}: no new password`);
        assert.equal((await b.post(`${other}/trang-thai`, { active: "0" })).status, 403, `${who}: no disabling`);
      }
      assert.equal((await users()).length, before, "nothing was made");
      assert.ok(await canLogIn(w, "danang_cv", pw("danang_cv")), "and nothing changed");
      assert.equal((await wardAdmin.get("/quan-tri/tinh")).status, 403, "a ward's administrator has no province view");
      assert.equal((await wardAdmin.get("/quan-tri/tinh/51")).status, 403, "of any province");
      const nav = await (await wardAdmin.get("/quan-tri")).text();
      assert.doesNotMatch(nav, /Các tỉnh, thành phố/, "nor its link");
      assert.match(await (await operator.get("/quan-tri")).text(), /Các tỉnh, thành phố/, "which the operator has");
    });

    test("the operator opens any province's view, read only; a province account only its own", async () => {
      const auditRows = (await w.db.kysely.selectFrom("audit_log").select("id").execute()).length;
      const home = await operator.get("/quan-tri/tinh/51");
      assert.equal(home.status, 200, "Quảng Ngãi's view");
      const html = await home.text();
      assert.match(html, /href="\/quan-tri\/tinh\/51\/xa\/21439"/, "its wards, under the province's path");
      assert.doesNotMatch(html, /href="\/quan-tri\/tinh\/yeu-cau"/, "no requests of the operator's own");
      const ward = await operator.get("/quan-tri/tinh/51/xa/21439");
      assert.equal(ward.status, 200, "a ward of it");
      const wardHtml = await ward.text();
      const planLink = /href="(\/quan-tri\/tinh\/51\/xa\/21439\/ke-hoach\/\d+)"/.exec(wardHtml)?.[1];
      assert.ok(planLink, "its plan");
      assert.doesNotMatch(wardHtml.replace(/<form method="post" action="\/dang-xuat"/, ""), /method="post"/, "no form");
      const plan = await operator.get(planLink);
      assert.equal(plan.status, 200, "the plan's tasks and ledger");
      assert.match(await plan.text(), /Nhiệm vụ \(\d+\)/, "with its tasks");

      const dn = await operator.get("/quan-tri/tinh/48");
      assert.equal(dn.status, 200, "any province: Đà Nẵng");
      assert.match(await dn.text(), /Các xã, phường của Thành phố Đà Nẵng/, "its wards");
      assert.equal((await operator.get("/quan-tri/tinh/48/xa/21439")).status, 404, "not a ward of another province");
      const unknown = await operator.get("/quan-tri/tinh/99");
      assert.equal(unknown.status, 404, "an unknown province");
      assert.match(await unknown.text(), /Không có tỉnh, thành phố mã 99/, "is named");
      assert.equal(
        (await w.db.kysely.selectFrom("audit_log").select("id").execute()).length,
        auditRows,
        "reading writes nothing",
      );

      assert.equal((await provinceCoordinator.get("/quan-tri/tinh/51")).status, 200, "a province account: its own");
      assert.equal(
        (await provinceCoordinator.get("/quan-tri/tinh/51/xa/21439")).status,
        200,
        "its own wards, by code too",
      );
      assert.equal((await provinceCoordinator.get("/quan-tri/tinh/48")).status, 403, "not another province");
      assert.equal((await daNang.get("/quan-tri/tinh/51/xa/21439")).status, 403, "nor its wards");
    });

    test("GET /api/v1/reports?ward=51 lists the province's own reports; anonymous callers only the published", async () => {
      const saved = await provinceCoordinator.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "1" });
      assert.equal(saved.status, 303, "a draft of the province");
      const draftId = Number((saved.headers.get("location") ?? "").replace(/\?.*$/, "").split("/").pop());

      const second = await provinceCoordinator.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "2" });
      assert.equal(second.status, 303, "another report");
      const path = (second.headers.get("location") ?? "").replace(/\?.*$/, "");
      const publishedId = Number(path.split("/").pop());
      assert.equal((await provinceCoordinator.post(`${path}/trinh`, {})).status, 303, "submitted");
      assert.equal((await provinceLeader.post(`${path}/duyet`, {})).status, 303, "approved");
      const issued = await provinceCoordinator.post(`${path}/ban-hanh`, {
        number: "",
        issuedOn: "02/03/2026",
        signerName: "Nguyễn Văn Chủ",
      });
      assert.equal(issued.status, 303, "issued");
      const signed = new FormData();
      signed.append("signed", new Blob([new Uint8Array(SIGNED_PDF)], { type: "application/pdf" }), "ban-ky.pdf");
      assert.equal((await provinceCoordinator.post(`${path}/ban-ky`, signed)).status, 303, "its signed copy");
      assert.equal((await provinceLeader.post(`${path}/cong-khai`, {})).status, 303, "published");

      type List = {
        total: number;
        items: {
          id: number;
          number: string | null;
          kind: string;
          period: { from: string; to: string };
          status: string;
          issuedOn: string | null;
          files: { docx: string | null; pdf: string | null; xlsx: string | null; signed: string | null };
        }[];
      };
      const anonymous = await w.app.request("/api/v1/reports?ward=51");
      assert.equal(anonymous.status, 200, "the province's list");
      const open = (await anonymous.json()) as List;
      assert.equal(open.total, 1, "anonymous callers see only the published report");
      const item = open.items[0];
      assert.ok(item, "the published one");
      assert.equal(item.id, publishedId, "which is the issued one");
      assert.ok(!open.items.some((r) => r.id === draftId), "never the draft");
      assert.match(item.number ?? "", /^01\/BC-/, "with its number");
      assert.equal(item.kind, "quarter", "its kind");
      const row = await w.db.kysely
        .selectFrom("reports")
        .select(["period_from", "period_to", "ward_id"])
        .where("id", "=", publishedId)
        .executeTakeFirstOrThrow();
      assert.equal(row.ward_id, provinceId, "a report of the province itself");
      assert.deepEqual(item.period, { from: row.period_from, to: row.period_to }, "its period");
      assert.equal(item.status, "issued", "issued");
      assert.equal(item.issuedOn, "2026-03-02", "on its day");
      assert.equal(item.files.docx, null, "no working copy for the public");
      assert.equal(item.files.pdf, null, "nor its unsigned PDF");
      assert.equal(item.files.xlsx, `/tinh/51/bao-cao/${publishedId}/bao-cao.xlsx`, "its figures");
      assert.equal(item.files.signed, `/tinh/51/bao-cao/${publishedId}/bao-cao.pdf`, "its signed copy");
      const pdf = await w.app.request(item.files.signed ?? "");
      assert.equal(pdf.status, 200, "the signed copy is public");
      assert.deepEqual(new Uint8Array(await pdf.arrayBuffer()), new Uint8Array(SIGNED_PDF), "byte for byte");
      const xlsx = await w.app.request(item.files.xlsx ?? "");
      assert.equal(xlsx.status, 200, "so are the figures");
      assert.equal((await w.app.request(`/tinh/51/bao-cao/${draftId}/bao-cao.xlsx`)).status, 404, "not the draft's");
      assert.equal((await w.app.request(`/tinh/48/bao-cao/${publishedId}/bao-cao.pdf`)).status, 404, "nor elsewhere");

      const staff = (await (await provinceCoordinator.get("/api/v1/reports?ward=51")).json()) as List;
      assert.equal(staff.total, 2, "the province's drafting accounts see every report of theirs");
      assert.ok(
        staff.items.some((r) => r.id === draftId && r.status === "draft" && r.files.docx),
        "the draft too, with its working copy",
      );
      for (const [who, b] of [
        ["the operator", operator],
        ["Đà Nẵng's account", daNang],
        ["a ward's administrator", wardAdmin],
      ] as const) {
        const seen = (await (await b.get("/api/v1/reports?ward=51")).json()) as List;
        assert.deepEqual(
          seen.items.map((r) => r.id),
          [publishedId],
          `${who}: only the published report`,
        );
      }
      assert.equal(
        ((await (await w.app.request("/api/v1/reports?ward=48")).json()) as List).total,
        0,
        "Đà Nẵng has none",
      );
      const ward = (await (await w.app.request("/api/v1/reports?ward=21439")).json()) as List;
      assert.ok(!ward.items.some((r) => r.id === publishedId), "a ward's list never holds its province's reports");

      const unknown = await w.app.request("/api/v1/reports?ward=99");
      assert.equal(unknown.status, 404, "an unknown province");
      assert.match(
        ((await unknown.json()) as { error: { message: string } }).error.message,
        /Không có tỉnh, thành phố mã 99/,
      );
      const bad = await w.app.request("/api/v1/reports?ward=5");
      assert.equal(bad.status, 400, "neither a ward's code nor a province's");
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /mã xã, phường gồm 5 chữ số/);
      assert.equal((await w.app.request("/api/v1/plans?ward=51")).status, 400, "other routes still take wards only");

      const doc = (await (await w.app.request("/api/openapi.json")).json()) as {
        paths: Record<string, { get: { parameters: { name: string; schema: { pattern: string } }[] } }>;
      };
      const param = doc.paths["/api/v1/reports"]?.get.parameters.find((p) => p.name === "ward");
      assert.ok(param, "the OpenAPI document names the parameter");
      const pattern = new RegExp(param.schema.pattern);
      assert.ok(
        pattern.test("51") && pattern.test("21439") && !pattern.test("5"),
        "and says it takes a province's code",
      );
    });
  });
}
