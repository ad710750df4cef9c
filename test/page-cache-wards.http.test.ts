/**
 * The page cache per ward (issue 12 §3) and across processes (§4), on every database: a write in one ward leaves
 * another ward's cached pages served from the cache, a write in the ward or to shared data makes them stale, and
 * withdrawn content is never served from the cache again. On PostgreSQL, two app instances on one schema (as two
 * processes would be, each with its own connections, cache and search index): a write through one shows through the
 * other at its next request, with no wait, for a cached public page and for search.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { changesOf, currentChanges, QUIET_TABLES } from "../src/core/db/changes.ts";
import { type Db, openPostgres } from "../src/core/db/connection.ts";
import { createLogger } from "../src/core/log.ts";
import { servePortal } from "../src/core/web/cached-listener.ts";
import { PageCache } from "../src/core/web/page-cache.ts";
import { createWorld, SHARED_DIR, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan, resultLinks } from "./helpers/fixtures.ts";

const OTHER = "21451";

/** Write a search document (as a content kind publishing does) through a connection; its links are its url. */
async function writeDoc(db: Db, key: string, scope: string, url: string, deleted = 0): Promise<void> {
  const k = db.kysely;
  const max = await k
    .selectFrom("search_docs")
    .select((e) => e.fn.max("seq").as("m"))
    .executeTakeFirst();
  const seq = Number(max?.m ?? 0) + 1;
  const doc = {
    kind: "news",
    title: "Phường ra mắt kênh Zalo hỗ trợ dịch vụ công",
    body: "Người dân nhắn tin để được hướng dẫn nộp hồ sơ trực tuyến.",
    keywords: "",
    url,
    scope,
    deleted,
    seq,
  };
  await k
    .insertInto("search_docs")
    .values({ ...doc, doc_key: key })
    .onConflict((oc) => oc.column("doc_key").doUpdateSet(doc))
    .execute();
}

for (const target of testDatabases()) {
  describe(`the page cache per ward (${target.name})`, () => {
    let w: TestWorld;
    let otherId = 0;
    before(async () => {
      w = await createWorld(target);
      otherId = await setUpOtherWard(w, OTHER);
    });
    after(async () => {
      await w?.cleanup();
    });

    const get = async (path: string) => {
      const res = await w.app.request(path);
      return { cache: res.headers.get("x-cache"), html: await res.text(), status: res.status };
    };
    const MINE = "/tim-kiem?q=zalo";
    const THEIRS = `/w/${OTHER}/tim-kiem?q=zalo`;

    test("a write in one ward leaves the other ward's pages cached; the ward's own and shared writes do not", async () => {
      for (const p of [MINE, THEIRS]) {
        assert.equal((await get(p)).status, 200, `${p} renders`);
        assert.equal((await get(p)).cache, "hit", `${p} is then served from the cache`);
      }
      const counts = { ...changesOf(w.db).changes.counts };

      await writeDoc(w.db, "news:other-1", `unit:${otherId}`, "/tin-tuc/901");
      assert.ok(changesOf(w.db).changes.counts.unit > counts.unit, "the write was learned as a ward's");
      assert.equal((await get(MINE)).cache, "hit", "a write in the other ward leaves this ward's page");
      const theirs = await get(THEIRS);
      assert.equal(theirs.cache, "miss", "the other ward's page is rendered again");
      assert.deepEqual(resultLinks(theirs.html), [`/w/${OTHER}/tin-tuc/901`], "and shows its new document");

      await writeDoc(w.db, "news:mine-1", `unit:${w.wardId}`, "/tin-tuc/902");
      const mine = await get(MINE);
      assert.equal(mine.cache, "miss", "a write in this ward makes its page stale");
      assert.deepEqual(resultLinks(mine.html), ["/tin-tuc/902"], "showing the ward's own document only");
      assert.equal((await get(THEIRS)).cache, "hit", "and leaves the other ward's");

      await w.db.kysely.insertInto("settings").values({ key: "cache-wards-test", value: "1" }).execute();
      assert.equal((await get(MINE)).cache, "miss", "shared data: every ward's pages are stale");
      assert.equal((await get(THEIRS)).cache, "miss", "the other ward's too");
    });

    test("a child row's write (a plan's reference) is its parent's ward's; every table a page may show is watched", async () => {
      await importSeedPlan(w);
      const { id: plan, ward_id: planWard } = await w.db.kysely
        .selectFrom("plans")
        .select(["id", "ward_id"])
        .executeTakeFirstOrThrow();
      const changes = changesOf(w.db).changes;
      const at = changes.stamp();
      await w.db.kysely
        .insertInto("plan_references")
        .values({
          plan_id: plan,
          kind: "other",
          number: null,
          title: "Kế hoạch thử",
          issued_on: null,
          issuer: null,
          year: null,
          position: 99,
        })
        .execute();
      await currentChanges(w.db);
      assert.ok(!changes.unchangedSince(at, [planWard]), "the plan's ward changed");
      assert.ok(planWard !== otherId && changes.unchangedSince(at, [otherId]), "the other ward did not");
      if (target.name !== "postgres") return;
      const unwatched = await sql<{
        t: string;
      }>`select tablename as t from pg_tables where schemaname = current_schema()
        and not exists (select 1 from pg_trigger g join pg_class c on c.oid = g.tgrelid
          where c.relname = tablename and c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
          and g.tgname = 'cchc_changed_i')`.execute(w.db.kysely);
      assert.deepEqual(
        unwatched.rows
          .map((r) => r.t)
          .filter((t) => !QUIET_TABLES.has(t))
          .sort(),
        [],
        "every table but the quiet ones notifies its changes (a later migration calls watchAllTables)",
      );
    });

    test("withdrawn content is never served from the cache afterwards", async () => {
      assert.deepEqual(resultLinks((await get(THEIRS)).html), [`/w/${OTHER}/tin-tuc/901`], "shown");
      assert.equal((await get(THEIRS)).cache, "hit", "and cached");
      await writeDoc(w.db, "news:other-1", `unit:${otherId}`, "/tin-tuc/901", 1);
      const after = await get(THEIRS);
      assert.notEqual(after.cache, "hit", "the page is rendered again");
      assert.deepEqual(resultLinks(after.html), [], "without the withdrawn document");
      // A national document (shared) withdrawn: every ward's page.
      await writeDoc(w.db, "news:national-1", "national", "/tin-tuc/903");
      assert.ok(resultLinks((await get(MINE)).html).includes("/tin-tuc/903"), "a national document shows");
      assert.equal((await get(MINE)).cache, "hit", "cached");
      await writeDoc(w.db, "news:national-1", "national", "/tin-tuc/903", 1);
      assert.ok(!resultLinks((await get(MINE)).html).includes("/tin-tuc/903"), "withdrawn, it is gone at once");
    });
  });
}

