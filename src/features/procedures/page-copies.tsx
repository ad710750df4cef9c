/**
 * Pre-rendered copies of a ward's two heaviest public pages, the printable notice board (~1 MB of HTML, a QR code
 * per procedure: a quarter of a second of CPU at national scale) and the public catalogue, shared by every app process
 * (issue 12). Kept in the database (`page_copies`, migration 051) rather than the file store: the bytes and the stamp
 * that says what they were rendered from are one row, written in one statement and read in one, the same on SQLite and
 * PostgreSQL, whichever FILE_STORE a deployment uses (a local-disk store is per process).
 *
 * A copy is served only when a cheap check proves it current: the row for today's date in Vietnam (versions take
 * effect on dates; the board prints the day) whose stamp equals the stamp now — this code and these settings, the
 * ward's address, and the generation of every unit its pages show (`copy_inputs`: the ward, its predecessors, its
 * province, and 0 for national data), which triggers advance in the very transaction of any write to the tables the
 * pages are rendered from. So a withdrawn or erased procedure is never served from a copy, by any process, from the
 * moment its write commits; a write in another ward moves another unit's generation and leaves this copy alone.
 * Otherwise the page is rendered live, as without copies, and a render of the copy is queued (once per stamp and
 * process): shared data (the national catalogue) changing makes every ward's copy stale at once, and each is
 * re-rendered when first asked for, in the background, not 3,321 at once.
 *
 * The job (`pageCopyJob`, one per ward and day, keyed so repeated changes coalesce) renders both pages for a day,
 * unless they are already current, then queues the next day's render for the evening before (spread over the hour
 * before midnight), so a ward's copies are ready when its day begins. Only the plain URL is copied (the board's
 * filters render live), only for visitors without a session (the page cache's rule).
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { type Kysely, sql } from "kysely";
import type { Db } from "../../core/db/connection.ts";
import type { Database } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";
import { defineJob, enqueueJob } from "../../core/jobs/jobs.ts";
import { compareVi, vnToday } from "../../core/text/vi.ts";
import { resolveWard } from "../../core/wards.ts";
import type { AppEnv, Ward } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import {
  acceptsEncoding,
  CACHED_PAGE_HEADERS,
  compressPage,
  hasSessionCookie,
  matchesEtag,
} from "../../core/web/page-cache.ts";
import { timeSlicer } from "../../core/web/slices.tsx";
import { wardContact } from "../ward-profile/ward-profile.service.ts";
import { boardSheets, selectSheets, wardCatalogues } from "./procedures.catalogue.ts";
import { BoardPage } from "./views/board.tsx";
import { CataloguePage } from "./views/catalogue.tsx";
import { procedurePath, qrSvg } from "./views/shared.tsx";

const gunzipAsync = promisify(gunzip);

/** The settings a copied page depends on. */
export interface CopySettings {
  publicUrl: string | null;
  procedureLevels: readonly string[];
}

export type CopyPage = "board" | "catalogue";
export const COPY_PAGES: readonly CopyPage[] = ["board", "catalogue"];

/** Logged at start and shown on the print pages while PUBLIC_URL is unset. */
export const NO_PUBLIC_URL_WARNING =
  "Chưa đặt PUBLIC_URL (địa chỉ công khai của cổng): bản in bảng niêm yết và trang thủ tục không có mã QR, đường dẫn in ra không có tên miền.";

/**
 * The absolute address of a path on this site, built from PUBLIC_URL only; null while it is unset. Paper outlives
 * the request: a QR code built from the request's own origin (127.0.0.1 behind a proxy) would lead nowhere.
 */
export function publicAddressOf(publicUrl: string | null, path: string): string | null {
  const origin = publicUrl?.replace(/\/+$/, "");
  return origin ? `${origin}${path}` : null;
}

const html = async (node: unknown) => String(await node);

/** The notice board of a ward on a day, as HTML: one field's or all, only what changed since a date, or all. */
export async function renderBoard(
  db: Kysely<Database>,
  ward: Ward,
  today: string,
  settings: CopySettings,
  query: { kind: "summary" | "full"; field: string | null; since: string | null } = {
    kind: "summary",
    field: null,
    since: null,
  },
): Promise<string> {
  const filter = { field: query.field, since: query.since };
  const all = await boardSheets(db, ward, today, settings.procedureLevels);
  const sheets = [];
  const pause = timeSlicer();
  for (const s of selectSheets(all, filter)) {
    await pause();
    const path = procedurePath(ward.base, s.entry.code);
    const url = publicAddressOf(settings.publicUrl, path);
    const qr = url ? await qrSvg(url, `Mã QR đến trang thủ tục ${s.entry.code}`) : null;
    sheets.push({ ...s, url: url ?? path, qr });
  }
  return html(
    <Layout title="Bảng niêm yết thủ tục hành chính" ward={ward}>
      <BoardPage
        ward={ward}
        sheets={sheets}
        today={today}
        kind={query.kind}
        filter={filter}
        fields={[...new Set(all.map((s) => s.record.field))].sort((a, b) => compareVi(a, b))}
        warning={settings.publicUrl ? null : NO_PUBLIC_URL_WARNING}
      />
    </Layout>,
  );
}

