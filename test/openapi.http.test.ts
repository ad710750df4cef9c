/**
 * The OpenAPI document against the app that serves it, on every database: every /api/v1 route the app has is
 * described (an undocumented endpoint fails here), every description points at a route, every $ref resolves, every
 * error carries a Vietnamese example, and what the API really answers matches the schema documented for its status.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import type { createApp } from "../src/app.tsx";
import { assemble } from "../src/features/api/openapi.ts";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Json; example?: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Json; example?: unknown }> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
/** Letters only Vietnamese uses (tone marks, đ), so an English message cannot pass for a Vietnamese one. */
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

/** Hono's `/plans/:id{[0-9]+}` as OpenAPI's `/plans/{id}`. */
export const openApiPath = (honoPath: string) =>
  honoPath.replace(/:([A-Za-z_]\w*)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, (_m, name: string) => `{${name}}`);

/** A zod schema from a documented JSON schema, its `#/components/schemas/X` references resolved. */
function validator(doc: Doc, schema: Json) {
  const rewrite = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(rewrite)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) => [
              k,
              k === "$ref" && typeof x === "string" ? x.replace("#/components/schemas/", "#/$defs/") : rewrite(x),
            ]),
          )
        : v;
  return z.fromJSONSchema({ ...(rewrite(schema) as Json), $defs: rewrite(doc.components.schemas) } as never);
}

