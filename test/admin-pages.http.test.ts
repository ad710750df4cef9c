/**
 * Administration over HTTP on every database: the ward's units (create, aliases used to recognise plan headings,
 * rename, retire with a successor) and staff accounts (create, roles, disable, passwords), who may do what, CSRF,
 * and the audit trail with before → after.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import type { Ward } from "../src/core/web/context.ts";
import { confirmPlanImport, previewPlanImport } from "../src/features/plans/plans.service.ts";
import { orgUnitsWithAliases, resolveWard } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const idFrom = (res: Response, base: string) => {
  const m = new RegExp(`^${base}/(\\d+)`).exec(res.headers.get("location") ?? "");
  assert.ok(m, `redirected to ${base}/{id}, got ${res.status} ${res.headers.get("location")}`);
  return Number(m[1]);
};
const UNITS = "/quan-tri/don-vi";
const USERS = "/quan-tri/tai-khoan";
/** The seed plan with group 3 headed by an abbreviation only a taught alias can recognise. */
const planWithHeading = (heading: string) =>
  seedPlanText().replace("### **3. Ngành Tư pháp - hộ tịch:**", `### **3. ${heading}:**`);

for (const target of testDatabases()) {
  describe(`administration pages over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let ward: Ward;
    let admin: Browser;
    let coord: Browser;
    let officer: Browser;
    let militaryId = 0;
    const today = () => vnToday(w.now());

    before(async () => {
      w = await createWorld(target);
      const found = await resolveWard(w.db.kysely, "21439", today(), "21439");
      assert.ok(found, "expected: found");
      ward = found;
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: today(),
      });
      assert.ok(r.ok, "expected: r.ok");
      await w.createStaff("quantri", "admin");
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("canbo", "officer", "radio");
      admin = await logIn(w.app, "quantri", pw("quantri"));
      coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      officer = await logIn(w.app, "canbo", pw("canbo"));
    });
    after(async () => w.cleanup());

    const k = () => w.db.kysely;
    const unit = (id: number) => k().selectFrom("org_units").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const aliasesOf = async (id: number) =>
      (
        await k().selectFrom("org_unit_aliases").select("alias").where("org_unit_id", "=", id).orderBy("id").execute()
      ).map((a) => a.alias);
    const auditRows = (action: string) =>
      k().selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("id").execute();
    const count = async (table: "org_units" | "org_unit_aliases" | "users" | "audit_log") =>
      Number(
        (
          await k()
            .selectFrom(table)
            .select((e) => e.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const groupUnit = async (text: string, code: string) => {
      const r = await previewPlanImport(k(), ward, text, { today: today() });
      assert.ok(r.ok, "expected: r.ok");
      return r.preview.groups.find((g) => g.code === code)?.unit?.id ?? null;
    };

    test("units and accounts pages: coordinator and admin in, officers out", async () => {
      const list = await coord.get(UNITS);
      assert.equal(list.status, 200);
      const html = await list.text();
      assert.match(html, /Tư pháp – Hộ tịch/);
      assert.match(html, /href="\/quan-tri\/don-vi"/, "the navigation links to the units page");
      assert.equal((await officer.get(UNITS)).status, 403);
      assert.equal((await coord.get(USERS)).status, 403, "accounts are for the administrator only");
      assert.equal((await admin.get(USERS)).status, 200);
      assert.equal((await officer.get("/quan-tri/viec-cua-toi")).status, 200, "other staff pages are unaffected");
    });

    test("the coordinator creates a unit and teaches it an alias, which then recognises a plan heading", async () => {
      const res = await coord.post(`${UNITS}/moi`, {
        name: "Ban Chỉ huy Quân sự",
        code: "quan_su",
        aliases: "BCH Quân sự\n\nBan CHQS\n",
        validFrom: "01/07/2025",
      });
      assert.equal(res.status, 303);
      militaryId = idFrom(res, UNITS);
      const row = await unit(militaryId);
      assert.equal(row.valid_from, "2025-07-01");
      assert.equal(row.ward_id, ward.unit.id);
      assert.deepEqual(await aliasesOf(militaryId), ["Ban Chỉ huy Quân sự", "BCH Quân sự", "Ban CHQS"]);
      const page = await (await coord.get(`${UNITS}/${militaryId}?da-luu=tao`)).text();
      assert.match(page, /Đã thêm đơn vị/);
      assert.match(page, /01\/07\/2025/);

      const text = planWithHeading("CHQS phường");
      assert.equal(await groupUnit(text, "3"), null, "“CHQS” alone is not yet known");
      const added = await coord.post(`${UNITS}/${militaryId}/ten-goi`, { alias: "CHQS" });
      assert.equal(added.status, 303);
      assert.equal(await groupUnit(text, "3"), militaryId);

      const f = new FormData();
      f.set("text", text);
      const preview = await (await coord.post("/quan-tri/ke-hoach/nhap", f)).text();
      assert.match(preview, /3\. CHQS phường<\/h3>\s*<p>Đơn vị chủ trì: <strong>Ban Chỉ huy Quân sự<\/strong>/);

      const [row2] = await auditRows("org_unit.alias_add");
      assert.equal(row2?.actor, "dieuphoi");
      assert.equal(row2?.entity_id, String(militaryId));
      assert.deepEqual(JSON.parse(row2?.before_json ?? "null"), {
        aliases: ["Ban Chỉ huy Quân sự", "BCH Quân sự", "Ban CHQS"],
      });
      assert.deepEqual(JSON.parse(row2?.after_json ?? "null"), {
        aliases: ["Ban Chỉ huy Quân sự", "BCH Quân sự", "Ban CHQS", "CHQS"],
      });
      const created = (await auditRows("org_unit.create")).find((r) => r.entity_id === String(militaryId));
      assert.equal(JSON.parse(created?.after_json ?? "{}").name, "Ban Chỉ huy Quân sự");
    });

    test("an alias that already recognises another unit is refused, naming that unit", async () => {
      const before = await count("org_unit_aliases");
      const res = await coord.post(`${UNITS}/${militaryId}/ten-goi`, { alias: "Tư pháp" });
      assert.equal(res.status, 409);
      const html = await res.text();
      assert.match(html, /error-summary/);
      assert.match(html, /href="#a-alias"/);
      assert.match(html, /Tên gọi “Tư pháp” đã thuộc về đơn vị “Tư pháp – Hộ tịch”/);
      assert.match(html, /id="a-alias" name="alias" value="Tư pháp"/, "what was typed is kept");
      // Another spelling of the same key is the same alias.
      const again = await coord.post(`${UNITS}/${militaryId}/ten-goi`, { alias: "văn hoá – xã hội" });
      assert.equal(again.status, 409);
      assert.match(await again.text(), /đã thuộc về đơn vị “Văn hóa – Xã hội”/);

      const units = await count("org_units");
      const create = await coord.post(`${UNITS}/moi`, { name: "Công an phường", aliases: "Công an\nVH-XH" });
      assert.equal(create.status, 409);
      const page = await create.text();
      assert.match(page, /Tên gọi “VH-XH” đã thuộc về đơn vị “Văn hóa – Xã hội”/);
      assert.match(page, /value="Công an phường"/);
      assert.equal(await count("org_units"), units, "nothing is created");
      assert.equal(await count("org_unit_aliases"), before);
    });

    test("rename keeps the old name as an alias; alias removal; a taken name is refused", async () => {
      const res = await coord.post(`${UNITS}/${militaryId}/doi-ten`, { name: "Ban Chỉ huy Quân sự phường Đức Phổ" });
      assert.equal(res.status, 303);
      assert.equal((await unit(militaryId)).name, "Ban Chỉ huy Quân sự phường Đức Phổ");
      const aliases = await aliasesOf(militaryId);
      assert.ok(
        aliases.includes("Ban Chỉ huy Quân sự") && aliases.includes("Ban Chỉ huy Quân sự phường Đức Phổ"),
        'expected: aliases.includes("Ban Chỉ huy Quân sự") && aliases.includes("Ban Chỉ huy Quân sự phường...',
      );
      const [renamed] = await auditRows("org_unit.rename");
      assert.deepEqual(JSON.parse(renamed?.before_json ?? "null"), { name: "Ban Chỉ huy Quân sự" });
      assert.equal(JSON.parse(renamed?.after_json ?? "null").name, "Ban Chỉ huy Quân sự phường Đức Phổ");

      const taken = await coord.post(`${UNITS}/${militaryId}/doi-ten`, { name: "Đài truyền thanh" });
      assert.equal(taken.status, 409);
      assert.match(await taken.text(), /đã thuộc về đơn vị “Đài truyền thanh”/);

      const alias = await k()
        .selectFrom("org_unit_aliases")
        .select("id")
        .where("org_unit_id", "=", militaryId)
        .where("alias", "=", "BCH Quân sự")
        .executeTakeFirstOrThrow();
      assert.equal((await coord.post(`${UNITS}/${militaryId}/ten-goi/${alias.id}/xoa`, {})).status, 303);
      assert.ok(
        !(await aliasesOf(militaryId)).includes("BCH Quân sự"),
        'expected: !(await aliasesOf(militaryId)).includes("BCH Quân sự")',
      );
      const nameAlias = await k()
        .selectFrom("org_unit_aliases")
        .select("id")
        .where("org_unit_id", "=", militaryId)
        .where("alias", "=", "Ban Chỉ huy Quân sự phường Đức Phổ")
        .executeTakeFirstOrThrow();
      const refused = await coord.post(`${UNITS}/${militaryId}/ten-goi/${nameAlias.id}/xoa`, {});
      assert.equal(refused.status, 400, "the unit's own name stays");
      assert.match(await refused.text(), /là tên của đơn vị nên không xóa được/);
    });

    test("retire with a successor: history stays, matching and choices move on", async () => {
      const justice = w.unitIds.get("justice") as number;
      const linked = async () =>
        (await k().selectFrom("task_units").select("task_id").where("org_unit_id", "=", justice).execute()).length;
      const tasksBefore = await linked();
      assert.ok(tasksBefore > 0, "the seed plan gave the justice unit tasks");
      const created = await coord.post(`${UNITS}/moi`, { name: "Tư pháp – Hộ tịch – Địa chính" });
      const successor = idFrom(created, UNITS);

      const bad = await coord.post(`${UNITS}/${justice}/thoi-hoat-dong`, { validTo: "31/02/2026", successorId: "" });
      assert.equal(bad.status, 400);
      const badHtml = await bad.text();
      assert.match(badHtml, /href="#x-validTo"/);
      assert.match(badHtml, /Ngày không hợp lệ: nhập theo dạng ngày\/tháng\/năm/);
      assert.match(badHtml, /value="31\/02\/2026"/);

      const res = await coord.post(`${UNITS}/${justice}/thoi-hoat-dong`, {
        validTo: "28/02/2026",
        successorId: String(successor),
        moveAliases: "1",
      });
      assert.equal(res.status, 303);
      const row = await unit(justice);
      assert.equal(row.valid_to, "2026-02-28");
      assert.equal(row.successor_id, successor);
      assert.equal(await linked(), tasksBefore, "the retired unit's tasks stay linked to it");
      const inForce = await orgUnitsWithAliases(k(), ward.unit.id, today());
      assert.ok(!inForce.some((u) => u.id === justice), "no longer matched or offered");
      assert.equal(await groupUnit(seedPlanText(), "3"), successor, "the old name now recognises the successor");

      const list = await (await coord.get(UNITS)).text();
      const retired = list.slice(list.indexOf("Đã thôi hoạt động"));
      assert.match(retired, /Tư pháp – Hộ tịch<\/a>[\s\S]*?28\/02\/2026[\s\S]*?Tư pháp – Hộ tịch – Địa chính/);
      const form = await (await admin.get(`${USERS}/moi`)).text();
      assert.doesNotMatch(form, new RegExp(`<option value="${justice}"`), "not a choice for new accounts");

      const [audit] = await auditRows("org_unit.retire");
      assert.deepEqual(JSON.parse(audit?.before_json ?? "null").validTo, null);
      const afterJson = JSON.parse(audit?.after_json ?? "null");
      assert.equal(afterJson.validTo, "2026-02-28");
      assert.equal(afterJson.successorId, successor);

      const again = await coord.post(`${UNITS}/${justice}/thoi-hoat-dong`, { validTo: "01/03/2026" });
      assert.equal(again.status, 400);
      assert.match(await again.text(), /đã thôi hoạt động sau ngày 28\/02\/2026/);
    });

    test("an officer gets 403 on every POST of these pages, the coordinator on the accounts pages", async () => {
      const target = await w.createStaff("muctieu", "leader");
      const alias = await k()
        .selectFrom("org_unit_aliases")
        .select("id")
        .where("org_unit_id", "=", militaryId)
        .executeTakeFirstOrThrow();
      const unitPosts: [string, Record<string, string>][] = [
        [`${UNITS}/moi`, { name: "Đơn vị lạ" }],
        [`${UNITS}/${militaryId}/doi-ten`, { name: "Tên lạ" }],
        [`${UNITS}/${militaryId}/ten-goi`, { alias: "Tên gọi lạ" }],
        [`${UNITS}/${militaryId}/ten-goi/${alias.id}/xoa`, {}],
        [`${UNITS}/${militaryId}/thoi-hoat-dong`, { validTo: "01/03/2026" }],
      ];
      const userPosts: [string, Record<string, string>][] = [
        [`${USERS}/moi`, { username: "lanhdao2", displayName: "Lãnh đạo", role: "admin", password: pw("lanhdao2") }],
        [`${USERS}/${target.id}/sua`, { displayName: "Mục tiêu", role: "admin", orgUnitId: "" }],
        [`${USERS}/${target.id}/mat-khau`, { password: "Mat-khau-moi-2026!" }],
        [`${USERS}/${target.id}/trang-thai`, { active: "0" }],
      ];
      const audits = await count("audit_log");
      for (const [path, form] of [...unitPosts, ...userPosts]) {
        const res = await officer.post(path, form);
        assert.equal(res.status, 403, `officer POST ${path}`);
        assert.match(await res.text(), /Không có quyền truy cập/);
      }
      for (const [path, form] of userPosts)
        assert.equal((await coord.post(path, form)).status, 403, `coordinator POST ${path}`);
      for (const path of [`${UNITS}/moi`, `${UNITS}/${militaryId}`, USERS, `${USERS}/${target.id}`])
        assert.equal((await officer.get(path)).status, 403, `officer GET ${path}`);
      assert.equal(await count("audit_log"), audits, "nothing was changed");
      assert.equal((await unit(militaryId)).valid_to, null);
    });

    test("a missing CSRF token is refused", async () => {
      const units = await count("org_units");
      const users = await count("users");
      const send = (b: Browser, path: string, form: Record<string, string>) =>
        w.app.request(path, {
          method: "POST",
          body: new URLSearchParams(form),
          headers: { cookie: b.cookie, "content-type": "application/x-www-form-urlencoded" },
        });
      const a = await send(coord, `${UNITS}/moi`, { name: "Đơn vị không token" });
      assert.equal(a.status, 403);
      assert.match(await a.text(), /Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ/);
      const b = await send(admin, `${USERS}/moi`, {
        username: "khongtoken",
        displayName: "Không Token",
        role: "leader",
      });
      assert.equal(b.status, 403);
      const c = await send(admin, `${USERS}/moi`, {
        _csrf: "gia-mao",
        username: "khongtoken",
        displayName: "X Y",
        role: "leader",
      });
      assert.equal(c.status, 403);
      assert.equal(await count("org_units"), units);
      assert.equal(await count("users"), users);
    });

    test("a weak password is refused with the Vietnamese message, and what was typed is kept", async () => {
      const users = await count("users");
      const res = await admin.post(`${USERS}/moi`, {
        username: "yeu.matkhau",
        displayName: "Trần Thị Yếu",
        role: "leader",
        password: "12345678",
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /href="#password"/);
      assert.match(html, /Mật khẩu này quá phổ biến, dễ bị đoán/);
      assert.match(html, /value="yeu\.matkhau"/);
      assert.match(html, /value="Trần Thị Yếu"/);
      assert.doesNotMatch(html, /value="12345678"/, "a password is never echoed back");
      const short = await admin.post(`${USERS}/moi`, {
        username: "ngan",
        displayName: "Ngắn",
        role: "leader",
        password: "abc",
      });
      assert.match(await short.text(), /Mật khẩu phải có ít nhất 8 ký tự/);
      const noUnit = await admin.post(`${USERS}/moi`, {
        username: "khongdonvi",
        displayName: "Không Đơn Vị",
        role: "officer",
        orgUnitId: "",
        password: pw("khongdonvi"),
      });
      assert.equal(noUnit.status, 400);
      assert.match(await noUnit.text(), /Cán bộ đơn vị cần thuộc một đơn vị/);
      assert.equal(await count("users"), users);
    });

    test("the admin creates an officer who logs in; disabling refuses their open session at once", async () => {
      const radio = String(w.unitIds.get("radio"));
      const res = await admin.post(`${USERS}/moi`, {
        username: "Nguyen.Moi",
        displayName: "Nguyễn Văn Mới",
        role: "officer",
        orgUnitId: radio,
        password: pw("nguyen.moi"),
      });
      assert.equal(res.status, 303);
      const id = idFrom(res, USERS);
      const list = await (await admin.get(USERS)).text();
      assert.match(
        list,
        /nguyen\.moi<\/a><\/td><td>Nguyễn Văn Mới<\/td><td>Cán bộ đơn vị<\/td><td>Đài truyền thanh<\/td>/,
      );

      const newcomer = await logIn(w.app, "nguyen.moi", pw("nguyen.moi"));
      assert.equal((await newcomer.get("/quan-tri/viec-cua-toi")).status, 200);

      const off = await admin.post(`${USERS}/${id}/trang-thai`, { active: "0" });
      assert.equal(off.status, 303);
      const sessions = await k().selectFrom("sessions").select("id").where("user_id", "=", id).execute();
      assert.equal(sessions.length, 0);
      const refused = await newcomer.get("/quan-tri/viec-cua-toi");
      assert.equal(refused.status, 303);
      assert.match(refused.headers.get("location") ?? "", /^\/dang-nhap/);
      await assert.rejects(logIn(w.app, "nguyen.moi", pw("nguyen.moi")), /login failed: 401/);
      const [disabled] = await auditRows("user.disable");
      assert.equal(disabled?.actor, "quantri");
      assert.deepEqual(JSON.parse(disabled?.before_json ?? "null"), { active: true });
      assert.equal(JSON.parse(disabled?.after_json ?? "null").active, false);

      assert.equal((await admin.post(`${USERS}/${id}/trang-thai`, { active: "1" })).status, 303);
      await logIn(w.app, "nguyen.moi", pw("nguyen.moi"));

      const changed = await admin.post(`${USERS}/${id}/sua`, {
        displayName: "Nguyễn Văn Mới",
        role: "coordinator",
        orgUnitId: String(w.unitIds.get("office")),
      });
      assert.equal(changed.status, 303);
      const [change] = await auditRows("user.change");
      assert.deepEqual(JSON.parse(change?.before_json ?? "null"), {
        displayName: "Nguyễn Văn Mới",
        role: "officer",
        orgUnitId: Number(radio),
      });
      assert.equal(JSON.parse(change?.after_json ?? "null").role, "coordinator");
    });

    test("a generated password is shown once; a reset ends the account's sessions; no secret reaches the audit", async () => {
      const res = await admin.post(`${USERS}/moi`, { username: "capthi2", displayName: "Chuyên viên", role: "leader" });
      assert.equal(res.status, 200);
      const html = await res.text();
      const generated = /id="mat-khau-moi">([^<]+)</.exec(html)?.[1] ?? "";
      assert.ok(generated.length >= 12, "expected: generated.length >= 12");
      assert.match(res.headers.get("cache-control") ?? "", /no-store/);
      const viewer = await logIn(w.app, "capthi2", generated);
      const id = (
        await k().selectFrom("users").select("id").where("username", "=", "capthi2").executeTakeFirstOrThrow()
      ).id;
      assert.doesNotMatch(await (await admin.get(`${USERS}/${id}`)).text(), new RegExp(generated));

      const weak = await admin.post(`${USERS}/${id}/mat-khau`, { password: "capthi2-2026" });
      assert.equal(weak.status, 400);
      assert.match(await weak.text(), /Mật khẩu không được chứa tên đăng nhập/);
      const reset = await admin.post(`${USERS}/${id}/mat-khau`, { password: "Mua-xuan-Duc-Pho-2026" });
      assert.equal(reset.status, 303);
      assert.equal((await viewer.get("/quan-tri")).status, 303, "the open session ended");
      await assert.rejects(logIn(w.app, "capthi2", generated));
      await logIn(w.app, "capthi2", "Mua-xuan-Duc-Pho-2026");

      const all = await k().selectFrom("audit_log").select(["before_json", "after_json"]).execute();
      const text = JSON.stringify(all);
      for (const secret of [generated, "Mua-xuan-Duc-Pho-2026", pw("nguyen.moi"), "$argon2"])
        assert.ok(!text.includes(secret), `audit holds no ${secret === "$argon2" ? "hash" : "password"}`);
      assert.equal((await auditRows("user.password_reset")).length, 1);
    });

    test("an admin cannot disable or demote themself", async () => {
      const me = (
        await k().selectFrom("users").select("id").where("username", "=", "quantri").executeTakeFirstOrThrow()
      ).id;
      const off = await admin.post(`${USERS}/${me}/trang-thai`, { active: "0" });
      assert.equal(off.status, 400);
      assert.match(await off.text(), /không thể tự khóa tài khoản của mình/);
      const demote = await admin.post(`${USERS}/${me}/sua`, {
        displayName: "Quản trị",
        role: "coordinator",
        orgUnitId: "",
      });
      assert.equal(demote.status, 400);
      const html = await demote.text();
      assert.match(html, /href="#e-role"/);
      assert.match(html, /không thể tự bỏ vai trò quản trị/);
      const row = await k()
        .selectFrom("users")
        .select(["role", "active"])
        .where("id", "=", me)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { role: "admin", active: 1 });
      assert.equal((await admin.get(USERS)).status, 200);
    });
  });
}