/** The public catalogue of a ward on a day, as HTML: what is in force, and what is announced for later. */
export async function renderCatalogue(
  db: Kysely<Database>,
  ward: Ward,
  today: string,
  settings: CopySettings,
): Promise<string> {
  // Today's catalogue, and as it will stand once every announced version is in force: what differs is upcoming.
  const [entries = [], future = []] = await wardCatalogues(db, ward, [today, "9999-12-31"], settings.procedureLevels);
  const upcoming = future.filter((e) => e.effectiveFrom > today);
  return html(
    <Layout title="Thủ tục hành chính" ward={ward} searchBox={false}>
      <CataloguePage ward={ward} entries={entries} upcoming={upcoming} />
    </Layout>,
  );
}

const RENDERERS: Record<CopyPage, (db: Kysely<Database>, ward: Ward, day: string, s: CopySettings) => Promise<string>> =
  { board: (db, ward, day, s) => renderBoard(db, ward, day, s), catalogue: renderCatalogue };

// ---------------------------------------------------------------------------------------------------------------
// The stamp: what a copy was rendered from
// ---------------------------------------------------------------------------------------------------------------

let codeFingerprint: string | null = null;

/**
 * A digest of this program's source (every .ts, .tsx and .css under src/): a new version may render the same data
 * differently (markup, the stylesheet's address), so a copy made by another version is never served. Read once, at
 * start (main.ts): reading every source file holds the event loop, which the first visitor of a board should not wait on.
 */
export function codeVersion(): string {
  if (codeFingerprint) return codeFingerprint;
  const root = path.resolve(import.meta.dirname, "../..");
  const hash = createHash("sha256");
  const files = (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => /\.(tsx?|css)$/.test(f) && !/\.test\.tsx?$/.test(f))
    .sort();
  for (const f of files)
    hash
      .update(f)
      .update("\0")
      .update(fs.readFileSync(path.join(root, f)))
      .update("\0");
  codeFingerprint = hash.digest("base64url").slice(0, 16);
  return codeFingerprint;
}

/** The units whose data a ward's copied pages show: national data (0), its province, the ward and its predecessors. */
export function copyUnits(ward: Ward): number[] {
  const ids = new Set<number>([0, ward.unit.id, ...ward.scopeIds]);
  if (ward.province) ids.add(ward.province.id);
  return [...ids].sort((a, b) => a - b);
}

/**
 * The stamp of a ward's copied pages as they would be rendered now: read before anything a render reads, so a write
 * landing during a render leaves its copy stale, never wrong.
 */
export async function copyStamp(db: Kysely<Database>, ward: Ward, settings: CopySettings): Promise<string> {
  const units = copyUnits(ward);
  const rows = await db.selectFrom("copy_inputs").select(["unit_id", "gen"]).where("unit_id", "in", units).execute();
  return stampOf(ward, settings, new Map(rows.map((r) => [Number(r.unit_id), Number(r.gen)])));
}

