/**
 * Prometheus figures of one app (`/metrics`, src/core/web/ops.ts): what requests it answered, by route pattern and
 * status class, how long they took, and whatever the scrape reads at its own time (cache, job queue, memory). No
 * client library is installed, so the text format (version 0.0.4) is written here, by `formatMetrics`, a pure function:
 * https://prometheus.io/docs/instrumenting/exposition_formats/.
 *
 * Labels are bounded by construction: a route is the pattern the router matched (`/tin-tuc/:id{[0-9]+}`), never the
 * path a client sent, and a status is its class (`2xx`), so a scan of random URLs adds no series.
 */

export type MetricType = "counter" | "gauge" | "histogram";

export type Labels = Readonly<Record<string, string>>;

/** One sample of a counter or gauge. */
export interface Sample {
  labels?: Labels;
  value: number;
}

/** One series of a histogram: cumulative counts per upper bound (the same bounds as the family's), sum and count. */
export interface HistogramSample {
  labels?: Labels;
  /** Counts of observations ≤ each bound of `buckets`, cumulative, in the same order. */
  cumulative: readonly number[];
  sum: number;
  count: number;
}

export type MetricFamily =
  | { name: string; help: string; type: "counter" | "gauge"; samples: readonly Sample[] }
  | { name: string; help: string; type: "histogram"; buckets: readonly number[]; samples: readonly HistogramSample[] };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A number as the format writes it: integers plainly, `+Inf`, `-Inf`, `NaN`. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

/** A label value escaped as the format requires: backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escaped: backslash and line feed. */
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelText(labels: Labels | undefined, extra?: [string, string]): string {
  const pairs = Object.entries(labels ?? {});
  if (extra) pairs.push(extra);
  if (!pairs.length) return "";
  for (const [k] of pairs) if (!LABEL.test(k) || k.startsWith("__")) throw new Error(`bad label name "${k}"`);
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** The text exposition of these families, in the given order, ending with a line feed. */
export function formatMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`bad metric name "${f.name}"`);
    if (seen.has(f.name)) throw new Error(`metric "${f.name}" listed twice`);
    seen.add(f.name);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type !== "histogram") {
      for (const s of f.samples) lines.push(`${f.name}${labelText(s.labels)} ${formatValue(s.value)}`);
      continue;
    }
    for (const s of f.samples) {
      if (s.cumulative.length !== f.buckets.length)
        throw new Error(`histogram "${f.name}": ${s.cumulative.length} counts for ${f.buckets.length} buckets`);
      for (const [i, le] of f.buckets.entries())
        lines.push(`${f.name}_bucket${labelText(s.labels, ["le", formatValue(le)])} ${s.cumulative[i]}`);
      lines.push(`${f.name}_bucket${labelText(s.labels, ["le", "+Inf"])} ${s.count}`);
      lines.push(`${f.name}_sum${labelText(s.labels)} ${formatValue(s.sum)}`);
      lines.push(`${f.name}_count${labelText(s.labels)} ${s.count}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** "2xx" for 204, "5xx" for 503. */
export const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/** Upper bounds, in seconds, of the request latency histogram: from a cached page (ms) to a slow export (s). */
export const LATENCY_BUCKETS_S: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: Labels;
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative (the last slot: above every bound). */
  perBucket: number[];
}

/** Requests answered, counted and timed per (method, route pattern, status class). */
export class RequestMetrics {
  private readonly series = new Map<string, Series>();

  constructor(readonly buckets: readonly number[] = LATENCY_BUCKETS_S) {}

  /** Count one answered request that took `seconds`. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const cls = statusClass(status);
    const key = `${method} ${cls} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        labels: { method, route, status: cls },
        count: 0,
        sum: 0,
        perBucket: new Array(this.buckets.length + 1).fill(0),
      };
      this.series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    let i = 0;
    while (i < this.buckets.length && seconds > (this.buckets[i] as number)) i++;
    (s.perBucket[i] as number)++;
  }

  /** The request counter and the latency histogram, series ordered by route, method and status. */
  families(): MetricFamily[] {
    const all = [...this.series.values()].sort(
      (a, b) =>
        cmp(a.labels.route, b.labels.route) ||
        cmp(a.labels.method, b.labels.method) ||
        cmp(a.labels.status, b.labels.status),
    );
    return [
      {
        name: "cchc_http_requests_total",
        help: "Requests answered, by method, route pattern and status class.",
        type: "counter",
        samples: all.map((s) => ({ labels: s.labels, value: s.count })),
      },
      {
        name: "cchc_http_request_duration_seconds",
        help: "Time from a request's arrival to its answer, by method, route pattern and status class.",
        type: "histogram",
        buckets: this.buckets,
        samples: all.map((s) => {
          let run = 0;
          const cumulative = this.buckets.map((_, i) => (run += s.perBucket[i] as number));
          return { labels: s.labels, cumulative, sum: s.sum, count: s.count };
        }),
      },
    ];
  }
}

const cmp = (a: string | undefined, b: string | undefined) =>
  (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0;
