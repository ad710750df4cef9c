import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeLabelValue, formatMetrics, formatValue, RequestMetrics, statusClass } from "./metrics.ts";

test("counters and gauges: HELP, TYPE, one line per sample, labels escaped, a final line feed", () => {
  const text = formatMetrics([
    {
      name: "x_total",
      help: "Things counted.\nTwo lines \\ here.",
      type: "counter",
      samples: [{ labels: { route: '/a "b"\\c\nd' }, value: 3 }, { value: 0 }],
    },
    { name: "y_bytes", help: "Bytes.", type: "gauge", samples: [{ value: 1.5 }] },
  ]);
  assert.equal(
    text,
    [
      "# HELP x_total Things counted.\\nTwo lines \\\\ here.",
      "# TYPE x_total counter",
      'x_total{route="/a \\"b\\"\\\\c\\nd"} 3',
      "x_total 0",
      "# HELP y_bytes Bytes.",
      "# TYPE y_bytes gauge",
      "y_bytes 1.5",
      "",
    ].join("\n"),
  );
});

test("a histogram: cumulative buckets with le, then +Inf (= count), _sum and _count", () => {
  const text = formatMetrics([
    {
      name: "d_seconds",
      help: "Durations.",
      type: "histogram",
      buckets: [0.1, 1],
      samples: [{ labels: { route: "/" }, cumulative: [1, 2], sum: 2.75, count: 3 }],
    },
  ]);
  assert.equal(
    text,
    [
      "# HELP d_seconds Durations.",
      "# TYPE d_seconds histogram",
      'd_seconds_bucket{route="/",le="0.1"} 1',
      'd_seconds_bucket{route="/",le="1"} 2',
      'd_seconds_bucket{route="/",le="+Inf"} 3',
      'd_seconds_sum{route="/"} 2.75',
      'd_seconds_count{route="/"} 3',
      "",
    ].join("\n"),
  );
});

test("bad names, a family listed twice and mismatched bucket counts are refused", () => {
  assert.throws(() => formatMetrics([{ name: "a-b", help: "", type: "gauge", samples: [] }]), /bad metric name/);
  assert.throws(
    () => formatMetrics([{ name: "a", help: "", type: "gauge", samples: [{ labels: { "1x": "v" }, value: 1 }] }]),
    /bad label name/,
  );
  assert.throws(
    () =>
      formatMetrics([
        { name: "a", help: "", type: "gauge", samples: [] },
        { name: "a", help: "", type: "gauge", samples: [] },
      ]),
    /twice/,
  );
  assert.throws(
    () =>
      formatMetrics([
        { name: "h", help: "", type: "histogram", buckets: [1, 2], samples: [{ cumulative: [1], sum: 1, count: 1 }] },
      ]),
    /1 counts for 2 buckets/,
  );
});

test("values and label values as the format writes them", () => {
  assert.equal(formatValue(Number.POSITIVE_INFINITY), "+Inf");
  assert.equal(formatValue(Number.NEGATIVE_INFINITY), "-Inf");
  assert.equal(formatValue(Number.NaN), "NaN");
  assert.equal(formatValue(42), "42");
  assert.equal(escapeLabelValue('a"b'), 'a\\"b');
  assert.equal(statusClass(204), "2xx");
  assert.equal(statusClass(503), "5xx");
});

test("request metrics: one series per method, route and status class; buckets cumulative; an observation on a bound counts in it", () => {
  const m = new RequestMetrics([0.1, 1]);
  m.observe("GET", "/tin-tuc/:id", 200, 0.05);
  m.observe("GET", "/tin-tuc/:id", 204, 0.1);
  m.observe("GET", "/tin-tuc/:id", 200, 3);
  m.observe("GET", "/tin-tuc/:id", 404, 0.5);
  m.observe("POST", "/gop-y", 303, 0.2);
  const [counter, histogram] = m.families();
  assert.ok(counter && histogram, "a counter and a histogram");
  assert.equal(counter.type, "counter");
  if (counter.type !== "counter") return;
  assert.deepEqual(
    counter.samples.map((s) => [s.labels, s.value]),
    [
      [{ method: "POST", route: "/gop-y", status: "3xx" }, 1],
      [{ method: "GET", route: "/tin-tuc/:id", status: "2xx" }, 3],
      [{ method: "GET", route: "/tin-tuc/:id", status: "4xx" }, 1],
    ],
  );
  assert.equal(histogram.type, "histogram");
  if (histogram.type !== "histogram") return;
  const ok = histogram.samples.find((s) => s.labels?.route === "/tin-tuc/:id" && s.labels.status === "2xx");
  assert.ok(ok, "the 2xx series of /tin-tuc/:id");
  assert.deepEqual(ok.cumulative, [2, 2], "0.05 and 0.1 are ≤ 0.1; 3 s is above every bound");
  assert.equal(ok.count, 3);
  assert.equal(ok.sum, 3.15);
  const text = formatMetrics(m.families());
  assert.ok(
    text.includes(
      'cchc_http_request_duration_seconds_bucket{method="GET",route="/tin-tuc/:id",status="2xx",le="+Inf"} 3',
    ),
    `the +Inf bucket holds every observation:\n${text}`,
  );
});