/** The stamp from the generations of the ward's units as read (`unit:gen` pairs joined by commas when aggregated). */
function stampOf(ward: Ward, settings: CopySettings, gen: ReadonlyMap<number, number>): string {
  const units = copyUnits(ward);
  const settingsKey = createHash("sha256")
    .update(JSON.stringify([settings.publicUrl, settings.procedureLevels]))
    .digest("base64url")
    .slice(0, 12);
  return `${codeVersion()}|${settingsKey}|${ward.base}|${units.map((u) => `${u}:${gen.get(u) ?? 0}`).join(",")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering copies (the job, the CLI)
// ---------------------------------------------------------------------------------------------------------------

export interface CopyJob {
  /** The ward's code, as its address names it (`/w/{code}`), and the day in Vietnam to render for. */
  code: string;
  day: string;
  publicUrl: string | null;
  procedureLevels: string[];
  defaultWard: string;
}

/** Renders of copies since start, for tests and the bench: rendered, already current. */
export const copyRenders = { rendered: 0, current: 0 };

/**
 * Render a ward's copies for a day unless they are current; returns how many pages were rendered (0: the ward has
 * no such commune on that day, or both copies were current).
 */
export async function renderCopies(db: Db, job: CopyJob, now: Date): Promise<number> {
  const settings: CopySettings = { publicUrl: job.publicUrl, procedureLevels: job.procedureLevels };
  const resolved = await resolveWard(db.kysely, job.code, job.day, job.defaultWard);
  if (!resolved) return 0;
  const stamp = await copyStamp(db.kysely, resolved, settings);
  const ward: Ward = { ...resolved, contact: await wardContact(db.kysely, resolved.unit.id) };
  const have = await db.kysely
    .selectFrom("page_copies")
    .select(["page", "stamp"])
    .where("ward_id", "=", ward.unit.id)
    .where("day", "=", job.day)
    .execute();
  let rendered = 0;
  for (const page of COPY_PAGES) {
    if (have.some((h) => h.page === page && h.stamp === stamp)) {
      copyRenders.current++;
      continue;
    }
    const text = Buffer.from(await RENDERERS[page](db.kysely, ward, job.day, settings));
    const body = await compressPage(text);
    const row = {
      ward_id: ward.unit.id,
      page,
      day: job.day,
      stamp,
      etag: body.etag,
      gzip: body.gzip,
      brotli: body.brotli,
      html_bytes: text.byteLength,
      rendered_at: now.toISOString(),
    };
    await db.kysely
      .insertInto("page_copies")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["ward_id", "page", "day"]).doUpdateSet({
          stamp: row.stamp,
          etag: row.etag,
          gzip: row.gzip,
          brotli: row.brotli,
          html_bytes: row.html_bytes,
          rendered_at: row.rendered_at,
        }),
      )
      .execute();
    copyRenders.rendered++;
    rendered++;
  }
  // Yesterday's and older copies are never served again.
  await db.kysely
    .deleteFrom("page_copies")
    .where("ward_id", "=", ward.unit.id)
    .where("day", "<", vnToday(now))
    .execute();
  return rendered;
}

/** The ISO day after `day`. */
export const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** When the evening render of a ward's copies for `day` runs: in the hour before that day begins, spread by ward. */
export function eveningBefore(day: string, code: string): Date {
  const start = Date.parse(`${day}T00:00:00+07:00`);
  const spread = (Number.parseInt(code, 10) % 3000) * 1000;
  return new Date(start - 60 * 60_000 + spread);
}

const jobKey = (code: string, day: string) => `procedures.copy:${code}:${day}`;

/** Render a ward's copies for a day, then queue the next day's for the evening before it. */
export const pageCopyJob = defineJob<CopyJob>(
  "procedures.copy",
  async (job, ctx) => {
    if (job.day < vnToday(ctx.now)) return;
    await renderCopies(ctx.db, job, ctx.now);
    await queueCopies(ctx.db, { ...job, day: nextDay(job.day) }, ctx.now);
    // Its finished rows (one a ward a day) go with every job's, by the nightly purge (core/jobs `jobs.purge`).
  },
  { maxAttempts: 3, leaseMs: 5 * 60_000 },
);

/** Queue the render of a ward's copies for a day: now for today, the evening before for a later day. */
export async function queueCopies(db: Db, job: CopyJob, now: Date): Promise<void> {
  const runAt = job.day > vnToday(now) ? eveningBefore(job.day, job.code) : now;
  await inTransaction(db.kysely, (trx) =>
    enqueueJob(trx, pageCopyJob, job, { key: jobKey(job.code, job.day), runAt }, now),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Serving copies
// ---------------------------------------------------------------------------------------------------------------

/**
 * The stored bytes of a copy in the coding a client takes (brotli, else gzip, which is also unzipped for a client
 * taking neither). On PostgreSQL as base64 text: a bytea column arrives as hex, twice its size, and decoding 150 KB of
 * hex for a 75 KB board cost a sixth of the answer's CPU (base64: a third of the hex's time). SQLite hands bytes.
 */
function copyBody(db: Db, coding: "br" | "gzip" | null) {
  const column = coding === "br" ? "brotli" : "gzip";
  return db.dialect === "postgres"
    ? sql<string>`encode(${sql.ref(column)}, 'base64')`.as("body")
    : sql<Uint8Array>`${sql.ref(column)}`.as("body");
}

/** The generations of the units read, as `unit:gen` pairs joined by commas (null when none has one yet). */
function generationsAggregate(db: Db) {
  const pair = sql`cast(unit_id as text) || ':' || cast(gen as text)`;
  return (
    db.dialect === "postgres"
      ? sql<string | null>`string_agg(${pair}, ',')`
      : sql<string | null>`group_concat(${pair}, ',')`
  ).as("g");
}

function generationsOf(aggregated: string | null | undefined): Map<number, number> {
  const gen = new Map<number, number>();
  for (const pair of aggregated ? aggregated.split(",") : []) {
    const [unit, g] = pair.split(":");
    gen.set(Number(unit), Number(g));
  }
  return gen;
}

/** Answers since start (tests, the bench): from a copy, rendered live. */
export const copyServes = { copy: 0, live: 0 };

/** What this process queued last per ward and day (the stamp it saw), so a stale copy is queued once, not per request. */
const queued = new Map<string, string>();

/**
 * Serve a route's plain URL from its current copy, else let the route render it live and queue a render of the copy.
 * Mounted before `cacheable(...)`: a page served from its copy is never rendered, nor kept in the page cache.
 */
export function fromCopy(page: CopyPage): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "GET" || c.req.url.includes("?") || hasSessionCookie(c.req.header("cookie"))) return next();
    const { db, config, clock, log } = c.get("deps");
    const ward = c.get("ward");
    // A ward named with a date (`/w/{code}@2024-02-19`) has pages of its own address: rendered live.
    if (ward.base !== "" && ward.base !== `/w/${ward.unit.code}`) return next();
    const now = clock();
    const day = vnToday(now);
    const settings: CopySettings = { publicUrl: config.publicUrl, procedureLevels: config.procedureLevels };
    const ifNoneMatch = c.req.header("if-none-match");
    const accept = c.req.header("accept-encoding");
    const coding = acceptsEncoding(accept, "br") ? "br" : acceptsEncoding(accept, "gzip") ? "gzip" : null;
    // The copy and the generations of its ward's units in one statement (a consistent read, one round trip); the
    // stamp alone only when there is no copy yet.
    const row = await db.kysely
      .selectFrom("page_copies")
      .select(["stamp", "etag"])
      .select((eb) =>
        eb
          .selectFrom("copy_inputs")
          .select(generationsAggregate(db))
          .where("unit_id", "in", copyUnits(ward))
          .as("generations"),
      )
      .$if(!ifNoneMatch, (qb) => qb.select(copyBody(db, coding)))
      .where("ward_id", "=", ward.unit.id)
      .where("page", "=", page)
      .where("day", "=", day)
      .executeTakeFirst();
    const stamp = row
      ? stampOf(ward, settings, generationsOf(row.generations))
      : await copyStamp(db.kysely, ward, settings);
    if (row && row.stamp === stamp) {
      copyServes.copy++;
      const headers: Record<string, string> = { ...CACHED_PAGE_HEADERS, ETag: row.etag, "X-Cache": "copy" };
      if (matchesEtag(ifNoneMatch, row.etag)) return c.body(null, 304, headers);
      let body = (row as { body?: Uint8Array | string }).body;
      if (body == null) {
        const again = await db.kysely
          .selectFrom("page_copies")
          .select(copyBody(db, coding))
          .where("ward_id", "=", ward.unit.id)
          .where("page", "=", page)
          .where("day", "=", day)
          .where("stamp", "=", stamp)
          .executeTakeFirst();
        // Replaced since (a newer render): rendered live this once.
        if (!again) return live();
        body = again.body;
      }
      headers["Content-Type"] = "text/html; charset=UTF-8";
      if (coding) headers["Content-Encoding"] = coding;
      const stored = typeof body === "string" ? Buffer.from(body, "base64") : body;
      const bytes = coding ? stored : await gunzipAsync(stored);
      return c.body(new Uint8Array(bytes), 200, headers);
    }
    return live();

    async function live() {
      copyServes.live++;
      await next();
      if (c.res.status !== 200 || queued.get(`${ward.unit.id}|${day}`) === stamp) return;
      if (queued.size > 10_000) queued.clear();
      queued.set(`${ward.unit.id}|${day}`, stamp);
      const code = ward.base === "" ? config.defaultWard : ward.unit.code;
      // After the answer is made, before it is sent (a commit: little beside a render), so the render is queued by
      // the time the visitor has the page. A failure to queue costs a later render, never this page.
      try {
        const job = { code, day, ...settings, procedureLevels: [...settings.procedureLevels] };
        await queueCopies(db, { ...job, defaultWard: config.defaultWard }, now);
      } catch (err) {
        queued.delete(`${ward.unit.id}|${day}`);
        log.warn({ event: "page_copy.queue_failed", ward: ward.unit.code, message: (err as Error).message });
      }
    }
  };
}
