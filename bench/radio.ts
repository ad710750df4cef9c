/**
 * The ward radio's figures (issue 10 "Figures"): `npx tsx bench/radio.ts` prints JSON; `runRadioBench()` returns the
 * same for `npm run bench`.
 *
 * The real server (src/main.ts) in a child process on a fresh SQLite database with the demo ward, its job runner
 * polling every 200 ms. This process writes an approved bulletin of about 600 words (realistic sentences with dates,
 * money and abbreviations) and queues its speech job, as the approval does; the figure is the time from queueing
 * to the MP3 being recorded (espeak-ng + ffmpeg in child processes of the server, in the background). Meanwhile
 * autocannon loads the public radio page and the home page; their p99 is compared with the same load on the idle
 * server. The job is queued again each time it finishes, so the load window is covered by synthesis throughout.
 */
import { pathToFileURL } from "node:url";
import { enqueueJob } from "../src/core/jobs/jobs.ts";
import { bulletinAudioJob } from "../src/features/radio/radio.service.ts";
import { speechAvailable } from "../src/features/radio/speech.ts";
import { load } from "./load.ts";
import { freshTarget, startServer } from "./server.ts";

const LOAD_S = Number(process.env.RADIO_BENCH_SECONDS ?? 8);
const CONNECTIONS = 10;
const TARGET_AUDIO_MS = 10_000;
const TARGET_P99_RATIO = 2;

const SENTENCES = [
  "Từ ngày 19/02/2024, UBND phường tiếp nhận hồ sơ đăng ký thường trú trực tuyến trên Cổng dịch vụ công quốc gia.",
  "Lệ phí cấp bản sao trích lục hộ tịch là 8.000 đồng một bản, người dân có thể thanh toán trực tuyến.",
  "Bộ phận Một cửa làm việc từ 07:30 đến 11:30 buổi sáng và từ 13:30 đến 17:00 buổi chiều các ngày làm việc.",
  "Năm 2024, phường phấn đấu 95% hồ sơ TTHC được giải quyết đúng hạn và 80% hồ sơ được nộp trực tuyến.",
  "Mọi phản ánh, kiến nghị về công tác CCHC, người dân gửi tại hòm thư góp ý hoặc trên cổng thông tin của phường.",
  "Hội nghị tuyên truyền về BHXH tự nguyện và BHYT hộ gia đình tổ chức lúc 08:00 ngày 25/03/2024 tại nhà văn hóa.",
];

/** About `words` words of bulletin text, as items. */
function items(words: number) {
  const out: { title: string; script: string }[] = [];
  let count = 0;
  let i = 0;
  while (count < words) {
    const script = Array.from({ length: 4 }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join(" ");
    out.push({ title: `Tin số ${out.length + 1}`, script });
    count += script.split(/\s+/).length;
    i++;
  }
  return { items: out, words: count };
}

async function pageLoad(url: string, seconds: number) {
  const r = await load({ url, connections: CONNECTIONS, duration: seconds });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

export async function runRadioBench() {
  if (!(await speechAvailable())) return { skipped: "espeak-ng hoặc ffmpeg chưa được cài: không đo được giọng đọc" };
  const target = await freshTarget("sqlite");
  const server = await startServer(target, { JOBS_POLL_MS: "200", LOG_LEVEL: "error" });
  const db = target.open();
  try {
    const k = db.kysely;
    const ward = await k
      .selectFrom("users")
      .select("ward_id as id")
      .where("username", "=", "quantri")
      .executeTakeFirstOrThrow();
    const unit = await k.selectFrom("org_units").select("id").where("ward_id", "=", ward.id).executeTakeFirstOrThrow();
    const text = items(600);
    const now = new Date().toISOString();
    const row = await k
      .insertInto("radio_bulletins")
      .values({
        ward_id: ward.id,
        org_unit_id: unit.id,
        title: "Bản tin cải cách hành chính",
        broadcast_on: now.slice(0, 10),
        slot: "morning",
        status: "approved",
        approved_at: now,
        audio_state: "none",
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const bulletinId = Number(row.id);
    await k
      .insertInto("radio_items")
      .values(text.items.map((it, n) => ({ bulletin_id: bulletinId, position: n + 1, ...it })))
      .execute();

    /** Queue the speech as an approval does, wait for the server's runner to record the MP3; milliseconds. */
    const speakOnce = async () => {
      const t0 = performance.now();
      await k.transaction().execute(async (trx) => {
        await trx.updateTable("radio_bulletins").set({ audio_state: "queued" }).where("id", "=", bulletinId).execute();
        await enqueueJob(
          trx,
          bulletinAudioJob,
          { bulletinId, wardId: ward.id },
          { key: `radio-audio:${bulletinId}` },
          new Date(),
        );
      });
      for (;;) {
        const b = await k
          .selectFrom("radio_bulletins")
          .select(["audio_state", "audio_duration_ms", "audio_error"])
          .where("id", "=", bulletinId)
          .executeTakeFirstOrThrow();
        if (b.audio_state === "ready") return { ms: performance.now() - t0, audioMs: b.audio_duration_ms ?? 0 };
        if (b.audio_state !== "queued") throw new Error(`speech failed: ${b.audio_state} ${b.audio_error ?? ""}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    const pages = ["/phat-thanh", "/"];
    // Warm the caches, then the idle figure.
    for (const p of pages) await fetch(`${server.url}${p}`);
    const idle = await Promise.all(pages.map((p) => pageLoad(`${server.url}${p}`, LOAD_S)));

    const runs: number[] = [];
    let audioMs = 0;
    let loading = true;
    const busyLoad = Promise.all(pages.map((p) => pageLoad(`${server.url}${p}`, LOAD_S))).finally(() => {
      loading = false;
    });
    while (loading) {
      const r = await speakOnce();
      runs.push(r.ms);
      audioMs = r.audioMs;
    }
    const busy = await busyLoad;
    const sorted = [...runs].sort((a, b) => a - b);
    const round1 = (n: number) => Math.round(n * 10) / 10;
    return {
      bulletinWords: text.words,
      audioSeconds: round1(audioMs / 1000),
      generation: {
        runs: runs.length,
        medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        worstMs: Math.round(sorted[sorted.length - 1] ?? 0),
        note: "from queueing the job to the MP3 recorded, under the page load; includes up to 200 ms of the runner's polling",
      },
      publicPages: pages.map((p, i) => ({
        path: p,
        idle: idle[i],
        duringSynthesis: busy[i],
        p99Ratio: round1((busy[i]?.latencyP99Ms ?? 0) / Math.max(1, idle[i]?.latencyP99Ms ?? 1)),
      })),
      targets: {
        audioFor600WordsMs: TARGET_AUDIO_MS,
        audioMet: (sorted[sorted.length - 1] ?? Infinity) <= TARGET_AUDIO_MS,
        p99RatioAtMost: TARGET_P99_RATIO,
        p99Met: pages.every(
          (_, i) => (busy[i]?.latencyP99Ms ?? 0) <= TARGET_P99_RATIO * Math.max(1, idle[i]?.latencyP99Ms ?? 1),
        ),
      },
    };
  } finally {
    await db.close();
    await server.stop();
    await target.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await runRadioBench(), null, 2));
}
