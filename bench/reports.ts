/**
 * A year's report of a busy ward: `npx tsx bench/reports.ts` prints JSON; `runReportsBench()` returns the same
 * figures for `npm run bench`.
 *
 * The real server (src/main.ts) in a child process on a fresh database with the demo ward and its seed plan; this
 * process adds 10,000 activities (every channel and unit of the ward, spread over 2024's statutory year) and 2,000
 * feedback items (received, classified, answered on time or late) straight into the database, logs in as a
 * coordinator through the login form and downloads the draft year report of 2024 over HTTP: the HTML page (figures),
 * the DOCX (figures + document) and the PDF (+ LibreOffice). Each is asked REPORT_BENCH_ROUNDS times (default 5);
 * the figure is the median and the worst. A bare Node server returning the same DOCX bytes from memory is measured
 * the same way: the floor of an HTTP round trip carrying that file. The server starts its warm LibreOffice when it
 * starts and again when a report page opens (pdf.ts prewarm), so `pdf.firstMs` is the first PDF as a coordinator
 * gets it; `officeStartMs` is what starting that office costs (measured in this process after the run): what the
 * first PDF would take if asked the instant the office had stopped idle. SQLite always; PostgreSQL as well when
 * BENCH_DATABASE_URL (or DATABASE_URL) names one.
 */
import http from "node:http";
import { pathToFileURL } from "node:url";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import type { Db } from "../src/core/db/connection.ts";
import { prewarmPdfConverter, warmOfficeReady } from "../src/core/documents/pdf.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { CHANNEL_KINDS, PILLARS } from "../src/features/plans/plan-draft.ts";
import { freshTarget, postgresUrl, startServer, type Target } from "./server.ts";

const ROUNDS = Number(process.env.REPORT_BENCH_ROUNDS ?? 5);
const ACTIVITIES = 10_000;
const FEEDBACK = 2_000;
const TARGET_DOCX_MS = 1000;
const TARGET_PDF_MS = 3000;
const YEAR_2024 = "loai=year&nam=2024";
/** Statutory year 2024: 15/12/2023 → 14/12/2024 (Nghị định 09/2019/NĐ-CP). */
const YEAR_START = Date.UTC(2023, 11, 15);
const YEAR_DAYS = 366;

const day = (n: number) => new Date(YEAR_START + n * 86_400_000).toISOString().slice(0, 10);

/** The demo ward's activities and feedback, inserted in batches (the figures read them as any recorded ones). */
async function fillWard(db: Db): Promise<{ wardId: number; coordinator: { username: string; password: string } }> {
  const k = db.kysely;
  // The demo ward is the one its first administrator belongs to.
  const ward = await k
    .selectFrom("users")
    .select("ward_id as id")
    .where("username", "=", "quantri")
    .executeTakeFirstOrThrow();
  // The seed plan was issued by Phổ Minh, a predecessor of the demo ward: the newest plan of the deployment.
  const plan = await k.selectFrom("plans").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
  const tasks = await k
    .selectFrom("tasks")
    .innerJoin("task_units", "task_units.task_id", "tasks.id")
    .select(["tasks.id as taskId", "task_units.org_unit_id as unitId"])
    .where("tasks.plan_id", "=", plan.id)
    .where("task_units.role", "=", "lead")
    .execute();
  if (tasks.length === 0) throw new Error("the seed plan has no tasks with a lead unit");
  const channels = Object.keys(CHANNEL_KINDS);
  const pillars = Object.keys(PILLARS);
  const now = new Date().toISOString();
  for (let start = 0; start < ACTIVITIES; start += 500) {
    const rows = Array.from({ length: Math.min(500, ACTIVITIES - start) }, (_, j) => {
      const n = start + j;
      const t = tasks[n % tasks.length] as { taskId: number; unitId: number };
      return {
        ward_id: ward.id,
        org_unit_id: t.unitId,
        plan_id: plan.id,
        task_id: t.taskId,
        channel_kind: channels[n % channels.length] as string,
        pillar: pillars[n % pillars.length] as string,
        title: `Hoạt động tuyên truyền cải cách hành chính số ${n + 1}`,
        occurred_on: day(n % YEAR_DAYS),
        place: "Nhà văn hóa khu dân cư",
        audience: 20 + (n % 300),
        participants: null,
        cost: n % 4 === 0 ? 150_000 : null,
        source: "manual",
        source_ref: null,
        created_by: null,
        created_at: now,
      };
    });
    await k.insertInto("activities").values(rows).execute();
  }
  const feedbackChannels = ["web", "desk", "phone", "letter"];
  for (let start = 0; start < FEEDBACK; start += 500) {
    const rows = Array.from({ length: Math.min(500, FEEDBACK - start) }, (_, j) => {
      const n = start + j;
      const received = day(n % YEAR_DAYS);
      const answered = n % 3 !== 0;
      const late = n % 10 === 0;
      const due = day((n % YEAR_DAYS) + 10);
      return {
        ward_id: ward.id,
        code: `PA-BENCH-${String(n).padStart(6, "0")}`,
        subject: "Thời gian giải quyết thủ tục đăng ký khai sinh",
        content_type: "procedure",
        procedure_code: null,
        content: "Đề nghị rút ngắn thời gian trả kết quả thủ tục đăng ký khai sinh tại bộ phận một cửa.",
        status: answered ? "published" : "in_progress",
        channel: feedbackChannels[n % feedbackChannels.length] as string,
        received_at: `${received}T02:00:00.000Z`,
        idempotency_key: null,
        classification: n % 7 === 0 ? "forwarded" : "in_scope",
        reason: null,
        forwarded_to: null,
        assigned_unit_id: null,
        due_on: due,
        answer_draft: null,
        answer_final: answered ? "Ủy ban nhân dân phường đã chỉ đạo bộ phận một cửa rút ngắn thời gian." : null,
        approved_by: null,
        published_at: answered ? `${day((n % YEAR_DAYS) + (late ? 15 : 5))}T03:00:00.000Z` : null,
        entered_by: null,
        public_content: null,
        return_reason: null,
        public_answer: null,
        public_id: null,
      };
    });
    await k.insertInto("feedback_items").values(rows).execute();
  }
  const coordinator = { username: "bench-dieuphoi", password: "Hieu-Nang-Bao-Cao-2024!" };
  const office = await k
    .selectFrom("org_units")
    .select("id")
    .where("ward_id", "=", ward.id)
    .where("code", "=", "office")
    .executeTakeFirst();
  const r = await createUser(
    k,
    SYSTEM_ACTOR,
    {
      username: coordinator.username,
      displayName: "Điều phối (đo hiệu năng)",
      password: coordinator.password,
      role: "coordinator",
      wardId: ward.id,
      orgUnitId: office?.id ?? null,
    },
    new Date(),
  );
  if (!r.ok) throw new Error(`the coordinator was not created: ${JSON.stringify(r.errors)}`);
  return { wardId: ward.id, coordinator };
}

