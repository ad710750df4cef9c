/**
 * Progress charts drawn on the server as SVG: no script, readable on a cheap phone, printable. Each picture is an
 * image with a spoken summary (`role="img"` + `aria-label` + `<title>`), followed by the same figures as a table,
 * so nothing is conveyed by colour or shape alone. Colours keep at least 3:1 against white (bars) and 4.5:1 for
 * the white figures drawn on them; segments are separated by white gaps.
 */

import {
  BarsSvg,
  CHART_FONT,
  CHART_FONT_SIZE,
  CHART_INK,
  CHART_LABEL_CHARS,
  CHART_WIDTH,
  clip,
} from "../../core/web/bar-chart.tsx";
import { PILLARS, type PillarCode } from "./plan-draft.ts";
import { type AreaProgress, formatNumber, STATUS_LABELS, type TaskState, type UnitProgress } from "./progress.ts";

/** Left to right in a bar. */
const SEGMENTS: readonly TaskState[] = ["done", "in_progress", "not_started", "overdue"];

/** Fill per state; white text on each has ≥ 6:1 contrast. */
export const STATE_COLOURS: Record<TaskState, string> = {
  done: "#00703c",
  in_progress: "#1d4f91",
  not_started: "#505a5f",
  overdue: "#b10e1e",
};

/** The sentence a screen reader hears for the status chart. */
export function statusChartSummary(rows: UnitProgress[]): string {
  const parts = rows.map(
    (r) =>
      `${r.unitName}: ${r.total} nhiệm vụ (${SEGMENTS.map((s) => `${r.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`).join(", ")})`,
  );
  return `Tình trạng nhiệm vụ theo đơn vị chủ trì. ${parts.join("; ")}.`;
}

/** Horizontal stacked bars: one per lead unit, segments per task state, bars on one common scale. */
export function StatusByUnitChart({
  rows,
  caption = "Tình trạng nhiệm vụ theo đơn vị",
}: {
  rows: UnitProgress[];
  caption?: string;
}) {
  if (rows.length === 0) return <p class="muted">Chưa có nhiệm vụ nào.</p>;
  const left = 8;
  const right = 110;
  // The legend in two columns of two: four labels side by side do not fit a phone.
  const legendH = 56;
  const rowH = 48;
  const barH = 20;
  const usable = CHART_WIDTH - left - right;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const height = legendH + rows.length * rowH + 8;
  const summary = statusChartSummary(rows);
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        width={CHART_WIDTH}
        height={height}
        font-family={CHART_FONT}
        font-size={CHART_FONT_SIZE}
      >
        <title>{summary}</title>
        <g>
          {SEGMENTS.map((s, i) => (
            <g>
              <rect
                x={left + (i % 2) * 175}
                y={8 + Math.floor(i / 2) * 22}
                width={14}
                height={14}
                fill={STATE_COLOURS[s]}
              />
              <text x={left + (i % 2) * 175 + 20} y={20 + Math.floor(i / 2) * 22} fill={CHART_INK}>
                {STATUS_LABELS[s]}
              </text>
            </g>
          ))}
        </g>
        {rows.map((r, i) => {
          const y = legendH + i * rowH;
          let x = left;
          return (
            <g>
              <text x={left} y={y + 14} fill={CHART_INK} font-weight="700">
                {clip(r.unitName, CHART_LABEL_CHARS)}
              </text>
              {SEGMENTS.map((s) => {
                const n = r.counts[s];
                if (n === 0) return null;
                const w = (n / max) * usable;
                const segX = x;
                x += w;
                return (
                  <g>
                    <rect x={segX} y={y + 20} width={Math.max(0, w - 2)} height={barH} fill={STATE_COLOURS[s]} />
                    {w >= 22 ? (
                      <text x={segX + (w - 2) / 2} y={y + 35} fill="#ffffff" text-anchor="middle" font-weight="700">
                        {String(n)}
                      </text>
                    ) : null}
                  </g>
                );
              })}
              <text x={x + 6} y={y + 35} fill={CHART_INK}>
                {`${r.total} nhiệm vụ`}
              </text>
            </g>
          );
        })}
      </svg>
      <section class="table-wrap" aria-label="Số liệu của biểu đồ" tabindex={0}>
        <table class="chart-data">
          <caption>Số liệu của biểu đồ: {caption.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Đơn vị chủ trì</th>
              {SEGMENTS.map((s) => (
                <th scope="col">{STATUS_LABELS[s]}</th>
              ))}
              <th scope="col">Tổng</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.unitName}</th>
                {SEGMENTS.map((s) => (
                  <td>{formatNumber(r.counts[s])}</td>
                ))}
                <td>{formatNumber(r.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </figure>
  );
}

const areaName = (a: AreaProgress) => (a.code ? `${a.code}. ${a.title}` : a.title);

/** The sentence a screen reader hears for the activities chart. */
export function areaChartSummary(rows: AreaProgress[]): string {
  const parts = rows.map((a) => `${areaName(a)}: ${formatNumber(a.activities)} hoạt động`);
  return `Số hoạt động tuyên truyền theo nội dung. ${parts.join("; ")}.`;
}

/** Horizontal bars: activities recorded per content area of the plan. */
export function ActivitiesByAreaChart({
  rows,
  caption = "Hoạt động tuyên truyền theo nội dung",
}: {
  rows: AreaProgress[];
  caption?: string;
}) {
  if (rows.length === 0) return <p class="muted">Kế hoạch chưa có nội dung tuyên truyền nào được xếp lĩnh vực.</p>;
  const max = Math.max(1, ...rows.map((r) => r.activities));
  const summary = areaChartSummary(rows);
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <BarsSvg
        summary={summary}
        bars={rows.map((a) => ({
          label: areaName(a),
          fraction: a.activities / max,
          figure: `${formatNumber(a.activities)} hoạt động`,
        }))}
      />
      <section class="table-wrap" aria-label="Số liệu của biểu đồ" tabindex={0}>
        <table class="chart-data">
          <caption>Số liệu của biểu đồ: {caption.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Nội dung</th>
              <th scope="col">Lĩnh vực cải cách</th>
              <th scope="col">Số hoạt động</th>
              <th scope="col">Số lượt người được tiếp cận</th>
              <th scope="col">Kinh phí (đồng)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr>
                <th scope="row">{areaName(a)}</th>
                <td>{a.pillar ? (PILLARS[a.pillar as PillarCode] ?? a.pillar) : "Chưa xếp lĩnh vực"}</td>
                <td>{formatNumber(a.activities)}</td>
                <td>{formatNumber(a.audience)}</td>
                <td>{formatNumber(a.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </figure>
  );
}
