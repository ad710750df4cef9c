/**
 * What operators and their tools ask a process, before any ward, session or cache is looked at:
 *
 * - `/healthz` (liveness): the process answers and reaches its database (503 once the SQLite file is lost, or while
 *   PostgreSQL does not answer).
 * - `/readyz` (readiness, for a load balancer or an orchestrator): 200 only when the process should be sent traffic;
 *   otherwise 503 with every reason found, each a stable code and a Vietnamese sentence. Checked: the process is not
 *   stopping; the database answers and is still the one opened (the SQLite file not replaced, the portal id what the
 *   data folder's marker — or the first check — said); every migration this version lists is applied; and what the
 *   caller adds (app.tsx: the search index built).
 * - `/metrics` (Prometheus text format), only when METRICS_TOKEN is set and then only with that bearer token: the
 *   requests counted by core/web/observe.ts, the page cache's answers, the job queue and the process's memory, all
 *   read at scrape time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { sql } from "kysely";
import { PORTAL_ID_KEY, readMarker } from "../data-folder.ts";
import { pendingMigrations } from "../db/migrate.ts";
import { queueDepth } from "../jobs/jobs.ts";
import { formatMetrics, type MetricFamily, type RequestMetrics } from "../metrics.ts";
import type { AppEnv, Deps } from "./context.ts";
import { databaseLost } from "./database-guard.ts";
import type { PageCache } from "./page-cache.ts";

/** Every reason code /readyz can give (listed in the OpenAPI document). */
export const NOT_READY_REASONS = [
  "shutting_down",
  "database_lost",
  "database_unreachable",
  "database_not_portal",
  "database_replaced",
  "migrations_pending",
  "search_index_building",
] as const;

/** Why a process is not ready: a stable code for tools, a sentence for people. */
export interface NotReady {
  reason: (typeof NOT_READY_REASONS)[number];
  message: string;
}

/** A readiness check beyond the database's: null when satisfied. */
export type ReadinessCheck = () => NotReady | null | Promise<NotReady | null>;

export interface OpsOptions {
  requestMetrics: RequestMetrics;
  pageCache: PageCache;
  /** Checks after the database's, in order (app.tsx: the search index). */
  readiness?: readonly ReadinessCheck[];
  /** Figures beyond the core's, read at each scrape. */
  metrics?: readonly (() => MetricFamily[])[];
  /** True once the process is stopping (main.ts, on SIGTERM): not ready, so the balancer sends nothing new. */
  stopping?: () => boolean;
}

/** How long the database may take to answer a readiness check before it counts as unreachable. */
export const DB_CHECK_TIMEOUT_MS = 3_000;

export const NOT_READY = {
  stopping: {
    reason: "shutting_down",
    message: "Máy chủ đang dừng: các yêu cầu đang xử lý được hoàn tất, không nhận yêu cầu mới.",
  },
  lost: (how: string): NotReady => ({
    reason: "database_lost",
    message: `Tệp cơ sở dữ liệu đã bị xoá hoặc thay thế khi máy chủ đang chạy (${how}): cần khôi phục bản sao lưu rồi khởi động lại.`,
  }),
  unreachable: {
    reason: "database_unreachable",
    message: "Không kết nối được cơ sở dữ liệu hoặc cơ sở dữ liệu không trả lời kịp.",
  },
  notPortal: {
    reason: "database_not_portal",
    message: "Cơ sở dữ liệu đang kết nối không chứa dữ liệu của cổng thông tin (không có bảng cấu hình).",
  },
  foreign: {
    reason: "database_replaced",
    message:
      "Cơ sở dữ liệu đang kết nối không còn là cơ sở dữ liệu đã mở lúc khởi động (mã cổng thông tin khác): kiểm tra DATABASE_URL và DATA_DIR.",
  },
  migrations: (pending: readonly string[]): NotReady => ({
    reason: "migrations_pending",
    message: `Cấu trúc cơ sở dữ liệu chưa được cập nhật: còn ${pending.length} bản chuyển đổi (migration) chưa áp dụng, đầu tiên là ${pending[0]}. Khởi động lại máy chủ để áp dụng.`,
  }),
  searchIndex: { reason: "search_index_building", message: "Chỉ mục tìm kiếm đang được xây dựng." },
} as const satisfies Record<string, NotReady | ((x: never) => NotReady)>;

class Timeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The database part of readiness; remembers what only needs to be found once (the portal id, migrations current). */
export function databaseReadiness(deps: Pick<Deps, "db" | "config" | "log">) {
  let expectedId: string | null = null;
  let migrationsCurrent = false;

  const expected = (): string | null => {
    if (expectedId) return expectedId;
    try {
      expectedId = readMarker(deps.config.dataDir)?.portalId ?? null;
    } catch {
      // An unreadable marker: the start refused it already; here the first id seen stands in.
    }
    return expectedId;
  };

  const check = async (): Promise<NotReady[]> => {
    const lost = databaseLost(deps);
    if (lost) return [NOT_READY.lost(lost)];
    try {
      await sql`select 1`.execute(deps.db.kysely);
    } catch {
      return [NOT_READY.unreachable];
    }
    let id: string | null;
    try {
      const row = await deps.db.kysely
        .selectFrom("settings")
        .select("value")
        .where("key", "=", PORTAL_ID_KEY)
        .executeTakeFirst();
      id = row?.value ?? null;
    } catch {
      return [NOT_READY.notPortal];
    }
    const want = expected();
    if (want && id !== want) return [NOT_READY.foreign];
    if (!want && id) expectedId = id;
    if (!migrationsCurrent) {
      const pending = await pendingMigrations(deps.db);
      // Applied migrations are never undone: once current, this version stays current on this database.
      if (pending.length) return [NOT_READY.migrations(pending)];
      migrationsCurrent = true;
    }
    return [];
  };

  return async (): Promise<NotReady[]> => {
    try {
      return await withTimeout(check(), DB_CHECK_TIMEOUT_MS);
    } catch (e) {
      if (!(e instanceof Timeout)) deps.log.warn({ err: { message: (e as Error).message } }, "readiness check failed");
      return [NOT_READY.unreachable];
    }
  };
}

