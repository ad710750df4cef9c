/**
 * The satisfaction index as server-drawn SVG bars, the approach of plans/charts.tsx: no script, an image with a
 * spoken summary (`role="img"`, `aria-label`, `<title>`), every bar on one fixed 0–100 scale with its figure
 * written beside it, and the same figures as a table after the picture.
 */
import { formatIndex } from "./sipas.ts";

const FONT = "Noto Sans, Liberation Sans, Arial, sans-serif";
const INK = "#1b1b1b";
const BAR = "#1d4f91";
const WIDTH = 640;

export interface IndexBar {
  label: string;
  index: number | null;
}

const clip = (s: string, max: number) => {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : s;
};

const figure = (x: number | null) => (x === null ? "chưa có trả lời" : `${formatIndex(x)}%`);

export function indexChartSummary(title: string, rows: IndexBar[]): string {
  return `${title}. ${rows.map((r) => `${r.label}: ${figure(r.index)}`).join("; ")}.`;
}

/** Horizontal bars, 0–100 %, with the table of the same figures; `head` names the table's first column. */
export function IndexChart({ caption, head, rows }: { caption: string; head: string; rows: IndexBar[] }) {
  if (rows.length === 0) return <p class="muted">Chưa có số liệu.</p>;
  const left = 8;
  const right = 110;
  const rowH = 48;
  const barH = 20;
  const usable = WIDTH - left - right;
  const height = rows.length * rowH + 8;
  const summary = indexChartSummary(caption, rows);
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={WIDTH}
        height={height}
        font-family={FONT}
        font-size="14"
      >
        <title>{summary}</title>
        {rows.map((r, i) => {
          const y = 4 + i * rowH;
          const w = r.index === null ? 0 : (r.index / 100) * usable;
          return (
            <g>
              <text x={left} y={y + 14} fill={INK} font-weight="700">
                {clip(r.label, 72)}
              </text>
              <rect x={left} y={y + 20} width={usable} height={barH} fill="none" stroke="#505a5f" stroke-width="1" />
              {w > 0 ? <rect x={left} y={y + 20} width={Math.max(2, w)} height={barH} fill={BAR} /> : null}
              <text x={left + usable + 6} y={y + 35} fill={INK}>
                {r.index === null ? "—" : `${formatIndex(r.index)}%`}
              </text>
            </g>
          );
        })}
      </svg>
      {/* Named after its chart: a page with several charts would otherwise have regions of one name. */}
      <section class="table-wrap" aria-label={`Số liệu: ${caption}`} tabindex={0}>
        <table class="chart-data">
          <caption>Số liệu của biểu đồ: {caption.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col">Chỉ số hài lòng (%)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.label}</th>
                <td>{r.index === null ? "Chưa có trả lời" : formatIndex(r.index)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </figure>
  );
}
