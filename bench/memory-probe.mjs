// Preloaded into the benchmarked server (NODE_OPTIONS=--import=…/memory-probe.mjs): every 100 ms it writes the
// process's memory (now and peak since start) to BENCH_MEMORY_FILE, so the benchmark can read RSS and heap from its
// own process. Does nothing without that variable.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  const peak = { rss: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external + m.arrayBuffers);
    writeFileSync(file, JSON.stringify({ now: { rss: m.rss, heapUsed: m.heapUsed }, peak }));
  };
  setInterval(sample, 100).unref();
}
