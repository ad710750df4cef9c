/**
 * The load generator in a process of its own: autocannon's command line, its figures read back as JSON. Run inside
 * the measured server's process, the generator would share the server's event loop and core, and every figure
 * would measure both.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { type CpuWindow, cpuWindow, type Parts } from "./cpu.ts";

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
  /** Ask these paths of `url`'s server in turn instead of `url` alone (bench/load-paths.mjs). */
  paths?: readonly string[];
  /**
   * Sample these processes' CPU time (bench/cpu.ts) over a window inside the load (from its 1st second to half a
   * second before its end), with the load generator's own process added as `loadGenerator`.
   */
  measure?: Parts;
}

/** What the bench reads of autocannon's result. */
export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** With `measure`: the CPU each part used in the window. */
  cpu?: CpuWindow;
}

export function load(options: LoadOptions): Promise<LoadResult> {
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ["-H", `${k}=${v}`]);
  const args = options.paths?.length
    ? [
        new URL("./load-paths.mjs", import.meta.url).pathname,
        JSON.stringify({
          url: options.url,
          paths: options.paths,
          connections: options.connections,
          duration: options.duration,
          headers: options.headers ?? {},
        }),
      ]
    : [
        AUTOCANNON,
        "--json",
        "--no-progress",
        "-c",
        String(options.connections),
        "-d",
        String(options.duration),
        ...headerArgs,
        options.url,
      ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const pid = child.pid;
    const sampled =
      options.measure && pid !== undefined && options.duration >= 3
        ? cpuWindow({ ...options.measure, loadGenerator: () => [pid] }, 1, options.duration - 0.5)
        : Promise.resolve(undefined);
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.slice(-500)}`));
      try {
        const result = JSON.parse(out) as LoadResult;
        void sampled.then((cpu) => resolve(cpu ? { ...result, cpu } : result), reject);
      } catch {
        reject(new Error(`autocannon printed no JSON: ${out.slice(-300)} ${err.slice(-300)}`));
      }
    });
  });
}
