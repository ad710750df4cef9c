/**
 * `GET /api/v1/rollup?unit=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD`: a province's wards' figures over a period, figures
 * only. Open to anonymous callers unless ROLLUP_PUBLIC=false (then a user of that province or an operator).
 */
import { type Context, Hono } from "hono";
import { vnToday } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { mayReadRollup } from "./rollup.domain.ts";
import { apiShape, rollupPeriod } from "./rollup.schemas.ts";
import { computeRollup, rollupJson, rollupUnit } from "./rollup.service.ts";

/**
 * The roll-up a request may read: the unit must exist (else a 400 naming it), the period must be sound, and the
 * caller allowed (401 anonymous, 403 signed in elsewhere) when the roll-up is not public.
 */
export async function rollupForRequest(
  c: Context<AppEnv>,
  unitCode: string,
  from: string | undefined,
  to: string | undefined,
) {
  const { db, config, clock } = c.get("deps");
  const now = clock();
  const today = vnToday(now);
  const unit = await rollupUnit(db.kysely, unitCode, today);
  if (!unit) throw new AppError(400, "unit_not_found", `Không có tỉnh, thành phố mã ${unitCode}.`);
  // Validated before access, so a bad period is a 400 for everyone.
  const period = rollupPeriod(from, to, today);
  const user = c.get("session")?.user ?? null;
  if (!mayReadRollup(config.rollupPublic ?? true, user, unit.id)) {
    if (!user)
      throw new AppError(401, "login_required", "Cần đăng nhập bằng tài khoản cấp tỉnh để xem số liệu tổng hợp.");
    throw new AppError(403, "forbidden", "Tài khoản này không xem được số liệu tổng hợp của tỉnh, thành phố này.");
  }
  return (await computeRollup(db.kysely, { unitCode, ...period }, now)) as NonNullable<
    Awaited<ReturnType<typeof computeRollup>>
  >;
}

export function rollupApi() {
  const app = new Hono<AppEnv>();
  app.get("/rollup", async (c) => {
    const query = apiQuery(c, apiShape);
    const rollup = await rollupForRequest(c, query.unit, query.from, query.to);
    c.header("Cache-Control", "no-store");
    return c.json(rollupJson(rollup));
  });
  return app;
}
