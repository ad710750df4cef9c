/** Wards with time over HTTP: a code means today's unit, CODE@date the unit then; predecessors' records stay visible. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { adminUnitInForce, createOrgUnit, resolveWard } from "../src/features/units/units.service.ts";
import { createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

for (const target of testDatabases()) {
  describe(`wards with time (${target.name})`, () => {
    let w: TestWorld;
    let planId = 0;
    before(async () => {
      w = await createWorld(target);
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "expected: ward");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "expected: r.ok");
      planId = r.planId;
    });
    after(async () => w.cleanup());

    test("a code alone is the unit in force today; CODE@date the unit in force then", async () => {
      const today = await adminUnitInForce(w.db.kysely, "21439", "2026-03-02");
      const then = await adminUnitInForce(w.db.kysely, "21439", "2024-02-19");
      assert.equal(today?.name, "Phường Đức Phổ");
      assert.equal(then?.name, "Phường Nguyễn Nghiêm");
      assert.equal(await adminUnitInForce(w.db.kysely, "21463", "2026-03-02"), undefined);
      assert.equal((await adminUnitInForce(w.db.kysely, "21463", "2024-02-19"))?.name, "Phường Phổ Minh");
    });

    test("Phường Đức Phổ carries its five predecessors and lies in Tỉnh Quảng Ngãi", async () => {
      const ward = await resolveWard(w.db.kysely, "21439", "2026-03-02", "21439");
      assert.equal(ward?.province?.name, "Tỉnh Quảng Ngãi");
      assert.deepEqual(
        ward?.predecessors.map((p) => p.unit.name).sort(),
        ["Phường Nguyễn Nghiêm", "Phường Phổ Hòa", "Phường Phổ Minh", "Phường Phổ Ninh", "Phường Phổ Vinh"].sort(),
      );
      assert.ok(
        ward?.predecessors.every((p) => p.kind === "full"),
        'expected: ward?.predecessors.every((p) => p.kind === "full")',
      );
    });

    test("the seed plan of Phổ Minh is listed under Đức Phổ with its historical name, and under Phổ Minh on a past date", async () => {
      for (const url of ["/api/v1/plans", "/api/v1/plans?ward=21439", "/api/v1/plans?ward=21463@2024-02-19"]) {
        const body = (await (await w.app.request(url)).json()) as {
          total: number;
          items: { ward: { name: string } }[];
        };
        assert.equal(body.total, 1, url);
        assert.equal(body.items[0]?.ward.name, "Phường Phổ Minh", url);
      }
      const nguyenNghiem = (await (await w.app.request("/api/v1/plans?ward=21439@2024-02-19")).json()) as {
        total: number;
      };
      assert.equal(nguyenNghiem.total, 0, "Nguyễn Nghiêm (the old 21439) did not issue it");
      const page = await (await w.app.request("/")).text();
      assert.match(page, /Phường Phổ Minh \(trước sắp xếp\)/);
      assert.match(page, /Phường Đức Phổ/);
    });

    test("a split commune's plan shows under every successor, marked partial", async () => {
      const old = await adminUnitInForce(w.db.kysely, "21142", "2024-06-01");
      assert.equal(old?.name, "Xã Trà Bùi");
      const caDam = await resolveWard(w.db.kysely, "21136", vnToday(w.now()), "21439");
      assert.ok(caDam && old, "expected: caDam && old");
      const text = seedPlanText()
        .replace(/Phổ Minh/g, "Trà Bùi")
        .replace(/phường Trà Bùi/g, "xã Trà Bùi")
        .replace("Số: 18 /KH-UBND", "Số: 25/KH-UBND");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, caDam, text, {
        issuingWardId: old.id,
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, r.ok ? "" : r.error);
      for (const code of ["21136", "21157"]) {
        const body = (await (await w.app.request(`/api/v1/plans?ward=${code}`)).json()) as {
          items: { number: string; ward: { name: string; partial: boolean } }[];
        };
        const item = body.items.find((i) => i.number === "25/KH-UBND");
        assert.equal(item?.ward.name, "Xã Trà Bùi", code);
        assert.equal(item?.ward.partial, true, code);
        assert.match(
          await (await w.app.request(`/w/${code}/ke-hoach`)).text(),
          /Xã Trà Bùi \(trước sắp xếp, một phần địa bàn\)/,
        );
      }
    });

    test("pages of another ward live under /w/{code}/…; an unknown ward is a clear 404", async () => {
      const notSetUp = await w.app.request("/w/21451/ke-hoach");
      assert.equal(notSetUp.status, 404, "a ward with nothing here has no portal (ward-pages.http.test.ts)");
      assert.match(await notSetUp.text(), /Phường Trà Câu chưa có trang/);
      const traCauWard = await resolveWard(w.db.kysely, "21451", vnToday(w.now()), "21439");
      assert.ok(traCauWard, "Trà Câu exists");
      await createOrgUnit(
        w.db.kysely,
        SYSTEM_ACTOR,
        { wardId: traCauWard.unit.id, name: "Văn phòng – Thống kê", code: "office", aliases: [] },
        w.now(),
      );
      // No forgetWards: the write to Trà Câu's units ends the memo of its "no portal" answer at once (core/web/ward.ts).
      const other = await w.app.request("/w/21451/ke-hoach");
      assert.equal(other.status, 200);
      assert.match(await other.text(), /Phường Trà Câu/);
      assert.equal(
        (await w.app.request(`/w/21451/ke-hoach/${planId}`)).status,
        404,
        "a plan of Đức Phổ is not Trà Câu's",
      );
      const unknown = await w.app.request("/w/99999/ke-hoach");
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /Không có xã, phường nào mang mã <strong>99999/);
      const api = await w.app.request("/api/v1/plans?ward=99999");
      assert.equal(api.status, 404);
      assert.equal(((await api.json()) as { error: { id: string } }).error.id, "ward_not_found");
    });

    test("staff pages act on the signed-in officer's own ward, not the deployment's default", async () => {
      const traCau = await adminUnitInForce(w.db.kysely, "21451", vnToday(w.now()));
      assert.ok(traCau, "expected: traCau");
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "tracau",
          displayName: "Cán bộ Trà Câu",
          password: pw("tracau"),
          role: "coordinator",
          wardId: traCau.id,
        },
        w.now(),
      );
      assert.ok(made.ok, "expected: made.ok");
      const staff = await logIn(w.app, "tracau", pw("tracau"));
      const home = await (await staff.get("/quan-tri")).text();
      assert.match(home, /Quản trị · Phường Trà Câu/);
      assert.doesNotMatch(home, /Kế hoạch 18\/KH-UBND|18\/KH-UBND/, "Đức Phổ's plan is not Trà Câu's");
    });

    test("the OpenAPI document describes the plan endpoints", async () => {
      const doc = (await (await w.app.request("/api/openapi.json")).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      assert.ok(doc.paths["/api/v1/plans"], 'expected: doc.paths["/api/v1/plans"]');
      assert.ok(doc.paths["/api/v1/plans/{id}"], 'expected: doc.paths["/api/v1/plans/{id}"]');
      assert.ok(doc.components.schemas.Plan, "expected: doc.components.schemas.Plan");
    });
  });
}
