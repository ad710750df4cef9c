/**
 * Where the machine's CPU goes during a load (Linux /proc): the CPU time (user + system, every thread) of named
 * groups of processes — the app processes, nginx's master and workers, the load generator — sampled at the start
 * and end of a window inside the load, and the whole machine's busy time over the same window (/proc/stat), so what
 * the other work on a shared machine took is stated too. bench/nginx.ts and bench/scale.ts report with it why a
 * figure is what it is, from measurements rather than reasoning.
 */
import fs from "node:fs";
import os from "node:os";

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux this runs on). */
const HZ = 100;

/** A process's CPU time so far in seconds (utime + stime of all its threads), or null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: the fields after its last ")" are fixed.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / HZ;
  } catch {
    return null;
  }
}

/** The direct children of a process (nginx's workers of its master). */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The machine's busy and total CPU seconds so far, over all cores (/proc/stat's first line). */
function machineSeconds(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0] as string;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / HZ, total: (busy + idle + iowait) / HZ };
  } catch {
    return null;
  }
}

export type Parts = Record<string, () => number[]>;

export interface CpuWindow {
  /** Wall seconds between the two samples. */
  seconds: number;
  /** CPU seconds each part used in the window. */
  parts: Record<string, number>;
  /** CPU seconds of the whole machine in the window (every process, ours or not). */
  machineBusy: number | null;
}

function sampleParts(parts: Parts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(parts))
    out[name] = pids().reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  return out;
}

/**
 * Sample `parts` from `startS` to `endS` seconds after now (a window inside a load that runs meanwhile, so neither
 * the load generator's start-up nor its report is counted). The pids are asked again at each sample.
 */
export async function cpuWindow(parts: Parts, startS: number, endS: number): Promise<CpuWindow> {
  await new Promise((r) => setTimeout(r, startS * 1000));
  const t0 = performance.now();
  const a = sampleParts(parts);
  const m0 = machineSeconds();
  await new Promise((r) => setTimeout(r, (endS - startS) * 1000));
  const b = sampleParts(parts);
  const m1 = machineSeconds();
  const seconds = (performance.now() - t0) / 1000;
  const used: Record<string, number> = {};
  for (const name of Object.keys(parts)) used[name] = (b[name] ?? 0) - (a[name] ?? 0);
  return { seconds, parts: used, machineBusy: m0 && m1 ? m1.busy - m0.busy : null };
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A load phase's CPU figures: per part, CPU-seconds per 1,000 requests and its share of the machine's cores (100% =
 * all cores busy); the machine's total and what processes outside the measured parts took.
 */
export function cpuFigures(w: CpuWindow, requestsPerSecond: number, cores = os.cpus().length) {
  const requests = requestsPerSecond * w.seconds;
  const capacity = w.seconds * cores;
  const parts: Record<string, { cpuSecondsPer1000Requests: number; percentOfCores: number }> = {};
  let ours = 0;
  for (const [name, s] of Object.entries(w.parts)) {
    ours += s;
    parts[name] = {
      cpuSecondsPer1000Requests: requests > 0 ? r3((s / requests) * 1000) : 0,
      percentOfCores: r1((s / capacity) * 100),
    };
  }
  return {
    windowS: r1(w.seconds),
    cores,
    parts,
    measuredPercentOfCores: r1((ours / capacity) * 100),
    machinePercentOfCores: w.machineBusy === null ? null : r1((w.machineBusy / capacity) * 100),
    // Everything else on the machine in the same window (other work, PostgreSQL, the kernel's own threads).
    otherPercentOfCores: w.machineBusy === null ? null : r1((Math.max(0, w.machineBusy - ours) / capacity) * 100),
  };
}

export type CpuFigures = ReturnType<typeof cpuFigures>;
