/** Open data API of the procedure catalogue: the ward's list (filtered, searched, paged) and one procedure in full. */

import { Hono } from "hono";
import { z } from "zod";
import { fold, vnToday } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { procedureForWard, type WardProcedure, wardCatalogue } from "./procedures.catalogue.ts";
import { rankProcedures } from "./procedures.search.ts";
import { type ChangeType, STATUS_OF } from "./procedures.service.ts";

/** A procedure code in a path: "1.000253". */
const CODE_PARAM = ":code{[0-9]+\\.[0-9]{6}}";

const STATUSES = ["in_force", "amended", "replaced", "abolished", "all"] as const;

export const procedureListQuery = {
  q: z.string().trim().max(200, "q: tối đa 200 ký tự.").optional(),
  field: z.string().trim().max(200, "field: tối đa 200 ký tự.").optional(),
  level: z.string().trim().max(50, "level: tối đa 50 ký tự.").optional(),
  status: z.enum(STATUSES, { error: `status: một trong ${STATUSES.join(", ")}.` }).optional(),
  page: z.coerce.number({ error: "page: số trang từ 1." }).int("page: số nguyên.").min(1, "page: từ 1.").default(1),
  pageSize: z.coerce
    .number({ error: "pageSize: từ 1 đến 100." })
    .int("pageSize: số nguyên.")
    .min(1, "pageSize: từ 1 đến 100.")
    .max(100, "pageSize: từ 1 đến 100.")
    .default(20),
};

const same = (a: string, b: string) => fold(a).trim() === fold(b).trim();

/** One procedure as JSON: its record in force (or the one announced), status, local values and every version. */
export function procedureJson(p: WardProcedure, base: string) {
  const shown = p.current ?? p.versions.find((v) => v.version_no === p.upcoming[0]?.version_no) ?? p.versions.at(-1);
  if (!shown) return null;
  const record = p.versions.find((v) => v.version_no === shown.version_no)?.record;
  return {
    ...record,
    code: p.procedure.code,
    status: STATUS_OF[shown.change_type as ChangeType],
    inForce: p.current != null && p.current.change_type !== "abolished",
    effectiveFrom: shown.effective_from,
    url: `${base}/thu-tuc/${p.procedure.code}`,
    scope: p.procedure.scope,
    successors: p.successors.map((s) => ({ code: s.code, name: s.name, effectiveFrom: s.effective_from })),
    localOverride: p.override,
    versions: p.versions.map((v) => ({
      versionNo: v.version_no,
      changeType: v.change_type,
      effectiveFrom: v.effective_from,
      replacesCode: v.replaces_code,
      decision: v.decision_number
        ? { number: v.decision_number, decidedOn: v.decision_date, issuer: v.decision_issuer }
        : null,
    })),
  };
}

export function proceduresApi() {
  const app = new Hono<AppEnv>();

  app.get("/procedures", async (c) => {
    const { q, field, level, status, page, pageSize } = apiQuery(c, procedureListQuery);
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    let entries = (await wardCatalogue(db.kysely, ward, vnToday(clock()), c.get("deps").config.procedureLevels)).filter(
      (e) => (status === "all" ? true : status ? e.status === status : e.status !== "abolished"),
    );
    if (field) entries = entries.filter((e) => same(e.field, field));
    if (level) entries = entries.filter((e) => e.levels.some((l) => same(l, level)));
    if (q) entries = await rankProcedures(db, ward, q, entries);
    const start = (page - 1) * pageSize;
    return c.json({
      total: entries.length,
      page,
      pageSize,
      items: entries.slice(start, start + pageSize).map((e) => ({
        code: e.code,
        name: e.name,
        field: e.field,
        levels: e.levels,
        status: e.status,
        url: `${ward.base}/thu-tuc/${e.code}`,
      })),
    });
  });

  app.get(`/procedures/${CODE_PARAM}`, async (c) => {
    apiQuery(c, {});
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const p = await procedureForWard(db.kysely, c.req.param("code"), ward, vnToday(clock()));
    const json = p ? procedureJson(p, ward.base) : null;
    if (!json) throw notFound("Không tìm thấy thủ tục hành chính này.");
    return c.json(json);
  });

  return app;
}
