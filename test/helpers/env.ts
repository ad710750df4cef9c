/**
 * Integration test environment: a real database (SQLite file, and PostgreSQL when TEST_DATABASE_URL is set,
 * each test file in a schema of its own), the real app, the real reference data from ../shared.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { createApp } from "../../src/app.tsx";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import type { Role } from "../../src/core/auth/roles.ts";
import { loadConfig } from "../../src/core/config.ts";
import { type Db, openPostgres, openSqlite } from "../../src/core/db/connection.ts";
import { migrateToLatest } from "../../src/core/db/migrate.ts";
import { type FileStore, fileStoreOf } from "../../src/core/file-store.ts";
import { createLogger } from "../../src/core/log.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { forgetWards } from "../../src/core/web/ward.ts";
import { createUser } from "../../src/features/accounts/accounts.service.ts";
import { DEFAULT_WARD_UNITS } from "../../src/features/plans/unit-match.ts";
import { readDvhcvn, type UnitsDataset } from "../../src/features/units/dvhcvn.ts";
import { adminUnitInForce, createOrgUnit, loadAdminUnits, wardOf } from "../../src/features/units/units.service.ts";

export const SHARED_DIR = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared");
export const SEED_PLAN_FILE = path.join(SHARED_DIR, "seeds/000_5d25a1a03213bf5f.txt");
export const seedPlanText = () => fs.readFileSync(SEED_PLAN_FILE, "utf8");

export interface TestDatabase {
  name: "sqlite" | "postgres";
  /** `env`: what a child process (the CLI) needs to reach the same database. */
  open(): Promise<{ db: Db; dataDir: string; env: Record<string, string>; cleanup(): Promise<void> }>;
}

