/**
 * The radio in public: `/phat-thanh` (the approved and aired bulletins, each with its audio in an `<audio>` player
 * and a download link, which work without JavaScript), a page per bulletin with its script, the audio file served
 * with HTTP range requests (206, Accept-Ranges, Content-Range; 416 for a range outside the file) so players seek
 * and loudspeaker systems resume, the playlist (M3U) of the approved bulletins still to air for the ward's radio
 * equipment, and `GET /api/v1/bulletins`. No personal data: scripts are checked when written and approved.
 */
import { Hono } from "hono";
import { fileStoreOf } from "../../core/file-store.ts";
import { formatDate } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { isPublic } from "./radio.rules.ts";
import { audioPath, bulletinPath, slotOf } from "./radio.service.ts";
import * as q from "./radio.sql.ts";
import { durationText } from "./radio.views.tsx";
import { bulletinScript } from "./reading.ts";

const PUBLIC = ["approved", "aired"] as const;
const hasAudio = (b: q.BulletinRow) => b.audio_state === "ready" && b.audio_sha256 != null;

function Player({ b, base }: { b: q.BulletinRow; base: string }) {
  if (!hasAudio(b)) return <p class="muted small">Chưa có tệp âm thanh.</p>;
  const href = `${base}${audioPath(b)}`;
  return (
    <p>
      <audio controls preload="none" src={href}>
        <track
          kind="captions"
          src={`${base}${bulletinPath(b.id)}/phu-de.vtt`}
          srclang="vi"
          label="Tiếng Việt"
          default
        />
        <a href={href}>Nghe bản tin</a>
      </audio>
      <br />
      <a href={href} download>
        Tải tệp âm thanh ({durationText(b.audio_duration_ms)})
      </a>
    </p>
  );
}

/** A single byte range of `size` bytes from a Range header; null: no (usable) header; "bad": not satisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | "bad" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return header.trim().startsWith("bytes=") && header.includes(",") ? null : "bad";
  const [, a = "", b = ""] = m;
  if (a === "" && b === "") return "bad";
  let start: number;
  let end: number;
  if (a === "") {
    const suffix = Number(b);
    if (suffix === 0) return "bad";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return "bad";
  return { start, end };
}

const stamp = (ms: number) => {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const s = Math.floor(t / 1000) % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(t % 1000).padStart(3, "0")}`;
};

/** A WebVTT file of the script's paragraphs, each shown for a share of `durationMs` matching its length. */
export function webVtt(script: string, durationMs: number): string {
  const paragraphs = script
    .split(/\n{2,}/)
    .map((p) => p.replace(/\s+/g, " ").replace(/-->/g, "→").trim())
    .filter(Boolean);
  const total = paragraphs.reduce((n, p) => n + p.length, 0) || 1;
  const out = ["WEBVTT", ""];
  let at = 0;
  for (const p of paragraphs) {
    const next = at + (durationMs * p.length) / total;
    out.push(`${stamp(at)} --> ${stamp(next)}`, p, "");
    at = next;
  }
  return out.join("\n");
}

