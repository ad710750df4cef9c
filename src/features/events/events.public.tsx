/**
 * Events in public: `/su-kien` (announced events: coming first, then those held, a cancelled one marked so), a page
 * per event, `/su-kien/lich.ics` (an iCalendar feed of the announced events, cancelled ones with STATUS:CANCELLED so
 * calendars that subscribed drop them), and `GET /api/v1/events`. No personal data: units, places, counts.
 */

import { Hono } from "hono";
import { fileStoreOf } from "../../core/file-store.ts";
import { formatDate } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { PhotoFigure, servePhoto } from "../../core/web/photos.tsx";
import { todayOf } from "../../core/web/staff.ts";
import { EVENT_KINDS, EVENT_STATUSES, isPublic } from "./events.rules.ts";
import { eventsApiShape } from "./events.schemas.ts";
import * as q from "./events.sql.ts";
import { EventFacts } from "./events.views.tsx";
import { icsCalendar } from "./ics.ts";

const kindOf = (k: string) => EVENT_KINDS[k as keyof typeof EVENT_KINDS] ?? k;
const announced = (e: q.EventRow) => isPublic({ status: e.status, announced: e.announced_at != null });
/** The public path of an event's photo (under the ward's base). */
export const eventPhotoPath = (photoId: number) => `/su-kien/anh/${photoId}`;
const when = (e: q.EventRow) => `${e.starts_at}–${e.ends_at}, ${formatDate(e.starts_on)}`;

function EventItem({ e, base }: { e: q.EventRow; base: string }) {
  return (
    <li>
      <a href={`${base}/su-kien/${e.id}`}>{e.title}</a>
      {e.status === "withdrawn" ? <strong> (đã hủy)</strong> : null}
      <br />
      <span class="muted small">
        {kindOf(e.kind)} · {when(e)} · {e.place}
      </span>
    </li>
  );
}

