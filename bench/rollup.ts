/**
 * The province's wards table and the whole country's roll-up: `npx tsx bench/rollup.ts` prints JSON;
 * `runRollupBench()` returns the same figures for `npm run bench`.
 *
 * The real server (src/main.ts) in a child process on a fresh database (the first start loads the national
 * register and the demo ward); this process writes the dataset straight into the database, then loads the table
 * from outside the server: BENCH_ROLLUP_CONNECTIONS (default 2, the cores) keep-alive connections GET `/tinh/51/` for
 * BENCH_ROLLUP_SECONDS (default 10), each request a different period so the public page cache never answers (every
 * request computes the roll-up and renders the table; `distinctPeriods` in the JSON says it did not repeat). The same client against a bare Node server returning the
 * page's bytes from memory gives the floor. The country's roll-up (3,321 wards) is computed in this process, three
 * times after a warm-up. SQLite always; PostgreSQL as well when BENCH_DATABASE_URL (or DATABASE_URL) names one.
 *
 * Dataset: Quảng Ngãi's 96 wards each with a plan of 40 tasks, 2,000 activities over the year (one in ten on a
 * task), 200 feedback items, a survey of 22 criteria with 20 responses, an issued report; every other ward of the
 * country a plan of 40 tasks, BENCH_ROLLUP_COUNTRY_ACTIVITIES (default 100) activities and 20 feedback items.
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Insertable, type Kysely, sql } from "kysely";
import type { Database } from "../src/core/db/schema.ts";
import { COUNTRY, computeRollup } from "../src/features/rollup/rollup.service.ts";
import { defaultQuestions } from "../src/features/surveys/sipas.ts";
import { freshTarget, postgresUrl, startServer } from "./server.ts";
import { quantile } from "./submissions.ts";

const DURATION_S = Number(process.env.BENCH_ROLLUP_SECONDS ?? process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_ROLLUP_CONNECTIONS ?? 2);
const PROVINCE_ACTIVITIES = 2000;
const PROVINCE_FEEDBACK = 200;
const SURVEY_RESPONSES = 20;
const TASKS = 40;
const COUNTRY_ACTIVITIES = Number(process.env.BENCH_ROLLUP_COUNTRY_ACTIVITIES ?? 100);
const COUNTRY_FEEDBACK = 20;
const TARGET_P95_MS = 300;
const TARGET_COUNTRY_MS = 2000;
const CHANNELS = ["radio", "conference", "notice_board", "web_portal", "community_meeting", "social_media"];

const pad = (n: number) => String(n).padStart(2, "0");
/** The n-th day of a year (0-based, wrapping within 11 months so every day is in the past). */
const dayOf = (year: number, n: number) => {
  const d = new Date(Date.UTC(year, 0, 1) + (n % 330) * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

async function insertBatches<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  // 2,000 rows of ≤ 16 columns stay under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 2000)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 2000) as never)
      .execute();
}

/** Write the dataset; returns its sizes. */
export async function generate(db: Kysely<Database>, year: number) {
  const province = await db
    .selectFrom("admin_units")
    .select("id")
    .where("code", "=", "51")
    .where("level", "=", "province")
    .where("valid_to", "is", null)
    .executeTakeFirstOrThrow();
  const wards = await db
    .selectFrom("admin_units")
    .select(["id", "parent_id"])
    .where("level", "=", "commune")
    .where("valid_to", "is", null)
    .orderBy("id")
    .execute();
  const office = await db.selectFrom("org_units").select("id").orderBy("id").executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const sizes = { wards: wards.length, provinceWards: 0, plans: 0, tasks: 0, activities: 0, feedback: 0, answers: 0 };
  let fb = 0;
  let token = 0;
  const questions = defaultQuestions();

  for (let start = 0; start < wards.length; start += 100) {
    const chunk = wards.slice(start, start + 100);
    const planRows = chunk.map((w) => ({
      ward_id: w.id,
      kind: "KH",
      number: `${w.id}/KH-UBND`,
      number_key: `${w.id}/kh-ubnd`,
      issued_on: `${year}-01-05`,
      title: "Kế hoạch tuyên truyền cải cách hành chính",
      place: null,
      issuer: null,
      period_from: `${year}-01-01`,
      period_to: `${year}-12-31`,
      basis_json: "[]",
      purposes_json: "[]",
      requirements_json: "[]",
      documents_text: "",
      mentions_json: "[]",
      recipients_json: "[]",
      signer_position: null,
      signer_name: null,
      source_hash: `bench-${w.id}`,
      source_text: "",
      created_at: now,
      updated_at: now,
    }));
    await insertBatches(db, "plans", planRows);
    const plans = await db
      .selectFrom("plans")
      .select(["id", "ward_id"])
      .where(
        "ward_id",
        "in",
        chunk.map((w) => w.id),
      )
      .execute();
    sizes.plans += plans.length;
    const taskRows = plans.flatMap((p) =>
      Array.from({ length: TASKS }, (_, i) => ({
        plan_id: p.id,
        ward_id: p.ward_id,
        group_code: "2",
        group_heading: "Nội dung",
        position: i + 1,
        text: `Nhiệm vụ ${i + 1}`,
        text_key: `nhiem vu ${i + 1}`,
        status: i % 3 === 0 ? "done" : i % 3 === 1 ? "in_progress" : "not_started",
        due_on: i % 5 === 0 ? dayOf(year, i * 7) : null,
        recurrence: i % 4 === 0 ? "monthly" : null,
        removed_at: null,
        created_at: now,
        updated_at: now,
      })),
    );
    await insertBatches(db, "tasks", taskRows);
    sizes.tasks += taskRows.length;
    const tasks = await db
      .selectFrom("tasks")
      .select(["id", "ward_id", "plan_id"])
      .where(
        "plan_id",
        "in",
        plans.map((p) => p.id),
      )
      .execute();
    const tasksOf = new Map<number, { id: number; plan_id: number }[]>();
    for (const t of tasks) tasksOf.set(t.ward_id, [...(tasksOf.get(t.ward_id) ?? []), t]);

    const activityRows: Insertable<Database["activities"]>[] = [];
    const feedbackRows: Insertable<Database["feedback_items"]>[] = [];
    for (const w of chunk) {
      const inProvince = w.parent_id === province.id;
      if (inProvince) sizes.provinceWards++;
      const own = tasksOf.get(w.id) ?? [];
      const n = inProvince ? PROVINCE_ACTIVITIES : COUNTRY_ACTIVITIES;
      for (let i = 0; i < n; i++) {
        const task = i % 10 === 0 ? own[i % own.length] : undefined;
        activityRows.push({
          ward_id: w.id,
          org_unit_id: office.id,
          plan_id: task?.plan_id ?? null,
          task_id: task?.id ?? null,
          channel_kind: CHANNELS[i % CHANNELS.length] as string,
          pillar: "procedures",
          title: `Hoạt động ${i}`,
          occurred_on: dayOf(year, i),
          place: null,
          audience: 20 + (i % 50),
          participants: null,
          cost: (i % 7) * 100_000,
          source: "manual",
          source_ref: null,
          created_by: null,
          created_at: now,
        });
      }
      const f = inProvince ? PROVINCE_FEEDBACK : COUNTRY_FEEDBACK;
      for (let i = 0; i < f; i++) {
        const received = `${dayOf(year, i)}T02:00:00.000Z`;
        const answered = i % 4 !== 0;
        feedbackRows.push({
          ward_id: w.id,
          code: `BENCH-${++fb}`,
          subject: "Thủ tục",
          content_type: "phan_anh",
          content: "Nội dung thử tải",
          status: answered ? "published" : "processing",
          channel: "web",
          received_at: received,
          classification: "in_scope",
          due_on: dayOf(year, i + 10),
          published_at: answered ? `${dayOf(year, i + (i % 3 === 0 ? 15 : 5))}T02:00:00.000Z` : null,
        });
      }
    }
    await insertBatches(db, "activities", activityRows);
    await insertBatches(db, "feedback_items", feedbackRows);
    sizes.activities += activityRows.length;
    sizes.feedback += feedbackRows.length;

    for (const w of chunk.filter((x) => x.parent_id === province.id)) {
      const survey = await db
        .insertInto("surveys")
        .values({ ward_id: w.id, title: "Khảo sát", field: null, open: 1, created_at: now, org_unit_id: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      await insertBatches(
        db,
        "survey_questions",
        questions.map((q) => ({
          survey_id: survey.id,
          factor: q.factor,
          factor_title: q.factorTitle,
          criterion: q.criterion,
          text: q.text,
          position: q.position,
        })),
      );
      const qids = await db.selectFrom("survey_questions").select("id").where("survey_id", "=", survey.id).execute();
      const responses = await db
        .insertInto("survey_responses")
        .values(
          Array.from({ length: SURVEY_RESPONSES }, (_, i) => ({
            survey_id: survey.id,
            submitted_at: `${dayOf(year, i * 9)}T03:00:00.000Z`,
            month: dayOf(year, i * 9).slice(0, 7),
            field: null,
            form_token: `bench-${++token}`,
            procedure_code: null,
          })),
        )
        .returning("id")
        .execute();
      const answers = responses.flatMap((r, i) =>
        qids.map((q, j) => ({ response_id: r.id, question_id: q.id, score: 1 + ((i + j) % 5) })),
      );
      await insertBatches(db, "survey_answers", answers);
      sizes.answers += answers.length;
      await db
        .insertInto("reports")
        .values({
          ward_id: w.id,
          kind: "quarter",
          quarter: 1,
          period_from: `${year - 1}-12-15`,
          period_to: `${year}-03-14`,
          title: "Báo cáo quý I",
          status: "issued",
          figures_json: "{}",
          computed_at: now,
          document_json: "{}",
          number: 1,
          symbol: "BC-UBND",
          issued_on: `${year}-03-20`,
          signer_name: null,
          approved_by: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  }
  return sizes;
}

/** GET a URL on a keep-alive agent; the status, the body's length, and how long it took. */
function get(agent: http.Agent, url: string): Promise<{ status: number; bytes: Buffer; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), ms: performance.now() - t }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** CONNECTIONS clients asking `urlOf(n)` one after the other for DURATION_S; latencies and statuses. */
async function load(urlOf: (n: number) => string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const urls = new Set<string>();
  let seq = 0;
  const deadline = performance.now() + DURATION_S * 1000;
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
          const url = urlOf(seq++);
          urls.add(url);
          const r = await get(agent, url);
          latencies.push(r.ms);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: latencies.length,
    /** Equal to `requests` when no address was asked twice (so no page-cache hit was possible). */
    distinctPeriods: urls.size,
    latencyP50Ms: round(quantile(latencies, 0.5)),
    latencyP95Ms: round(quantile(latencies, 0.95)),
    latencyMaxMs: round(latencies.at(-1) ?? 0),
    statuses: Object.fromEntries(statuses),
  };
}

async function runOn(database: "sqlite" | "postgres", url: string | null) {
  const target = await freshTarget(database, url);
  try {
    const server = await startServer(target);
    const db = target.open();
    try {
      const year = new Date().getUTCFullYear() - 1;
      const t0 = performance.now();
      const dataset = await generate(db.kysely, year);
      // Statistics and the visibility map, as autovacuum keeps them on a database that grew over the year (a bulk
      // load leaves the planner blind until it runs).
      await sql.raw(database === "postgres" ? "vacuum analyze" : "analyze").execute(db.kysely);
      const generateS = Math.round((performance.now() - t0) / 100) / 10;
      // Every request a different period (812 of them, each most of the year: a start in January, an end in late
      // October or November): the public page cache never answers, each one computes and renders.
      const pageUrl = (n: number) =>
        `${server.url}/tinh/51/?tu=${dayOf(year, n % 28)}&den=${dayOf(year, 300 + (Math.floor(n / 28) % 29))}`;
      const first = await get(new http.Agent(), pageUrl(10_000));
      const table = await load(pageUrl);
      const api = await load(
        (n) => `${server.url}/api/v1/rollup?unit=51&from=${year}-01-01&to=${dayOf(year, 300 + (n % 60))}`,
      );
      await server.stop();

      const bare = http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": first.bytes.length });
        res.end(first.bytes);
      });
      await new Promise<void>((ok) => bare.listen(0, "127.0.0.1", ok));
      const a = bare.address();
      const barePort = typeof a === "object" && a ? a.port : 0;
      const bareLoad = await load(() => `http://127.0.0.1:${barePort}/`);
      bare.close();

      // The country, in this process: one warm-up, then three timed runs.
      const period = { from: `${year}-01-01`, to: `${year}-12-31` };
      const country = await computeRollup(db.kysely, { unitCode: COUNTRY, ...period }, new Date());
      const countryMs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await computeRollup(db.kysely, { unitCode: COUNTRY, ...period }, new Date());
        countryMs.push(Math.round(performance.now() - t));
      }
      const median = [...countryMs].sort((x, y) => x - y)[1] as number;
      return {
        database,
        dataset: { ...dataset, year, generateS },
        provinceTable: {
          path: "/tinh/51/ (uncached: a new period each request)",
          rows: (first.bytes.toString("utf8").match(/<th scope="row"><a /g) ?? []).length,
          bytes: first.bytes.length,
          ...table,
          bareServer: bareLoad,
        },
        provinceApi: { path: "/api/v1/rollup?unit=51", ...api },
        country: { rows: country?.total ?? 0, runsMs: countryMs, medianMs: median },
        targets: {
          [`tableP95Under${TARGET_P95_MS}ms`]: table.latencyP95Ms <= TARGET_P95_MS,
          [`countryUnder${TARGET_COUNTRY_MS}ms`]: median <= TARGET_COUNTRY_MS,
          noErrors: Object.keys(table.statuses).every((s) => s === "200"),
        },
      };
    } finally {
      await db.close();
      await server.stop().catch(() => null);
    }
  } finally {
    await target.cleanup();
  }
}

/** The figures for every database available. */
export async function runRollupBench() {
  const url = postgresUrl();
  // BENCH_ROLLUP_ONLY=postgres (or sqlite) runs one database: the dataset takes a while to write.
  const only = process.env.BENCH_ROLLUP_ONLY;
  const runs = [];
  if (only !== "postgres") runs.push(await runOn("sqlite", null));
  if (url && only !== "sqlite") runs.push(await runOn("postgres", url));
  return {
    server: "src/main.ts in a child process, fresh database with the national register; load from this process",
    connections: CONNECTIONS,
    durationS: DURATION_S,
    target: `province table (96 wards × ${PROVINCE_ACTIVITIES} activities) p95 ≤ ${TARGET_P95_MS} ms on PostgreSQL; whole country (3,321 wards) ≤ ${TARGET_COUNTRY_MS} ms; on ${os.cpus().length} cores`,
    runs,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runRollupBench()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
