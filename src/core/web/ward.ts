/** Pick the ward a request is about, the same way everywhere: default ward, `/w/{code}/…` for pages, `?ward=` for the API. */
import type { MiddlewareHandler } from "hono";
import { resolveWard } from "../../features/units/units.service.ts";
import { vnToday } from "../text/vi.ts";
import type { AppEnv, Ward } from "./context.ts";
import { AppError, notFound } from "./errors.ts";

// Units change a few times a decade; a short memo saves several queries on every public page.
const memo = new Map<string, { ward: Ward | null; until: number }>();
const MEMO_MS = 30_000;

/** Forget memoised wards (after loading units or finishing setup). */
export function forgetWards(): void {
  memo.clear();
}

export const wardFromRequest: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, config, clock } = c.get("deps");
  const now = clock();
  const pathRef = /^\/w\/([^/]+)/.exec(c.req.path)?.[1];
  const apiRef = c.req.path.startsWith("/api/") ? c.req.query("ward") : undefined;
  const ref = decodeURIComponent(pathRef ?? apiRef ?? config.defaultWard);
  const key = `${ref}|${vnToday(now)}`;
  let hit = memo.get(key);
  if (!hit || hit.until < now.getTime()) {
    const ward = await resolveWard(db.kysely, ref, vnToday(now), config.defaultWard);
    hit = { ward, until: now.getTime() + MEMO_MS };
    memo.set(key, hit);
  }
  if (!hit.ward && (pathRef || apiRef)) {
    if (apiRef) throw new AppError(404, "ward_not_found", `Không có đơn vị hành chính cấp xã mã ${ref}.`);
    throw notFound(`Không có đơn vị hành chính cấp xã mã ${ref}.`);
  }
  c.set("ward", hit.ward as Ward);
  await next();
};