/** Whether `header` is `Bearer <token>` (compared in constant time, over digests so lengths do not leak). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  if (!m) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(m[1] as string), digest(token));
}

/** The process's memory and start time, as Prometheus' client libraries name them. */
export function processFamilies(mem: NodeJS.MemoryUsage = process.memoryUsage()): MetricFamily[] {
  const gauge = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: "gauge",
    samples: [{ value }],
  });
  return [
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", mem.rss),
    gauge("nodejs_heap_size_total_bytes", "V8 heap size in bytes.", mem.heapTotal),
    gauge("nodejs_heap_size_used_bytes", "V8 heap used in bytes.", mem.heapUsed),
    gauge("nodejs_external_memory_bytes", "Memory of C++ objects bound to JavaScript objects, in bytes.", mem.external),
    gauge("nodejs_array_buffers_bytes", "Memory of ArrayBuffers and Buffers, in bytes.", mem.arrayBuffers),
    gauge(
      "process_start_time_seconds",
      "Start time of the process since the Unix epoch, in seconds.",
      Math.round(Date.now() / 1000 - process.uptime()),
    ),
  ];
}

/** The page cache's answers since start and what it holds now. */
export function pageCacheFamilies(cache: PageCache): MetricFamily[] {
  const stats = cache.stats();
  return [
    {
      name: "cchc_page_cache_requests_total",
      help: "Cacheable public pages asked for, by result: hit (stored page), shared (another request's render), miss (rendered).",
      type: "counter",
      samples: (["hit", "shared", "miss"] as const).map((result) => ({
        labels: { result },
        value: cache.served[result],
      })),
    },
    {
      name: "cchc_page_cache_entries",
      help: "Pages held by the cache.",
      type: "gauge",
      samples: [{ value: stats.entries }],
    },
    {
      name: "cchc_page_cache_bytes",
      help: "Memory the cached pages cost, in bytes.",
      type: "gauge",
      samples: [{ value: stats.bytes }],
    },
    {
      name: "cchc_page_cache_max_bytes",
      help: "The cache's bound (PAGE_CACHE_MB), in bytes.",
      type: "gauge",
      samples: [{ value: stats.maxBytes }],
    },
  ];
}

/** The routes; mount before the page cache, the ward and the session (they need none of them). */
export function opsRoutes(opts: OpsOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const dbReadiness = new WeakMap<Deps, () => Promise<NotReady[]>>();

  app.get("/healthz", async (c) => {
    const deps = c.get("deps");
    const lost = databaseLost(deps);
    if (lost) return c.json({ status: "error", db: deps.db.dialect, error: `database file ${lost}` }, 503);
    try {
      await withTimeout(deps.db.kysely.selectFrom("settings").select("key").limit(1).execute(), DB_CHECK_TIMEOUT_MS);
    } catch {
      c.header("Cache-Control", "no-store");
      return c.json({ status: "error", db: deps.db.dialect, error: "database unreachable" }, 503);
    }
    return c.json({ status: "ok", db: deps.db.dialect });
  });

  app.get("/readyz", async (c) => {
    const deps = c.get("deps");
    let dbCheck = dbReadiness.get(deps);
    if (!dbCheck) {
      dbCheck = databaseReadiness(deps);
      dbReadiness.set(deps, dbCheck);
    }
    c.header("Cache-Control", "no-store");
    const problems: NotReady[] = [];
    if (opts.stopping?.()) problems.push(NOT_READY.stopping);
    problems.push(...(await dbCheck()));
    for (const check of opts.readiness ?? []) {
      const p = await check();
      if (p) problems.push(p);
    }
    const first = problems[0];
    if (!first) return c.json({ status: "ready", db: deps.db.dialect });
    return c.json(
      { status: "not_ready", db: deps.db.dialect, reason: first.reason, message: first.message, problems },
      503,
    );
  });

  app.get("/metrics", async (c) => {
    const { config, db, clock } = c.get("deps");
    if (!config.metricsToken) return c.notFound();
    c.header("Cache-Control", "no-store");
    if (!bearerMatches(c.req.header("authorization"), config.metricsToken)) {
      c.header("WWW-Authenticate", 'Bearer realm="metrics"');
      return c.json(
        { error: { id: "unauthorized", message: "Cần mã truy cập số liệu vận hành (Authorization: Bearer …)." } },
        401,
      );
    }
    const families: MetricFamily[] = [...opts.requestMetrics.families(), ...pageCacheFamilies(opts.pageCache)];
    let up = 1;
    try {
      const q = await withTimeout(queueDepth(db, clock()), DB_CHECK_TIMEOUT_MS);
      families.push({
        name: "cchc_jobs",
        help: "Background jobs by state: queued (waiting), due (queued and due now), running, failed (for good).",
        type: "gauge",
        samples: (["queued", "due", "running", "failed"] as const).map((state) => ({
          labels: { state },
          value: q[state],
        })),
      });
    } catch {
      up = 0;
    }
    families.push({
      name: "cchc_database_up",
      help: "Whether the database answered this scrape's queries (1) or not (0).",
      type: "gauge",
      samples: [{ value: up }],
    });
    for (const more of opts.metrics ?? []) families.push(...more());
    families.push(...processFamilies());
    return c.body(formatMetrics(families), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  return app;
}
