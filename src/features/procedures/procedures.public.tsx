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
import { timeSlicer } from "../../core/web/slices.tsx";
import { compareRecords } from "./procedure-diff.ts";
import { boardSheets, procedureForWard, wardCatalogue } from "./procedures.catalogue.ts";
import { BoardPage } from "./views/board.tsx";
import { CataloguePage } from "./views/catalogue.tsx";
import { ComparePage } from "./views/compare.tsx";
import { DetailPage } from "./views/detail.tsx";
import { procedurePath, qrSvg } from "./views/shared.tsx";

/** A procedure code in a path: "1.000253". */
export const CODE_PARAM = ":code{[0-9]+\\.[0-9]{6}}";

/** The absolute address of a path on this site: the configured public address, else the request's own origin. */
export function absoluteUrl(c: Context<AppEnv>, path: string): string {
  const origin = c.get("deps").config.publicUrl?.replace(/\/+$/, "") ?? new URL(c.req.url).origin;
  return `${origin}${path}`;
}

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
    const entries = await wardCatalogue(db.kysely, ward, today, c.get("deps").config.procedureLevels);
    // The catalogue as it will stand once every announced version is in force: what differs is upcoming.
    const future = await wardCatalogue(db.kysely, ward, "9999-12-31", c.get("deps").config.procedureLevels);
    const upcoming = future.filter((e) => e.effectiveFrom > today);
    return c.html(
      <Layout title="Thủ tục hành chính" ward={ward} searchBox={false}>
        <CataloguePage ward={ward} entries={entries} upcoming={upcoming} />
      </Layout>,
    );
  });

  app.get("/thu-tuc/bang-niem-yet", cacheable(), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const today = vnToday(clock());
    const sheets = [];
    const pause = timeSlicer();
    for (const s of await boardSheets(db.kysely, ward, today, c.get("deps").config.procedureLevels)) {
      await pause();
      const url = absoluteUrl(c, procedurePath(ward.base, s.entry.code));
      sheets.push({ ...s, url, qr: await qrSvg(url, `Mã QR đến trang thủ tục ${s.entry.code}`) });
    }
    return c.html(
      <Layout title="Bảng niêm yết thủ tục hành chính" ward={ward}>
        <BoardPage ward={ward} sheets={sheets} today={today} />
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
    const pageUrl = absoluteUrl(c, procedurePath(ward.base, code));
    const qr = await qrSvg(pageUrl, `Mã QR đến trang thủ tục ${code}`);
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
