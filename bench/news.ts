/**
 * The news list and an article page (issue 10, figures): cached-HTML throughput of the real server against a bare
 * Node server returning the same bytes from memory, in the same run, as for the procedure page. Target: at least half.
 * The ward gets 40 published articles (a year of a busy ward's news), written straight to the table: the bench
 * measures serving, not the workflow (test/news.http.test.ts covers that).
 */
import http from "node:http";
import type { Db } from "../src/core/db/connection.ts";
import { load } from "./load.ts";

const BODY = Array.from(
  { length: 12 },
  (_, i) => `Đoạn ${i + 1}: cán bộ phường hướng dẫn người dân nộp hồ sơ trực tuyến trên **Cổng dịch vụ công**.`,
).join("\n\n");

/** Publish `n` articles of the ward's first unit; returns the newest article's id. */
export async function seedNews(db: Db, wardId: number, n = 40): Promise<number> {
  const unit = await db.kysely
    .selectFrom("org_units")
    .select("id")
    .where("ward_id", "=", wardId)
    .executeTakeFirstOrThrow();
  let last = 0;
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 0, 1 + i, 2)).toISOString();
    const r = await db.kysely
      .insertInto("news_articles")
      .values({
        ward_id: wardId,
        org_unit_id: unit.id,
        kind: i % 4 === 0 ? "model" : "news",
        title: `Tin cải cách hành chính số ${i + 1}: đăng ký khai sinh, thường trú trực tuyến`,
        summary: "Người dân phường nộp hồ sơ trên Cổng dịch vụ công quốc gia mà không phải đến trụ sở.",
        body: BODY,
        area_ids_json: "[]",
        version_no: 1,
        status: "published",
        published_at: at,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    last = Number(r.id);
  }
  return last;
}

/**
 * The page as a phone asks for it (gzip accepted, which every browser sends) from the app, then the very bytes it
 * answered (gzipped, with every header it sent) from a bare Node server.
 */
/** Headers Node's HTTP server writes by itself for every answer. */
const NODE_WRITES = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

async function againstBare(url: string, connections: number, durationS: number) {
  const headers = { "accept-encoding": "gzip" };
  // The first request renders and caches; the load measures the cached page.
  const first = await new Promise<{
    status: number;
    bytes: Buffer;
    encoding: string;
    headers: http.IncomingHttpHeaders;
  }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes: Buffer.concat(chunks),
            encoding: String(res.headers["content-encoding"] ?? ""),
            headers: res.headers,
          }),
        );
      })
      .on("error", reject);
  });
  const app = await load({ url, connections, duration: durationS, headers });
  // The same answer, headers included (security headers, validator, request id): only what Node writes itself differs.
  const replayed = Object.fromEntries(
    Object.entries(first.headers).filter(([name]) => !NODE_WRITES.has(name)),
  ) as http.OutgoingHttpHeaders;
  const bare = http.createServer((_req, out) => {
    out.writeHead(200, { ...replayed, "content-length": first.bytes.length });
    out.end(first.bytes);
  });
  await new Promise<void>((ok) => bare.listen(0, "127.0.0.1", ok));
  const address = bare.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const base = await load({ url: `http://127.0.0.1:${port}/`, connections, duration: durationS, headers });
  bare.close();
  const ratio = Math.round((app.requests.average / base.requests.average) * 100) / 100;
  return {
    path: new URL(url).pathname,
    status: first.status,
    bytesSent: first.bytes.length,
    contentEncoding: first.encoding || "identity",
    requestsPerSecond: Math.round(app.requests.average),
    latencyP99Ms: app.latency.p99,
    bareServerRequestsPerSecond: Math.round(base.requests.average),
    bareServerLatencyP99Ms: base.latency.p99,
    ratioToBare: ratio,
    errors: app.errors + app.non2xx,
    atLeastHalfOfBare: ratio >= 0.5,
  };
}

/** Measure `/tin-tuc` and one article's page of a running server at `origin`. */
export async function runNewsBench(origin: string, articleId: number, connections: number, durationS: number) {
  const list = await againstBare(`${origin}/tin-tuc`, connections, durationS);
  const article = await againstBare(`${origin}/tin-tuc/${articleId}`, connections, durationS);
  return {
    list,
    article,
    targets: { listAtLeastHalfOfBare: list.atLeastHalfOfBare, articleAtLeastHalfOfBare: article.atLeastHalfOfBare },
  };
}
