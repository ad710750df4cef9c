/**
 * Runs a CPU- or memory-heavy function (reading an uploaded file) in a worker thread, so the server keeps answering
 * while it runs, with a time limit and a heap limit: a hostile or runaway file costs one worker, never the server.
 *
 * The function is named by its module URL and export, and gets structured-cloneable arguments; the worker loads the
 * module through tsx (worker threads do not inherit the main thread's loader hooks on Node 20). One run at a time:
 * a second upload waits for the first rather than doubling the memory the limits allow.
 */
import { Worker } from "node:worker_threads";

export interface IsolationLimits {
  /** Wall-clock time from the worker's start; past it the worker is terminated. */
  timeoutMs: number;
  /** V8 heap ceiling of the worker (old generation), in MB; past it the worker dies, not the server. */
  heapMb: number;
}

/** `timeout` and `memory`: the limits stopped the run; `failed`: the function threw or the worker could not start. */
export type IsolatedOutcome<T> = { ok: true; value: T } | { ok: false; reason: "timeout" | "memory" | "failed" };

const WORKER_ENTRY = new URL("./isolated-worker.mjs", import.meta.url);

let running = 0;
const waiting: (() => void)[] = [];

/** How many isolated runs are executing now (not counting those waiting their turn). */
export function isolatedRunsInProgress(): number {
  return running;
}

async function turn(): Promise<() => void> {
  if (running > 0) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** Calls `exportName` of `moduleUrl` with `args` in a worker thread under `limits`. Never throws. */
export async function runIsolated<T>(
  moduleUrl: URL,
  exportName: string,
  args: unknown[],
  limits: IsolationLimits,
): Promise<IsolatedOutcome<T>> {
  const release = await turn();
  try {
    return await new Promise<IsolatedOutcome<T>>((resolve) => {
      let settled = false;
      const settle = (outcome: IsolatedOutcome<T>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(outcome);
      };
      const worker = new Worker(WORKER_ENTRY, {
        workerData: { moduleUrl: moduleUrl.href, exportName, args },
        resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32 },
        stdout: false,
        stderr: false,
      });
      const timer = setTimeout(() => settle({ ok: false, reason: "timeout" }), limits.timeoutMs);
      worker.on("message", (value: T) => settle({ ok: true, value }));
      worker.on("error", (err: Error & { code?: string }) =>
        settle({ ok: false, reason: err.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "failed" }),
      );
      worker.on("exit", () => settle({ ok: false, reason: "failed" }));
    });
  } finally {
    release();
  }
}

/** Limits for reading one uploaded file (a plan document, a procedure file); stated in the README. */
export const UPLOAD_PARSE_LIMITS: IsolationLimits = { timeoutMs: 60_000, heapMb: 512 };

/** What the user is told when the limits stopped reading their file (nothing was written). */
export function isolatedFailureMessage(reason: "timeout" | "memory" | "failed"): string {
  if (reason === "timeout")
    return `Đọc tệp mất quá ${UPLOAD_PARSE_LIMITS.timeoutMs / 1000} giây nên đã dừng; chưa có gì được lưu. Tệp có thể quá lớn hoặc bị hỏng: hãy kiểm tra lại hoặc chia nhỏ tệp.`;
  if (reason === "memory")
    return `Đọc tệp cần quá ${UPLOAD_PARSE_LIMITS.heapMb} MB bộ nhớ nên đã dừng; chưa có gì được lưu. Tệp có thể quá lớn hoặc không an toàn: hãy kiểm tra lại hoặc chia nhỏ tệp.`;
  return "Không đọc được tệp (tệp hỏng hoặc định dạng không đúng); chưa có gì được lưu.";
}