/** A GET over real HTTP, as a browser: another process's server answers through its socket. */
function httpGet(port: number, path: string): Promise<{ cache: string | undefined; html: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ cache: res.headers["x-cache"] as string | undefined, html: Buffer.concat(chunks).toString() }),
        );
      })
      .on("error", reject);
  });
}

for (const target of testDatabases().filter((t) => t.name === "postgres")) {
  describe("two app instances on one PostgreSQL schema", () => {
    let w: TestWorld;
    let second: Db;
    let server: ReturnType<typeof servePortal>;
    let port = 0;
    before(async () => {
      w = await createWorld(target);
      await setUpOtherWard(w, OTHER);
      // The second instance: its own connections, page cache, search index and listening connection.
      second = openPostgres(w.env.DATABASE_URL as string, { max: 2 });
      const deps = {
        db: second,
        config: loadConfig({ DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR }),
        clock: w.now,
        log: createLogger("silent"),
      };
      const cache = new PageCache(8 * 1024 * 1024);
      server = servePortal(createApp(deps, { pageCache: cache }), cache, deps, { port: 0, hostname: "127.0.0.1" });
      await new Promise((ok) => server.once("listening", ok));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise((ok) => server?.close(ok));
      await second?.close();
      await w?.cleanup();
    });

    test("a write through one instance shows through the other at its next request", async () => {
      const page = "/tim-kiem?q=zalo";
      assert.deepEqual(resultLinks((await httpGet(port, page)).html), [], "nothing yet");
      assert.equal((await httpGet(port, page)).cache, "hit", "the other instance caches the page");
      // The search index of the other instance, asked by its own page of another ward (not cached yet).
      assert.deepEqual(resultLinks((await httpGet(port, `/w/${OTHER}/tim-kiem?q=zalo`)).html), [], "nor there");

      await writeDoc(w.db, "news:1", `unit:${w.wardId}`, "/tin-tuc/1");
      await writeDoc(w.db, "news:2", `unit:${w.wardId}`, "/tin-tuc/2");
      const seen = await httpGet(port, page);
      assert.notEqual(seen.cache, "hit", "the cached page is not served after the other instance's write");
      assert.deepEqual(resultLinks(seen.html), ["/tin-tuc/1", "/tin-tuc/2"], "its search finds the new documents");
      assert.equal(
        (await httpGet(port, `/w/${OTHER}/tim-kiem?q=zalo`)).cache,
        "hit",
        "the other ward's page on that instance stayed cached",
      );

      // Withdrawn through the first instance's app-less connection: gone from the second at once.
      await writeDoc(w.db, "news:1", `unit:${w.wardId}`, "/tin-tuc/1", 1);
      assert.deepEqual(resultLinks((await httpGet(port, page)).html), ["/tin-tuc/2"], "the withdrawn one is gone");
      // A search not cached anywhere (another query) also sees the change with no wait.
      await writeDoc(w.db, "news:2", `unit:${w.wardId}`, "/tin-tuc/2", 1);
      assert.deepEqual(resultLinks((await httpGet(port, "/tim-kiem?q=zalo+ho+tro")).html), [], "a fresh search");
    });

    test("while the listening connection is down, the other instance falls back to reading the data version", async () => {
      const page = "/tim-kiem?q=tong+dai";
      await httpGet(port, page);
      assert.equal((await httpGet(port, page)).cache, "hit", "cached");
      // Cut the second instance's listening connection from the database's side.
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(w.db.kysely)).rows[0]?.s;
      const killed = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = ${`cchc_listen_${schema}`}`.execute(w.db.kysely);
      assert.ok((killed.rows[0]?.n ?? 0) >= 1, "a listening connection was ended");
      await writeDoc(w.db, "news:3", `unit:${w.wardId}`, "/tin-tuc/3");
      // Within OTHER_WRITERS_MS the fallback reads the data version; the listener also comes back by itself.
      let links: string[] = [];
      for (let i = 0; i < 100 && !links.includes("/tin-tuc/3"); i++) {
        await new Promise((ok) => setTimeout(ok, 25));
        links = resultLinks((await httpGet(port, page)).html);
      }
      assert.ok(links.includes("/tin-tuc/3"), "the write shows without the listener");
    });
  });
}
