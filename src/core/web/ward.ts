/** Pick the ward a request is about, the same way everywhere: default ward, `/w/{code}/…` for pages, `?ward=` for the API. */
import type { MiddlewareHandler } from "hono";
import { currentChanges } from "../db/changes.ts";
import type { Db } from "../db/connection.ts";
import { vnToday } from "../text/vi.ts";
import { resolveWard, wardById, wardHasPortal } from "../wards.ts";
import { PROVINCE_REF_PATTERN, WARD_MESSAGE, WARD_REF_PATTERN } from "./api-query.ts";
import type { AppEnv, Ward } from "./context.ts";
import { AppError } from "./errors.ts";
import { noPortalPage } from "./no-portal.tsx";
import { unitsOfWard } from "./page-cache.ts";

// Units change a few times a decade; a memo saves several queries on every public page. An entry holds until a
// write to the ward's units (its portal being set up, say) or to shared data (the units themselves) reaches this
// process (db/changes.ts: at once here, by LISTEN/NOTIFY from other processes), and at most MEMO_MS as a safety
// net. A short fixed time instead made every ward pay its resolution again every half minute: at a province's or the
// country's size, most requests.
// One memo per database, so two apps in one process (tests, tools) never see each other's wards.
interface WardMemo {
  ward: Ward | null;
  portal: boolean;
  until: number;
  /** The change clock when it was resolved, and the units whose changes end it (null: any change, for no ward). */
  at: number;
  units: number[] | null;
}
const memos = new WeakMap<object, Map<string, WardMemo>>();
const MEMO_MS = 10 * 60_000;
/** Past this many (more than the country's communes), the memo starts afresh. */
const MEMO_MAX_ENTRIES = 10_000;

function memoOf(db: object) {
  let memo = memos.get(db);
  if (!memo) {
    memo = new Map();
    memos.set(db, memo);
  }
  return memo;
}

/** Forget memoised wards of a database (after loading units or finishing setup). */
export function forgetWards(db: object): void {
  memos.delete(db);
}

/** A path segment decoded, or "" (no ward) when its `%` escapes are broken (no ward has such a code). */
function safeDecode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

/** The memo's entry for a key, resolved again when absent, past its time or ended by a change to its units. */
async function remembered(
  db: Db,
  key: string,
  now: Date,
  resolve: () => Promise<{ ward: Ward | null; portal: boolean }>,
): Promise<WardMemo> {
  const memo = memoOf(db);
  // Keys carry the day: yesterday's entries are dropped rather than kept for ever.
  if (memo.size > MEMO_MAX_ENTRIES) memo.clear();
  const changes = await currentChanges(db);
  let hit = memo.get(key);
  if (!hit || hit.until < now.getTime() || !changes.unchangedSince(hit.at, hit.units)) {
    // Stamped before reading: a change landing during the reads ends this entry at the next request.
    const at = changes.stamp();
    const { ward, portal } = await resolve();
    // The units a ward's pages show, as the page cache counts them (null: any change ends the entry).
    hit = { ward, portal, until: now.getTime() + MEMO_MS, at, units: ward ? unitsOfWard(ward) : null };
    memo.set(key, hit);
  }
  return hit;
}

export const wardFromRequest: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, config, clock } = c.get("deps");
  const now = clock();
  const pathRef = safeDecode(/^\/w\/([^/]+)/.exec(c.req.path)?.[1]);
  // The API's `ward` is read as sent (URLSearchParams never throws) and must be a code: "" or "%" is a 400.
  const apiRef = c.req.path.startsWith("/api/")
    ? (new URL(c.req.url).searchParams.get("ward") ?? undefined)
    : undefined;
  // A province's code is left to the routes that take one (apiQuery's `province` option); the others refuse it there.
  const provinceRef = apiRef !== undefined && PROVINCE_REF_PATTERN.test(apiRef);
  if (apiRef !== undefined && !provinceRef && !WARD_REF_PATTERN.test(apiRef))
    throw new AppError(400, "bad_query", WARD_MESSAGE);
  const ref = pathRef ?? (provinceRef ? undefined : apiRef) ?? config.defaultWard;
  const hit = await remembered(db, `${ref}|${vnToday(now)}`, now, async () => {
    const ward = await resolveWard(db.kysely, ref, vnToday(now), config.defaultWard);
    const portal = ward ? await wardHasPortal(db.kysely, ward, ref, config.defaultWard) : false;
    return { ward, portal };
  });
  if (apiRef !== undefined && !provinceRef && !hit.ward)
    throw new AppError(404, "ward_not_found", `Không có đơn vị hành chính cấp xã mã ${ref}.`);
  // A page of a commune with no portal here (or of no commune at all) explains itself instead of failing.
  if (pathRef !== undefined && (!hit.ward || !hit.portal)) return noPortalPage(c, ref, hit.ward?.unit ?? null);
  c.set("ward", hit.ward as Ward);
  await next();
};

/**
 * Staff pages act on the signed-in user's own ward, whatever the deployment's default: one deployment may serve
 * a whole province. Runs after the session is loaded.
 */
export const staffWard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.get("session");
  const wardId = session?.user.ward_id;
  if (wardId != null && wardId !== c.get("ward")?.unit.id) {
    // Remembered like the public pages' wards (a "#" key: never a ward reference), ended by the same changes.
    const { db, clock } = c.get("deps");
    const now = clock();
    const { ward } = await remembered(db, `#${wardId}|${vnToday(now)}`, now, async () => ({
      ward: await wardById(db.kysely, wardId),
      portal: true,
    }));
    if (ward) c.set("ward", ward);
  }
  await next();
};
