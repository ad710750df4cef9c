/**
 * Issue 8 A.9: every documented /api/v1 route reads its query string by schema. Loops over the OpenAPI document:
 * for each route, a bad `ward` (empty, a broken `%` escape, not a code), an unknown or repeated parameter, and values
 * outside each documented parameter's schema are a 400 with a Vietnamese message — never a 500.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createWorld, type TestWorld, testDatabases } from "./helpers/env.ts";

type Schema = { type?: string; enum?: string[]; minimum?: number; maximum?: number; maxLength?: number };
type Param = { name: string; in: string; required?: boolean; schema?: Schema };
type Doc = { paths: Record<string, Record<string, { parameters?: Param[] }>> };

/** Letters only Vietnamese uses, so an English message cannot pass for a Vietnamese one. */
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

/** Raw query strings (already encoded as sent on the wire) that break a parameter's documented schema. */
function badValues(schema: Schema): string[] {
  const out: string[] = [];
  if (schema.type === "integer") out.push("abc", "1.5", "%", "%E0%A4%A");
  if (schema.type === "integer" && schema.minimum !== undefined) out.push(String(schema.minimum - 1));
  if (schema.type === "integer" && schema.maximum !== undefined) out.push(String(schema.maximum + 1));
  if (schema.enum) out.push("khong-hop-le", "");
  if (schema.maxLength !== undefined) out.push("a".repeat(schema.maxLength + 1));
  return out;
}

const BAD_WARDS = ["", "%", "%E0%A4%A", "%ZZ", "abc", "2143", "21439@2024-13-45x", "21439%00"];

for (const target of testDatabases()) {
  describe(`query parameters of every /api/v1 route (${target.name})`, () => {
    let w: TestWorld;
    let doc: Doc;
    before(async () => {
      w = await createWorld(target);
      doc = (await (await w.app.request("/api/openapi.json")).json()) as Doc;
    });
    after(async () => w.cleanup());

    const routes = () =>
      Object.entries(doc.paths)
        .filter(([p]) => p.startsWith("/api/v1/"))
        .flatMap(([p, ops]) =>
          Object.entries(ops).map(([method, op]) => ({ path: p, method, params: op.parameters ?? [] })),
        );
    const concrete = (p: string) => p.replace("{id}", "1").replace("{code}", "1.000253");
    const send = (method: string, url: string) =>
      w.app.request(url, {
        method: method.toUpperCase(),
        headers: { "content-type": "application/json" },
        ...(method === "get" ? {} : { body: "{}" }),
      });

    test("bad values of ward, unknown and repeated parameters, and values outside each schema: Vietnamese 400s", async () => {
      const list = routes();
      assert.ok(list.length >= 10, `the document lists the API routes (${list.length})`);
      let checked = 0;
      for (const r of list) {
        const required = r.params
          .filter((p) => p.in === "query" && p.required)
          .map((p) => `${p.name}=${encodeURIComponent(String(p.schema?.enum?.[0] ?? "1"))}`);
        const base = concrete(r.path);
        const queries = [
          ...BAD_WARDS.map((v) => `ward=${v}`),
          "khongco=1",
          "ward=21439&ward=21439",
          ...r.params
            .filter((p) => p.in === "query" && p.name !== "ward" && p.schema)
            .flatMap((p) => badValues(p.schema as Schema).map((v) => `${p.name}=${v}`)),
        ];
        for (const q of queries) {
          const own = q.split("=")[0];
          const query = [...required.filter((x) => x.split("=")[0] !== own), q].join("&");
          const res = await send(r.method, `${base}?${query}`);
          const what = `${r.method.toUpperCase()} ${base}?${query}`;
          assert.equal(res.status, 400, `${what} → 400`);
          const body = (await res.json()) as { error?: { message?: string } };
          assert.match(body.error?.message ?? "", VIETNAMESE, `${what}: a Vietnamese message`);
          checked++;
        }
      }
      assert.ok(checked > 100, `many bad queries were tried (${checked})`);
    });

    test("a valid query still answers", async () => {
      for (const url of [
        "/api/v1/plans?ward=21439",
        "/api/v1/procedures?ward=21439&page=1&q=khai%20sinh",
        "/api/v1/feedback?published=1&ward=21439",
      ]) {
        const res = await w.app.request(url);
        assert.equal(res.status, 200, `${url} answers`);
      }
      const unknownWard = await w.app.request("/api/v1/plans?ward=99999");
      assert.equal(unknownWard.status, 404, "a well-formed code of no commune is a 404");
    });
  });
}