export function radioPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/phat-thanh", cacheable(), async (c) => {
    const ward = c.get("ward");
    const rows = await q.bulletinsOf(c.get("deps").db.kysely, ward.scopeIds, { statuses: PUBLIC, limit: 100 });
    return c.html(
      <Layout title="Phát thanh" ward={ward}>
        <h1>Bản tin phát thanh về cải cách hành chính</h1>
        <p>Nghe lại các bản tin của đài truyền thanh phường, hoặc tải về điện thoại để nghe sau.</p>
        {rows.length ? (
          <ul class="items">
            {rows.map((b) => (
              <li>
                <h2>
                  <a href={`${ward.base}${bulletinPath(b.id)}`}>{b.title}</a>
                </h2>
                <span class="muted small">
                  {slotOf(b.slot)} ngày {formatDate(b.broadcast_on)} · {b.org_unit_name}
                  {b.status === "aired" ? " · Đã phát" : " · Sắp phát"}
                </span>
                <Player b={b} base={ward.base} />
              </li>
            ))}
          </ul>
        ) : (
          <p>Chưa có bản tin nào.</p>
        )}
      </Layout>,
    );
  });

  app.get("/phat-thanh/danh-sach.m3u", async (c) => {
    const ward = c.get("ward");
    const { db, config } = c.get("deps");
    const origin = config.publicUrl?.replace(/\/+$/, "") ?? new URL(c.req.url).origin;
    const rows = (await q.bulletinsOf(db.kysely, ward.scopeIds, { statuses: ["approved"], limit: 200 }))
      .filter(hasAudio)
      .sort((a, b) => a.broadcast_on.localeCompare(b.broadcast_on) || a.id - b.id);
    const lines = ["#EXTM3U", `#PLAYLIST:Phát thanh cải cách hành chính · ${ward.unit.name}`];
    for (const b of rows) {
      const seconds = b.audio_duration_ms == null ? -1 : Math.round(b.audio_duration_ms / 1000);
      lines.push(`#EXTINF:${seconds},${b.title.replace(/[\r\n,]/g, " ")} (${formatDate(b.broadcast_on)})`);
      lines.push(`${origin}${ward.base}${audioPath(b)}`);
    }
    c.header("Content-Type", "audio/x-mpegurl; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="phat-thanh.m3u"');
    c.header("Cache-Control", "no-cache");
    return c.body(`${lines.join("\r\n")}\r\n`);
  });

  app.get("/phat-thanh/:id{[0-9]+}", cacheable(), async (c) => {
    const ward = c.get("ward");
    const db = c.get("deps").db.kysely;
    const b = await q.bulletinOf(db, ward.scopeIds, Number(c.req.param("id")));
    if (!b || !isPublic(b)) throw notFound("Không tìm thấy bản tin.");
    const items = await q.itemsOf(db, [b.id]);
    return c.html(
      <Layout title={b.title} ward={ward}>
        <h1>{b.title}</h1>
        <p class="muted">
          {slotOf(b.slot)} ngày {formatDate(b.broadcast_on)} · {b.org_unit_name}
        </p>
        <Player b={b} base={ward.base} />
        {items.map((i) => (
          <section>
            <h2>{i.title}</h2>
            <p class="prewrap">{i.script}</p>
          </section>
        ))}
        <p>
          <a href={`${ward.base}/phat-thanh`}>Tất cả bản tin</a>
        </p>
      </Layout>,
    );
  });

  // Captions of the audio: the script's paragraphs, timed in proportion to their length over the audio's duration.
  app.get("/phat-thanh/:id{[0-9]+}/phu-de.vtt", async (c) => {
    const ward = c.get("ward");
    const db = c.get("deps").db.kysely;
    const b = await q.bulletinOf(db, ward.scopeIds, Number(c.req.param("id")));
    if (!b || !isPublic(b) || !hasAudio(b)) throw notFound("Không tìm thấy phụ đề.");
    const script = bulletinScript({ title: b.title, items: await q.itemsOf(db, [b.id]) });
    c.header("Content-Type", "text/vtt; charset=utf-8");
    return c.body(webVtt(script, b.audio_duration_ms ?? 0));
  });

  app.on(["GET", "HEAD"], "/phat-thanh/:id{[0-9]+}/:file{am-thanh\\.[a-z0-9]+}", async (c) => {
    const ward = c.get("ward");
    const { db, config } = c.get("deps");
    const b = await q.bulletinOf(db.kysely, ward.scopeIds, Number(c.req.param("id")));
    if (
      !b ||
      !isPublic(b) ||
      !hasAudio(b) ||
      c.req.path.slice(c.req.path.lastIndexOf("/")) !== audioPath(b).slice(audioPath(b).lastIndexOf("/"))
    )
      throw notFound("Không tìm thấy tệp âm thanh.");
    const files = fileStoreOf({ db, config });
    const sha256 = b.audio_sha256 as string;
    const size = await files.size(sha256);
    if (size === null) throw notFound("Không tìm thấy tệp âm thanh.");
    c.header("Accept-Ranges", "bytes");
    c.header("Content-Type", b.audio_mime ?? "audio/mpeg");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "public, max-age=300");
    c.header("ETag", `"${b.audio_sha256}"`);
    const range = parseRange(c.req.header("Range"), size);
    if (range === "bad") {
      c.header("Content-Range", `bytes */${size}`);
      return c.body(null, 416);
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = end - start + 1;
    c.header("Content-Length", String(length));
    if (range) c.header("Content-Range", `bytes ${start}-${end}/${size}`);
    if (c.req.method === "HEAD") return c.body(null, range ? 206 : 200);
    const bytes = await files.read(sha256, start, end);
    if (bytes?.length !== length) throw notFound("Không tìm thấy tệp âm thanh.");
    return c.body(bytes as Uint8Array<ArrayBuffer>, range ? 206 : 200);
  });

  return app;
}

export function bulletinJson(b: q.BulletinRow, items: { title: string; script: string }[], base: string) {
  return {
    id: b.id,
    title: b.title,
    broadcastOn: b.broadcast_on,
    slot: b.slot,
    status: b.status,
    unit: b.org_unit_name,
    items: items.map((i) => ({ title: i.title, script: i.script })),
    audio: hasAudio(b)
      ? {
          url: `${base}${audioPath(b)}`,
          mime: b.audio_mime,
          durationSeconds: b.audio_duration_ms == null ? null : Math.round(b.audio_duration_ms / 1000),
          origin: b.audio_origin === "upload" ? "recording" : "speech",
        }
      : null,
    approvedAt: b.approved_at,
    url: `${base}${bulletinPath(b.id)}`,
  };
}

export function radioApi() {
  const app = new Hono<AppEnv>();
  app.get("/bulletins", async (c) => {
    apiQuery(c, {});
    const ward = c.get("ward");
    const db = c.get("deps").db.kysely;
    const rows = await q.bulletinsOf(db, ward.scopeIds, { statuses: PUBLIC, limit: 500 });
    const items = await q.itemsOf(
      db,
      rows.map((b) => b.id),
    );
    return c.json({
      total: rows.length,
      items: rows.map((b) =>
        bulletinJson(
          b,
          items.filter((i) => i.bulletin_id === b.id),
          ward.base,
        ),
      ),
    });
  });
  return app;
}
