/**
 * Public pages of the procedure catalogue: the catalogue, a procedure, a comparison of two versions, the printable
 * notice board. Server-rendered, no JavaScript, cached as rendered HTML.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { badRequest, notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { fromCopy, publicAddressOf, renderBoard, renderCatalogue } from "./page-copies.tsx";
import { compareRecords } from "./procedure-diff.ts";
import { procedureForWard, rememberedProcedureDetail } from "./procedures.catalogue.ts";
import { ComparePage } from "./views/compare.tsx";
import { DetailPage } from "./views/detail.tsx";
import { procedurePath, qrSvg } from "./views/shared.tsx";

/** A procedure code in a path: "1.000253". */
export const CODE_PARAM = ":code{[0-9]+\\.[0-9]{6}}";

/** The absolute address of a path on this site, built from PUBLIC_URL only (see `publicAddressOf`). */
export function publicAddress(c: Context<AppEnv>, path: string): string | null {
  return publicAddressOf(c.get("deps").config.publicUrl, path);
}

/** The notice board's query: which print, which field, what changed since a date. */
const boardQuery = z.object({
  ban: z.enum(["tom-tat", "day-du"], { error: "Chọn bản in tóm tắt hoặc đầy đủ." }).default("tom-tat"),
  "linh-vuc": z.string().max(300, "Lĩnh vực không hợp lệ.").optional(),
  "tu-ngay": z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày «thay đổi từ» cần dạng năm-tháng-ngày.")
    .refine((d) => !Number.isNaN(Date.parse(d)), "Ngày «thay đổi từ» không có thật.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

const versionsQuery = z.object({
  tu: z.coerce.number().int().min(1).optional(),
  den: z.coerce.number().int().min(1).optional(),
});

export function proceduresPublicRoutes() {
  const app = new Hono<AppEnv>();
  // The plain URLs of both are served from their pre-rendered copies when current (page-copies.tsx).
  app.get("/thu-tuc", fromCopy("catalogue"), cacheable(), async (c) => {
    const { db, clock, config } = c.get("deps");
    return c.html(await renderCatalogue(db.kysely, c.get("ward"), vnToday(clock()), config));
  });

  app.get("/thu-tuc/bang-niem-yet", fromCopy("board"), cacheable("ban", "linh-vuc", "tu-ngay"), async (c) => {
    const { db, clock, config } = c.get("deps");
    const query = boardQuery.safeParse(c.req.query());
    if (!query.success) throw badRequest(query.error.issues[0]?.message ?? "Yêu cầu không hợp lệ.");
    const filter = { field: query.data["linh-vuc"] || null, since: query.data["tu-ngay"] ?? null };
    const kind = query.data.ban === "day-du" ? "full" : "summary";
    return c.html(await renderBoard(db.kysely, c.get("ward"), vnToday(clock()), config, { kind, ...filter }));
  });

  app.get(`/thu-tuc/${CODE_PARAM}`, cacheable(), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const today = vnToday(clock());
    const code = c.req.param("code");
    const known = await rememberedProcedureDetail(db, code, today);
    const p = await procedureForWard(db.kysely, code, ward, today, known);
    if (!p) throw notFound("Không tìm thấy thủ tục hành chính này.");
    const pageUrl = publicAddress(c, procedurePath(ward.base, code));
    const qr = pageUrl ? await qrSvg(pageUrl, `Mã QR đến trang thủ tục ${code}`) : null;
    const name = (p.current ?? p.versions.at(-1))?.name ?? code;
    return c.html(
      <Layout title={name} ward={ward}>
        <DetailPage p={p} ward={ward} today={today} qr={qr} pageUrl={pageUrl} />
      </Layout>,
    );
  });

  app.get(`/thu-tuc/${CODE_PARAM}/so-sanh`, cacheable("tu", "den"), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const query = versionsQuery.safeParse(c.req.query());
    if (!query.success) throw badRequest("Số phiên bản không hợp lệ.");
    const p = await procedureForWard(db.kysely, c.req.param("code"), ward, vnToday(clock()));
    if (!p) throw notFound("Không tìm thấy thủ tục hành chính này.");
    const denNo = query.data.den ?? p.current?.version_no ?? p.versions.at(-1)?.version_no ?? 0;
    const to = p.versions.find((v) => v.version_no === denNo);
    const from =
      p.versions.find((v) => v.version_no === (query.data.tu ?? denNo - 1)) ?? (query.data.tu ? undefined : to);
    if (!to || !from) throw notFound("Thủ tục không có phiên bản này.");
    return c.html(
      <Layout title={`So sánh phiên bản: ${to.name}`} ward={ward}>
        <ComparePage p={p} ward={ward} from={from} to={to} changes={compareRecords(from.record, to.record)} />
      </Layout>,
    );
  });

  return app;
}