interface Fetched {
  status: number;
  bytes: Buffer;
  ms: number;
}

function get(url: string, cookie: string | null): Promise<Fetched> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: cookie ? { cookie } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), ms: performance.now() - t0 }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function logIn(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ username, password }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Ask a URL `rounds` times in a row; the median and worst time, the last reply's size, every status seen. */
async function measure(url: string, cookie: string | null, rounds: number) {
  const times: number[] = [];
  const statuses = new Set<number>();
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await get(url, cookie);
    times.push(r.ms);
    statuses.add(r.status);
    bytes = r.bytes.length;
  }
  const firstMs = round1(times[0] as number);
  times.sort((a, b) => a - b);
  return {
    rounds,
    /** The first request (the PDF's: after the figures page, whose opening started LibreOffice ahead). */
    firstMs,
    medianMs: round1(times[Math.floor(times.length / 2)] as number),
    worstMs: round1(times[times.length - 1] as number),
    bytes,
    statuses: [...statuses],
  };
}

async function runOn(target: Target) {
  const server = await startServer(target);
  const db = target.open();
  try {
    const t0 = performance.now();
    const { coordinator } = await fillWard(db);
    const fillMs = performance.now() - t0;
    const cookie = await logIn(server.url, coordinator.username, coordinator.password);
    const base = `${server.url}/quan-tri/bao-cao/du-thao`;
    const page = await measure(`${base}?${YEAR_2024}`, cookie, ROUNDS);
    const docx = await measure(`${base}.docx?${YEAR_2024}`, cookie, ROUNDS);
    const pdf = await measure(`${base}.pdf?${YEAR_2024}`, cookie, Math.max(1, Math.ceil(ROUNDS / 2)));

    const docxBytes = (await get(`${base}.docx?${YEAR_2024}`, cookie)).bytes;
    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": docxBytes.length });
      res.end(docxBytes);
    });
    await new Promise<void>((ok) => bare.listen(0, "127.0.0.1", ok));
    const a = bare.address();
    const bareFigure = await measure(`http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/`, null, ROUNDS);
    bare.close();

    const counted = await db.kysely
      .selectFrom("activities")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return {
      database: target.database,
      dataset: {
        activities: Number(counted.n),
        feedbackItems: FEEDBACK,
        period: "năm 2024 (15/12/2023 – 14/12/2024)",
        fillMs: Math.round(fillMs),
      },
      figuresPage: page,
      docx,
      pdf,
      bareServerSameDocx: bareFigure,
      targets: {
        docxMedianUnder1s: docx.medianMs <= TARGET_DOCX_MS,
        pdfMedianUnder3s: pdf.medianMs <= TARGET_PDF_MS,
        pdfFirstUnder3s: pdf.firstMs <= TARGET_PDF_MS,
        allAnswered200: [page, docx, pdf].every((m) => m.statuses.length === 1 && m.statuses[0] === 200),
      },
      targetMs: { docx: TARGET_DOCX_MS, pdf: TARGET_PDF_MS },
    };
  } finally {
    await db.close();
    await server.stop();
    await target.cleanup();
  }
}

/** Starting a warm LibreOffice from nothing, in this process: the wait the prewarm saves a coordinator. */
async function officeStartMs(): Promise<number | null> {
  const previous = process.env.PDF_PREWARM;
  process.env.PDF_PREWARM = "1";
  try {
    const t0 = performance.now();
    if (!prewarmPdfConverter()) return null;
    return (await warmOfficeReady()) ? Math.round(performance.now() - t0) : null;
  } finally {
    if (previous === undefined) delete process.env.PDF_PREWARM;
    else process.env.PDF_PREWARM = previous;
  }
}

export async function runReportsBench() {
  const runs = [await runOn(await freshTarget("sqlite"))];
  const pgUrl = postgresUrl();
  if (pgUrl) runs.push(await runOn(await freshTarget("postgres", pgUrl)));
  return {
    what: "draft year report of 2024 for the demo ward, downloaded by a coordinator",
    runs,
    officeStartMs: await officeStartMs(),
    officeStartNote: "khởi động LibreOffice từ đầu (null: không có python3-uno); máy chủ làm việc này trước khi cần",
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runReportsBench()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
