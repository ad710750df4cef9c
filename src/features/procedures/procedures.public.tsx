/**
 * Public pages of the procedure catalogue: the catalogue, a procedure, a comparison of two versions, the printable
 * notice board. Server-rendered, no JavaScript, cached as rendered HTML.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { compareVi, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { badRequest, notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { timeSlicer } from "../../core/web/slices.tsx";
import { compareRecords } from "./procedure-diff.ts";
import { boardSheets, procedureForWard, selectSheets, wardCatalogues } from "./procedures.catalogue.ts";
import { BoardPage } from "./views/board.tsx";
import { CataloguePage } from "./views/catalogue.tsx";
import { ComparePage } from "./views/compare.tsx";
import { DetailPage } from "./views/detail.tsx";
import { procedurePath, qrSvg } from "./views/shared.tsx";

/** A procedure code in a path: "1.000253". */
export const CODE_PARAM = ":code{[0-9]+\\.[0-9]{6}}";

/**
 * The absolute address of a path on this site, built from PUBLIC_URL only; null while it is unset. Paper outlives
 * the request: a QR code built from the request's own origin (127.0.0.1 behind a proxy) would lead nowhere.
 */
export function publicAddress(c: Context<AppEnv>, path: string): string | null {
  const origin = c.get("deps").config.publicUrl?.replace(/\/+$/, "");
  return origin ? `${origin}${path}` : null;
}

/** Logged at start and shown on the print pages while PUBLIC_URL is unset. */
export const NO_PUBLIC_URL_WARNING =
  "Chưa đặt PUBLIC_URL (địa chỉ công khai của cổng): bản in bảng niêm yết và trang thủ tục không có mã QR, đường dẫn in ra không có tên miền.";

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
  app.get("/thu-tuc", cacheable(), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const today = vnToday(clock());
    // Today's catalogue, and as it will stand once every announced version is in force: what differs is upcoming.
    const [entries = [], future = []] = await wardCatalogues(
      db.kysely,
      ward,
      [today, "9999-12-31"],
      c.get("deps").config.procedureLevels,
    );
    const upcoming = future.filter((e) => e.effectiveFrom > today);
    return c.html(
      <Layout title="Thủ tục hành chính" ward={ward} searchBox={false}>
        <CataloguePage ward={ward} entries={entries} upcoming={upcoming} />
      </Layout>,
    );
  });

  app.get("/thu-tuc/bang-niem-yet", cacheable("ban", "linh-vuc", "tu-ngay"), async (c) => {
    const { db, clock, config } = c.get("deps");
    const ward = c.get("ward");
    const today = vnToday(clock());
    const query = boardQuery.safeParse(c.req.query());
    if (!query.success) throw badRequest(query.error.issues[0]?.message ?? "Yêu cầu không hợp lệ.");
    const filter = { field: query.data["linh-vuc"] || null, since: query.data["tu-ngay"] ?? null };
    const all = await boardSheets(db.kysely, ward, today, config.procedureLevels);
    const sheets = [];
    const pause = timeSlicer();
    for (const s of selectSheets(all, filter)) {
      await pause();
      const path = procedurePath(ward.base, s.entry.code);
      const url = publicAddress(c, path);
      const qr = url ? await qrSvg(url, `Mã QR đến trang thủ tục ${s.entry.code}`) : null;
      sheets.push({ ...s, url: url ?? path, qr });
    }
    return c.html(
      <Layout title="Bảng niêm yết thủ tục hành chính" ward={ward}>
        <BoardPage
          ward={ward}
          sheets={sheets}
          today={today}
          kind={query.data.ban === "day-du" ? "full" : "summary"}
          filter={filter}
          fields={[...new Set(all.map((s) => s.record.field))].sort((a, b) => compareVi(a, b))}
          warning={config.publicUrl ? null : NO_PUBLIC_URL_WARNING}
        />
      </Layout>,
    );
  });

  app.get(`/thu-tuc/${CODE_PARAM}`, cacheable(), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const today = vnToday(clock());
    const code = c.req.param("code");
    const p = await procedureForWard(db.kysely, code, ward, today);
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
