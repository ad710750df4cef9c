/**
 * Issue 8 A.9: `/w/{code}/` of a commune without a portal here, of a code no commune has, or with a broken `%`
 * escape is a clear Vietnamese 404 page with a link home — not a 500, and not an empty portal.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { forgetWards } from "../src/core/web/ward.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { createWorld, type TestWorld, testDatabases } from "./helpers/env.ts";

for (const target of testDatabases()) {
  describe(`pages of a ward without a portal (${target.name})`, () => {
    let w: TestWorld;
    let other: { id: number; code: string; name: string };
    before(async () => {
      w = await createWorld(target);
      const row = await w.db.kysely
        .selectFrom("admin_units")
        .select(["id", "code", "name"])
        .where("level", "=", "commune")
        .where("valid_to", "is", null)
        .where("code", "<>", "21439")
        .orderBy("code")
        .executeTakeFirstOrThrow();
      other = row;
    });
    after(async () => w.cleanup());

    test("a real commune that is not set up here: 404 naming it, with a link home", async () => {
      for (const path of [`/w/${other.code}/`, `/w/${other.code}/thu-tuc`, `/w/${other.code}/gop-y`]) {
        const res = await w.app.request(path);
        assert.equal(res.status, 404, `${path} is a 404`);
        const html = await res.text();
        assert.ok(html.includes(other.name), `${path} names the commune`);
        assert.match(html, /chưa được thiết lập/, `${path} says why`);
        assert.match(html, /<a href="\/">Về trang chủ<\/a>/, `${path} links home`);
      }
    });

    test("a code of no commune, and broken escapes: the same clear 404, never a 500", async () => {
      for (const path of ["/w/99999/", "/w/abc/", "/w/%E0%A4%A/", "/w/%/"]) {
        const res = await w.app.request(path);
        assert.equal(res.status, 404, `${path} is a 404`);
        assert.match(await res.text(), /Không có xã, phường nào mang mã/, `${path} explains the code`);
      }
    });

    test("the default ward, a past unit's history, and a ward once set up are shown", async () => {
      assert.equal((await w.app.request("/w/21439")).status, 200, "the default ward");
      assert.equal((await w.app.request("/w/21463@2024-02-19")).status, 200, "a unit as it was");
      const r = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "quantrixa2",
          displayName: "Quản trị xã 2",
          password: "Mk-2xa-quan-tri!",
          role: "admin",
          wardId: other.id,
        },
        w.now(),
      );
      assert.ok(r.ok, "an administrator for the other ward");
      forgetWards(w.db);
      assert.equal((await w.app.request(`/w/${other.code}`)).status, 200, "once set up, its portal shows");
    });
  });
}
