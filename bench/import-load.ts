/**
 * The server while the largest imports are read (issue 8, A.6): `npx tsx bench/import-load.ts` prints JSON;
 * `runImportLoadBench()` returns the same figures for `npm run bench`.
 *
 * A fresh SQLite world (test/helpers/env.ts: the demo ward, a coordinator), the real app in this process. For each
 * file — the reported zip bomb DOCX (45 MB of XML), the largest DOCX accepted (document.xml at the 4 MB cap), the
 * reported 1.2 M-row XLSX, the largest XLSX accepted (5,000 procedures) — the upload is started and `/healthz` is
 * asked every 50 ms until it is answered. Reported: the import's time and status, the /healthz latencies
 * (p50/max) and how many were answered during the import, and the process's peak RSS over its RSS before (the
 * worker thread that reads the file lives in this process, so its memory is counted).
 */
import { pathToFileURL } from "node:url";
import { createWorld, logIn, pw, testDatabases } from "../test/helpers/env.ts";
import { largestAcceptedDocx, millionRowsXlsx, procedureWorkbook, zipBombDocx } from "../test/helpers/import-files.ts";

const TARGET_HEALTHZ_MAX_MS = 200;
const TARGET_PEAK_RSS_GROWTH_MB = 1024;

interface ImportRun {
  file: string;
  bytes: number;
  status: number;
  importMs: number;
  healthzAnswered: number;
  healthzP50Ms: number;
  healthzMaxMs: number;
  peakRssGrowthMb: number;
  targets: { healthzMaxUnder200ms: boolean; peakRssGrowthUnder1GB: boolean };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the four imports one after the other; figures per file. */
export async function runImportLoadBench(): Promise<{ runs: ImportRun[] }> {
  const target = testDatabases()[0];
  if (!target) throw new Error("no database");
  const w = await createWorld(target);
  try {
    await w.createStaff("dieuphoi", "coordinator", "office", { operator: true }); // procedure imports are the operator's
    const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
    const files: { file: string; path: string; bytes: Uint8Array }[] = [
      { file: "zip bomb DOCX (45 MB XML)", path: "/quan-tri/ke-hoach/nhap", bytes: zipBombDocx() },
      { file: "largest DOCX accepted (4 MB XML)", path: "/quan-tri/ke-hoach/nhap", bytes: largestAcceptedDocx() },
      { file: "XLSX of 1.2 M rows", path: "/quan-tri/thu-tuc/nhap", bytes: millionRowsXlsx() },
      {
        file: "largest XLSX accepted (5,000 rows)",
        path: "/quan-tri/thu-tuc/nhap",
        bytes: await procedureWorkbook(5000),
      },
    ];
    const runs: ImportRun[] = [];
    for (const f of files) {
      const form = new FormData();
      form.set("file", new File([new Uint8Array(f.bytes)], f.file.includes("DOCX") ? "a.docx" : "a.xlsx"));
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const t0 = performance.now();
      let done = false;
      let status = 0;
      const upload = coord.post(f.path, form).then(async (res) => {
        status = res.status;
        await res.arrayBuffer();
        done = true;
      });
      const latencies: number[] = [];
      while (!done) {
        const h0 = performance.now();
        await w.app.request("/healthz");
        if (!done) latencies.push(performance.now() - h0);
        await sleep(50);
      }
      await upload;
      const importMs = performance.now() - t0;
      clearInterval(sampler);
      latencies.sort((a, b) => a - b);
      const round = (n: number) => Math.round(n * 10) / 10;
      const healthzMaxMs = round(latencies.at(-1) ?? 0);
      const peakRssGrowthMb = Math.round((peak - rssBefore) / 1024 / 1024);
      runs.push({
        file: f.file,
        bytes: f.bytes.length,
        status,
        importMs: Math.round(importMs),
        healthzAnswered: latencies.length,
        healthzP50Ms: round(latencies[Math.floor(latencies.length / 2)] ?? 0),
        healthzMaxMs,
        peakRssGrowthMb,
        targets: {
          healthzMaxUnder200ms: healthzMaxMs <= TARGET_HEALTHZ_MAX_MS,
          peakRssGrowthUnder1GB: peakRssGrowthMb <= TARGET_PEAK_RSS_GROWTH_MB,
        },
      });
    }
    return { runs };
  } finally {
    await w.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await runImportLoadBench(), null, 2));
}