/** The databases every integration suite runs on. */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: "sqlite",
      async open() {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-test-"));
        const db = openSqlite(path.join(dataDir, "cchc.sqlite"));
        return {
          db,
          dataDir,
          env: { DATA_DIR: dataDir },
          cleanup: async () => {
            await db.close();
            fs.rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    list.push({
      name: "postgres",
      async open() {
        const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`create schema ${schema}`);
        await admin.end();
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-test-"));
        const db = openPostgres(url, { searchPath: schema, max: 4 });
        const sep = url.includes("?") ? "&" : "?";
        return {
          db,
          dataDir,
          env: {
            DATA_DIR: dataDir,
            DATABASE_URL: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
          },
          cleanup: async () => {
            await db.close();
            const c = new pg.Client({ connectionString: url });
            await c.connect();
            await c.query(`drop schema ${schema} cascade`);
            // pg-boss's schema beside it, when a test started the PostgreSQL job queue (src/core/jobs/pg-queue.ts).
            await c.query(`drop schema if exists ${schema}_pgboss cascade`);
            await c.end();
            fs.rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    });
  }
  return list;
}

const datasetCache = new Map<string, Promise<UnitsDataset>>();

/**
 * The real register, cut to Quảng Ngãi (new province 51 and the old units that merged into it): the demo
 * ward's whole history, at a fraction of the load time of the country. `more`: other provinces (new codes) to keep
 * beside it, with their history, for tests that need a ward of another province.
 */
export async function quangNgaiUnits(more: readonly string[] = []): Promise<UnitsDataset> {
  const codes = ["51", ...more];
  const key = codes.join(",");
  let cached = datasetCache.get(key);
  if (!cached) {
    cached = readDvhcvn(path.join(SHARED_DIR, "data/dvhcvn-2025")).then((all) => {
      const keep = new Set<string>();
      for (const code of codes) {
        const province = all.units.find((u) => u.level === "province" && u.code === code && u.validTo == null);
        if (!province) throw new Error(`province ${code} missing from the register`);
        keep.add(province.key);
        for (const u of all.units) if (u.parentKey === province.key) keep.add(u.key);
      }
      for (const l of all.links) if (keep.has(l.toKey)) keep.add(l.fromKey);
      for (const u of all.units) if (keep.has(u.key) && u.parentKey) keep.add(u.parentKey);
      return {
        units: all.units.filter((u) => keep.has(u.key)),
        links: all.links.filter((l) => keep.has(l.fromKey) && keep.has(l.toKey)),
      };
    });
    datasetCache.set(key, cached);
  }
  return cached;
}

/** The test password of a staff account (never containing the username, which the policy refuses). */
export const pw = (username: string) => `Pm-${[...username].reverse().join("")}-2024!`;

/** A fixed "now" after the 2025 reform, so 21439 is Phường Đức Phổ. */
export const FIXED_NOW = new Date("2026-03-02T03:00:00Z");

export interface TestWorld {
  db: Db;
  dataDir: string;
  /** The world's file store (FILE_STORE): the data folder, or on PostgreSQL the database when asked for. */
  files: FileStore;
  /** Environment for a child process (the CLI) on the same database. */
  env: Record<string, string>;
  app: ReturnType<typeof createApp>;
  /**
   * Another app over the same database, with these settings (e.g. `{ PUBLIC_FORM_RATE_LIMIT: "2" }`), whose client
   * address is the request's `x-test-ip` header: so each test can be its own client of the public rate limit.
   */
  appWith(settings?: Record<string, string>): ReturnType<typeof createApp>;
  wardId: number;
  unitIds: Map<string, number>;
  now: () => Date;
  setNow(d: Date): void;
  /** A staff account of the demo ward; `operator`: also a deployment operator (national records). */
  createStaff(
    username: string,
    role: Role,
    unitCode?: string,
    opts?: { operator?: boolean },
  ): Promise<{ username: string; password: string; id: number }>;
  /** An account of the demo ward's province (Tỉnh Quảng Ngãi): `viewer` reads its wards, the others also request. */
  createProvinceStaff(
    username: string,
    role: "leader" | "coordinator" | "viewer",
    orgUnitId?: number | null,
  ): Promise<{ username: string; password: string; id: number }>;
  cleanup(): Promise<void>;
}

/** A migrated database with the demo ward (Phường Đức Phổ, 21439), its seven units, and the app over it. */
export async function createWorld(
  target: TestDatabase,
  opts: { now?: Date; log?: Logger; moreProvinces?: readonly string[]; fileStore?: "local" | "database" } = {},
): Promise<TestWorld> {
  const opened = await target.open();
  const { db, dataDir, cleanup } = opened;
  // FILE_STORE: as asked, else TEST_FILE_STORE on PostgreSQL (to run a suite against the database store), else local.
  const fileStore =
    opts.fileStore ?? (target.name === "postgres" && process.env.TEST_FILE_STORE === "database" ? "database" : "local");
  const env = { ...opened.env, FILE_STORE: fileStore };
  await migrateToLatest(db);
  await loadAdminUnits(db, await quangNgaiUnits(opts.moreProvinces));
  let now = opts.now ?? FIXED_NOW;
  const unit = await adminUnitInForce(db.kysely, "21439", vnToday(new Date()));
  if (!unit) throw new Error("21439 missing");
  await wardOf(db.kysely, unit, "");
  const unitIds = new Map<string, number>();
  for (const u of DEFAULT_WARD_UNITS)
    unitIds.set(
      u.code,
      await createOrgUnit(
        db.kysely,
        SYSTEM_ACTOR,
        { wardId: unit.id, name: u.name, code: u.code, aliases: [...u.aliases] },
        now,
      ),
    );
  const base = { DATA_DIR: dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR, FILE_STORE: fileStore };
  const config = loadConfig(base, process.cwd());
  const app = createApp({ db, config, clock: () => now, log: opts.log ?? createLogger("silent") });
  return {
    db,
    dataDir,
    files: fileStoreOf({ db, config }),
    env,
    app,
    appWith: (settings = {}) =>
      createApp(
        {
          db,
          config: loadConfig({ ...base, ...settings }),
          clock: () => now,
          log: opts.log ?? createLogger("silent"),
        },
        { remoteAddress: (c) => c.req.header("x-test-ip") },
      ),
    wardId: unit.id,
    unitIds,
    now: () => now,
    setNow: (d) => {
      now = d;
    },
    async createStaff(username, role, unitCode, opts = {}) {
      const password = pw(username);
      const r = await createUser(
        db.kysely,
        SYSTEM_ACTOR,
        {
          username,
          displayName: `Cán bộ ${username}`,
          password,
          role,
          wardId: unit.id,
          orgUnitId: unitCode ? (unitIds.get(unitCode) ?? null) : null,
          operator: opts.operator === true,
        },
        now,
      );
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return { username, password, id: r.value.id };
    },
    async createProvinceStaff(username, role, orgUnitId = null) {
      const password = pw(username);
      if (unit.parent_id == null) throw new Error("the demo ward has no province");
      const r = await createUser(
        db.kysely,
        SYSTEM_ACTOR,
        { username, displayName: `Cán bộ ${username}`, password, role, wardId: unit.parent_id, orgUnitId },
        now,
      );
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return { username, password, id: r.value.id };
    },
    cleanup,
  };
}

export interface Browser {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  post(path: string, form: Record<string, string> | FormData): Promise<Response>;
}

/** Log in through the real login form and keep the session cookie and CSRF token, as a browser would. */
export async function logIn(app: TestWorld["app"], username: string, password: string): Promise<Browser> {
  const res = await app.request("/dang-nhap", {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const home = await app.request("/quan-tri", { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? "";
  return {
    cookie,
    csrf,
    get: async (p) => app.request(p, { headers: { cookie } }),
    post: async (p, form) => {
      if (form instanceof FormData) {
        if (!form.has("_csrf")) form.set("_csrf", csrf);
        return app.request(p, { method: "POST", body: form, headers: { cookie } });
      }
      return app.request(p, {
        method: "POST",
        body: new URLSearchParams({ _csrf: csrf, ...form }),
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      });
    },
  };
}

/**
 * Set up another ward of the same deployment (one unit of its own), so `/w/{code}/…` shows its portal: a commune
 * with nothing here gets the "no portal" page (ward-pages.http.test.ts).
 */
export async function setUpOtherWard(w: TestWorld, code: string): Promise<number> {
  const unit = await adminUnitInForce(w.db.kysely, code, vnToday(w.now()));
  if (!unit) throw new Error(`${code} missing`);
  await createOrgUnit(
    w.db.kysely,
    SYSTEM_ACTOR,
    { wardId: unit.id, name: "Văn phòng – Thống kê", code: "office", aliases: [] },
    w.now(),
  );
  forgetWards(w.db);
  return unit.id;
}
