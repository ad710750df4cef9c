/**
 * The table of a province's wards at `/tinh/{code}/` (public unless ROLLUP_PUBLIC=false; the whole country's at
 * `/tinh/toan-quoc/`, for deployment operators only), sortable by every column
 * through links (`sap-xep`), over a period (`tu`, `den`), and the same table as XLSX at `/tinh/{code}/tong-hop.xlsx`.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { renderXlsx } from "../../core/documents/xlsx-writer.ts";
import { rawQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { cacheable } from "../../core/web/page-cache.ts";
import { rollupForRequest } from "./rollup.api.ts";
import { sortRows } from "./rollup.domain.ts";
import { pageShape, parseSort } from "./rollup.schemas.ts";
import { COUNTRY } from "./rollup.service.ts";
import { RollupPage, rollupSheet } from "./rollup.views.tsx";

// A province's two-digit code, or "toan-quoc": the whole country, for deployment operators.
const CODES = [":code{[0-9]{2}}", ":code{toan-quoc}"];
const PARAMS = ["tu", "den", "sap-xep"] as const;

/** The table's rows in the order asked, with the query that produced them. */
async function table(c: Context<AppEnv>) {
  const parsed = z.object(pageShape).safeParse(rawQuery(c));
  if (!parsed.success)
    throw new AppError(
      400,
      "bad_query",
      parsed.error.issues.map((i) => i.message).join(" ") || "Tham số không hợp lệ.",
    );
  const code = c.req.param("code") as string;
  const rollup = await rollupForRequest(c, code === "toan-quoc" ? COUNTRY : code, parsed.data.tu, parsed.data.den);
  const sort = parseSort(parsed.data["sap-xep"]);
  const items = sort ? sortRows(rollup.items, sort.key, sort.descending) : rollup.items;
  return { rollup, items, q: { from: rollup.period.from, to: rollup.period.to, sort }, base: `/tinh/${code}/` };
}

export function rollupPublicRoutes() {
  const app = new Hono<AppEnv>();
  for (const CODE of CODES) {
    app.get(`/tinh/${CODE}`, (c) => c.redirect(`/tinh/${c.req.param("code")}/`, 301));
    app.get(`/tinh/${CODE}/`, cacheable(...PARAMS), async (c) => {
      const t = await table(c);
      return c.html(<RollupPage {...t} session={c.get("session")} />);
    });
    app.get(`/tinh/${CODE}/tong-hop.xlsx`, async (c) => {
      const t = await table(c);
      const body = await renderXlsx([rollupSheet(t.rollup, t.items)]);
      c.header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      c.header(
        "Content-Disposition",
        `attachment; filename="tong-hop-${t.rollup.unit.code}-${t.rollup.period.from}-${t.rollup.period.to}.xlsx"`,
      );
      c.header("Cache-Control", "no-store");
      return c.body(new Uint8Array(body));
    });
  }
  return app;
}