export function eventsPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/su-kien", cacheable(), async (c) => {
    const ward = c.get("ward");
    const events = (await q.eventsOf(c.get("deps").db.kysely, ward.scopeIds, { announcedOnly: true })).filter(
      announced,
    );
    const day = todayOf(c);
    const coming = events.filter((e) => e.starts_on >= day).reverse();
    const past = events.filter((e) => e.starts_on < day);
    return c.html(
      <Layout title="Hội nghị, sinh hoạt" ward={ward}>
        <h1>Hội nghị, sinh hoạt cộng đồng về cải cách hành chính</h1>
        <p>
          <a href={`${ward.base}/su-kien/lich.ics`}>Thêm lịch sự kiện vào điện thoại (iCalendar)</a>
        </p>
        <h2>Sắp diễn ra</h2>
        {coming.length ? (
          <ul class="items">
            {coming.map((e) => (
              <EventItem e={e} base={ward.base} />
            ))}
          </ul>
        ) : (
          <p>Chưa có sự kiện sắp diễn ra.</p>
        )}
        <h2>Đã diễn ra</h2>
        {past.length ? (
          <ul class="items">
            {past.map((e) => (
              <EventItem e={e} base={ward.base} />
            ))}
          </ul>
        ) : (
          <p>Chưa có sự kiện nào.</p>
        )}
      </Layout>,
    );
  });

  app.get("/su-kien/lich.ics", async (c) => {
    const ward = c.get("ward");
    const { db, clock, config } = c.get("deps");
    const origin = config.publicUrl?.replace(/\/+$/, "") ?? null;
    const events = (await q.eventsOf(db.kysely, ward.scopeIds, { announcedOnly: true, limit: 300 })).filter(announced);
    const body = icsCalendar({
      name: `Sự kiện cải cách hành chính · ${ward.unit.name}`,
      prodId: "-//CCHC//Su kien cai cach hanh chinh//VI",
      now: clock().toISOString(),
      events: events.map((e) => ({
        uid: `su-kien-${e.id}@${ward.unit.code}.cchc`,
        date: e.starts_on,
        start: e.starts_at,
        end: e.ends_at,
        summary: e.title,
        location: e.place,
        description: `${kindOf(e.kind)}. Đơn vị tổ chức: ${e.org_unit_name}.${e.description ? `\n${e.description}` : ""}`,
        url: origin ? `${origin}${ward.base}/su-kien/${e.id}` : null,
        status: e.status === "withdrawn" ? "CANCELLED" : "CONFIRMED",
        updatedAt: e.updated_at,
        sequence: e.round,
      })),
    });
    c.header("Content-Type", "text/calendar; charset=utf-8");
    c.header("Content-Disposition", 'inline; filename="su-kien.ics"');
    c.header("Cache-Control", "public, max-age=300");
    return c.body(body);
  });

  // A held event's photos only: once withdrawn (or in another ward) they are not found.
  app.get("/su-kien/anh/:id{[0-9]+}", async (c) => {
    const { db, config } = c.get("deps");
    const p = await q.photoFile(db.kysely, Number(c.req.param("id")));
    if (p?.status !== "held" || !c.get("ward").scopeIds.includes(p.ward_id)) throw notFound("Không tìm thấy ảnh.");
    return servePhoto(c, fileStoreOf({ db, config }), p, "public, max-age=300");
  });

  app.get("/su-kien/:id{[0-9]+}", cacheable(), async (c) => {
    const ward = c.get("ward");
    const e = await q.eventOf(c.get("deps").db.kysely, ward.scopeIds, Number(c.req.param("id")));
    if (!e || !announced(e)) throw notFound("Không tìm thấy sự kiện.");
    const photos = e.status === "held" ? await q.photosOf(c.get("deps").db.kysely, e.id) : [];
    return c.html(
      <Layout title={e.title} ward={ward}>
        <h1>{e.title}</h1>
        {e.status === "withdrawn" ? (
          <p class="notice" role="status">
            Sự kiện này đã hủy{e.withdrawn_reason ? `: ${e.withdrawn_reason}` : "."}
          </p>
        ) : null}
        <EventFacts e={e}>
          {e.status === "held" && e.attended != null ? (
            <>
              <dt>Số người tham dự</dt>
              <dd>{e.attended.toLocaleString("vi-VN")}</dd>
            </>
          ) : null}
          <dt>Tình trạng</dt>
          <dd>{EVENT_STATUSES[e.status as keyof typeof EVENT_STATUSES] ?? e.status}</dd>
        </EventFacts>
        {e.description ? <p class="prewrap">{e.description}</p> : null}
        {photos.length ? (
          <section aria-labelledby="anh">
            <h2 id="anh">Ảnh</h2>
            {photos.map((p) => (
              <PhotoFigure p={p} src={`${ward.base}${eventPhotoPath(p.id)}`} />
            ))}
          </section>
        ) : null}
        <p>
          <a href={`${ward.base}/su-kien`}>Tất cả sự kiện</a>
        </p>
      </Layout>,
    );
  });

  return app;
}

export function eventJson(e: q.EventRow, base: string) {
  const status = e.status === "withdrawn" ? "cancelled" : e.status;
  return {
    id: e.id,
    title: e.title,
    kind: e.kind,
    startsAt: `${e.starts_on}T${e.starts_at}:00+07:00`,
    endsAt: `${e.starts_on}T${e.ends_at}:00+07:00`,
    place: e.place,
    organiser: e.org_unit_name,
    partners: JSON.parse(e.partners_json) as string[],
    status,
    expectedAudience: e.expected_audience,
    attended: e.status === "held" ? e.attended : null,
    url: `${base}/su-kien/${e.id}`,
  };
}

export function eventsApi() {
  const app = new Hono<AppEnv>();
  app.get("/events", async (c) => {
    const query = apiQuery(c, eventsApiShape);
    if (query.from && query.to && query.from > query.to)
      throw new AppError(400, "bad_query", "to: ngày kết thúc phải từ ngày from trở đi.");
    const ward = c.get("ward");
    const rows = (
      await q.eventsOf(c.get("deps").db.kysely, ward.scopeIds, { announcedOnly: true, from: query.from, to: query.to })
    ).filter(announced);
    return c.json({ total: rows.length, items: rows.map((e) => eventJson(e, ward.base)) });
  });
  return app;
}
