import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ActivitiesByAreaChart,
  areaChartSummary,
  STATE_COLOURS,
  StatusByUnitChart,
  statusChartSummary,
} from "./charts.tsx";
import { type AreaProgress, emptyCounts, type UnitProgress } from "./progress.ts";

const html = (node: unknown) => String(node);

const units: UnitProgress[] = [
  {
    unitId: 1,
    unitName: "Văn phòng – Thống kê",
    counts: { ...emptyCounts(), done: 3, in_progress: 2, overdue: 1 },
    total: 6,
  },
  { unitId: 2, unitName: '<script>alert("x")</script> & Đoàn', counts: { ...emptyCounts(), not_started: 4 }, total: 4 },
];

const areas: AreaProgress[] = [
  {
    code: "2.1",
    title: "Cải cách thủ tục hành chính",
    pillar: "procedures",
    activities: 12,
    audience: 1500,
    cost: 2_500_000,
  },
  { code: "2.2", title: "Chính quyền số <b>", pillar: "e_government", activities: 0, audience: 0, cost: 0 },
];

describe("StatusByUnitChart", () => {
  const out = html(StatusByUnitChart({ rows: units }));

  test("is an image with a spoken summary carrying the figures", () => {
    assert.match(out, /<svg[^>]*role="img"/);
    assert.match(
      out,
      /<svg[^>]*aria-label="[^"]*Văn phòng – Thống kê: 6 nhiệm vụ \(3 hoàn thành, 2 đang thực hiện, 0 chưa bắt đầu, 1 quá hạn\)/,
    );
    assert.match(out, /<title>Tình trạng nhiệm vụ theo đơn vị chủ trì\./);
    assert.equal(statusChartSummary(units).includes("4 nhiệm vụ"), true);
  });

  test("is followed by the same figures as a table", () => {
    assert.match(out, /<table class="chart-data">/);
    assert.match(
      out,
      /<th scope="row">Văn phòng – Thống kê<\/th><td>3<\/td><td>2<\/td><td>0<\/td><td>1<\/td><td>6<\/td>/,
    );
  });

  test("escapes unit names everywhere", () => {
    assert.doesNotMatch(out, /<script>/);
    assert.match(out, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; Đoàn/);
  });

  test("draws one segment per non-empty state, in the state colours", () => {
    assert.equal((out.match(new RegExp(`fill="${STATE_COLOURS.done}"`, "g")) ?? []).length, 2); // legend + one bar
    assert.equal((out.match(new RegExp(`fill="${STATE_COLOURS.not_started}"`, "g")) ?? []).length, 2);
  });

  test("says so when there is nothing to draw", () => {
    assert.match(html(StatusByUnitChart({ rows: [] })), /Chưa có nhiệm vụ nào/);
  });
});

describe("ActivitiesByAreaChart", () => {
  const out = html(ActivitiesByAreaChart({ rows: areas }));

  test("summary and table carry counts, audience and cost", () => {
    assert.match(out, /role="img"/);
    assert.equal(
      areaChartSummary(areas),
      "Số hoạt động tuyên truyền theo nội dung. 2.1. Cải cách thủ tục hành chính: 12 hoạt động; 2.2. Chính quyền số <b>: 0 hoạt động.",
    );
    assert.match(out, /<td>12<\/td><td>1\.500<\/td><td>2\.500\.000<\/td>/);
    assert.match(out, /Cải cách thủ tục hành chính<\/td>/); // the pillar's label
  });

  test("escapes area titles", () => {
    assert.doesNotMatch(out, /<b>/);
    assert.match(out, /Chính quyền số &lt;b&gt;/);
  });
});