for (const target of testDatabases()) {
  describe(`the OpenAPI document (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let doc: Doc;
    let ipSeq = 0;
    const freshIp = () => `10.9.0.${++ipSeq}`;

    before(async () => {
      w = await createWorld(target);
      // Two requests per window, so the 429 is reached in a few requests; each other check uses its own address.
      app = w.appWith({ PUBLIC_FORM_RATE_LIMIT: "2" });
      const res = await app.request("/api/openapi.json");
      assert.equal(res.status, 200);
      doc = (await res.json()) as Doc;
    });
    after(async () => w.cleanup());

    /** The response's JSON checked against the schema the document gives for its status. */
    async function conforms(res: Response, method: string, path: string) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
      const documented = op.responses[String(res.status)];
      assert.ok(documented, `${method.toUpperCase()} ${path} documents status ${res.status}`);
      const schema = documented.content?.["application/json"]?.schema;
      assert.ok(schema, `${method.toUpperCase()} ${path} ${res.status} has a JSON schema`);
      const body = await res.json();
      const parsed = validator(doc, schema).safeParse(body);
      assert.ok(
        parsed.success,
        `${method.toUpperCase()} ${path} ${res.status} matches its schema: ${parsed.error?.message}\n${JSON.stringify(body).slice(0, 400)}`,
      );
      return body as Json;
    }

    const postJson = (path: string, body: unknown, ip = freshIp(), headers: Record<string, string> = {}) =>
      app.request(path, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-test-ip": ip, ...headers },
      });

    test("every /api/v1 route of the app is described, and every description is a route", () => {
      const routes = new Set(
        app.routes
          .filter((r) => r.path.startsWith("/api/v1/") && METHODS.has(r.method.toLowerCase()))
          .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
      );
      assert.ok(routes.size >= 9, `the app's API routes were found (${[...routes].join(", ")})`);
      const undocumented = [...routes].filter((r) => {
        const [method, path] = r.split(" ") as [string, string];
        return !doc.paths[path]?.[method];
      });
      assert.deepEqual(undocumented, [], "API routes missing from the OpenAPI document");
      const documented = Object.entries(doc.paths)
        .filter(([p]) => p.startsWith("/api/v1/"))
        .flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
      assert.deepEqual(
        documented.filter((d) => !routes.has(d)),
        [],
        "operations described in the document that the app does not serve",
      );
    });

    test("the path helper maps Hono's parameters, patterns included", () => {
      assert.equal(openApiPath("/api/v1/plans/:id{[0-9]+}"), "/api/v1/plans/{id}");
      assert.equal(openApiPath("/api/v1/surveys/:id{[0-9]{1,9}}/results"), "/api/v1/surveys/{id}/results");
      assert.equal(openApiPath("/api/v1/procedures/:code{[0-9]+\\.[0-9]{6}}"), "/api/v1/procedures/{code}");
      assert.equal(openApiPath("/api/v1/x/:a/y/:b"), "/api/v1/x/{a}/y/{b}");
    });

    test("each operation is complete: path parameters, JSON schemas, Vietnamese error examples, resolvable $refs", () => {
      assert.equal(doc.openapi, "3.1.0");
      const text = JSON.stringify(doc);
      for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
        assert.ok(doc.components.schemas[name as string], `$ref ${name} resolves`);
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const where = `${method.toUpperCase()} ${path}`;
          assert.ok(op.summary && VIETNAMESE.test(op.summary), `${where}: a Vietnamese summary`);
          const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
          const declared = (op.parameters ?? [])
            .filter((p) => p.in === "path")
            .map((p) => p.name)
            .sort();
          assert.deepEqual(declared, inPath, `${where}: path parameters declared`);
          if (!path.startsWith("/api/v1/")) continue;
          if (method === "post") {
            const body = op.requestBody?.content["application/json"];
            assert.ok(body?.schema, `${where}: a JSON request schema`);
            if (body.example !== undefined)
              assert.ok(validator(doc, body.schema).safeParse(body.example).success, `${where}: request example valid`);
          }
          const statuses = Object.keys(op.responses);
          assert.ok(
            statuses.some((s) => s.startsWith("2")),
            `${where}: a success response`,
          );
          for (const [status, r] of Object.entries(op.responses)) {
            const json = r.content?.["application/json"];
            assert.ok(json?.schema, `${where} ${status}: a JSON schema`);
            if (json.example !== undefined)
              assert.ok(
                validator(doc, json.schema).safeParse(json.example).success,
                `${where} ${status}: the example matches the schema`,
              );
            if (status.startsWith("4")) {
              assert.ok(json.example, `${where} ${status}: an example`);
              assert.match(JSON.stringify(json.example), VIETNAMESE, `${where} ${status}: the example is Vietnamese`);
            }
          }
        }
      }
    });

    test("two parts describing one operation or naming one schema are refused", () => {
      const part = { paths: { "/api/v1/x": { get: { summary: "x", responses: {} } } }, schemas: { X: {} } };
      assert.throws(
        () => assemble([part, { paths: { "/api/v1/x": { get: {} } } }]),
        /GET \/api\/v1\/x described twice/,
      );
      assert.throws(() => assemble([part, { paths: {}, schemas: { X: {} } }]), /schema X defined twice/);
      assert.doesNotThrow(() => assemble([part, { paths: { "/api/v1/x": { post: {} } } }]));
    });

    test("the read endpoints answer what the document says", async () => {
      await conforms(await app.request("/api/v1/vocabularies"), "get", "/api/v1/vocabularies");
      await conforms(await app.request("/api/v1/plans"), "get", "/api/v1/plans");
      await conforms(await app.request("/api/v1/plans?ward=99999"), "get", "/api/v1/plans");
      await conforms(await app.request("/api/v1/plans/987654"), "get", "/api/v1/plans/{id}");
      await conforms(await app.request("/api/v1/procedures"), "get", "/api/v1/procedures");
      await conforms(await app.request("/api/v1/procedures?pageSize=500"), "get", "/api/v1/procedures");
      await conforms(await app.request("/api/v1/procedures/1.000253"), "get", "/api/v1/procedures/{code}");
      await conforms(await app.request("/api/v1/questions?q=khai%20sinh"), "get", "/api/v1/questions");
      await conforms(await app.request(`/api/v1/questions?q=${"x".repeat(201)}`), "get", "/api/v1/questions");
      await conforms(await app.request("/api/v1/surveys/987654/results"), "get", "/api/v1/surveys/{id}/results");
      await conforms(await app.request("/api/v1/feedback"), "get", "/api/v1/feedback");
    });

    test("a published answer: the public list and the lookup answer what the document says", async () => {
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("lanhdao", "leader");
      const phone = "0911222333";
      const filed = await postJson("/api/v1/feedback", {
        content: "Đường vào bộ phận một cửa ngập nước mỗi khi mưa, đề nghị phường khắc phục.",
        name: "Võ Văn Cường",
        address: "Tổ dân phố 1",
        phone,
        consent: true,
        contentType: "proposal",
      });
      const { code } = await conforms(filed, "post", "/api/v1/feedback");
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code as string)
        .executeTakeFirstOrThrow();
      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const leader = await logIn(app, "lanhdao", pw("lanhdao"));
      const item = `/quan-tri/phan-anh/${id}`;
      for (const [who, action, form] of [
        [coordinator, "vao-so", {}],
        [coordinator, "phan-loai", { classification: "in_scope" }],
        [coordinator, "giao", { unitId: String(w.unitIds.get("radio")) }],
        [coordinator, "du-thao", { answer: "Phường đã nạo vét cống thoát nước trước bộ phận một cửa." }],
        [leader, "duyet", {}],
        [coordinator, "cong-bo", {}],
      ] as const)
        assert.equal((await who.post(`${item}/${action}`, { ...form })).status, 303, action);
      const list = await conforms(await app.request("/api/v1/feedback?published=1"), "get", "/api/v1/feedback");
      const { public_id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("public_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (list.items as Json[]).map((i) => i.id),
        [public_id],
      );
      const status = await conforms(
        await postJson("/api/v1/feedback/lookup", { code, phone }),
        "post",
        "/api/v1/feedback/lookup",
      );
      assert.equal(status.status, "published");
    });

    test("filing and looking up feedback answer what the document says, errors in Vietnamese", async () => {
      const good = {
        content: "Thủ tục chứng thực bản sao phải chờ quá lâu tại bộ phận một cửa.",
        name: "Trần Văn Bình",
        address: "Tổ dân phố 5",
        phone: "0987654321",
        consent: true,
        idempotencyKey: "openapi-test-1",
      };
      const created = await conforms(await postJson("/api/v1/feedback", good), "post", "/api/v1/feedback");
      const again = await postJson("/api/v1/feedback", good);
      assert.equal(again.status, 200);
      assert.deepEqual(await conforms(again, "post", "/api/v1/feedback"), created);
      const bad = await conforms(
        await postJson("/api/v1/feedback", { ...good, consent: false, idempotencyKey: undefined }),
        "post",
        "/api/v1/feedback",
      );
      assert.match((bad.errors as Json).consent as string, VIETNAMESE);
      const plain = await app.request("/api/v1/feedback", {
        method: "POST",
        body: "hello",
        headers: { "content-type": "text/plain", "x-test-ip": freshIp() },
      });
      assert.equal(plain.status, 415);
      await conforms(plain, "post", "/api/v1/feedback");

      const found = await conforms(
        await postJson("/api/v1/feedback/lookup", { code: created.code, phone: good.phone }),
        "post",
        "/api/v1/feedback/lookup",
      );
      assert.equal(found.code, created.code);
      const miss = await postJson("/api/v1/feedback/lookup", { code: created.code, phone: "0900000000" });
      assert.equal(miss.status, 404);
      await conforms(miss, "post", "/api/v1/feedback/lookup");
      await conforms(await postJson("/api/v1/feedback/lookup", {}), "post", "/api/v1/feedback/lookup");

      const ip = freshIp();
      let last: Response | undefined;
      for (let i = 0; i < 3; i++)
        last = await postJson("/api/v1/feedback/lookup", { code: "PA-2026-AAAAA", phone: "0900000000" }, ip);
      assert.equal(last?.status, 429);
      assert.ok(Number(last?.headers.get("retry-after")) > 0, "Retry-After in seconds");
      const documented = doc.paths["/api/v1/feedback/lookup"]?.post?.responses["429"] as Json;
      assert.ok((documented.headers as Json)["Retry-After"], "the document names the Retry-After header");
      await conforms(last as Response, "post", "/api/v1/feedback/lookup");
    });
  });
}
