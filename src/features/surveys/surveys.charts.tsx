/**
 * The satisfaction index as server-drawn SVG bars, the approach of plans/charts.tsx: no script, an image with a
 * spoken summary (`role="img"`, `aria-label`, `<title>`), every bar on one fixed 0–100 scale with its figure
 * written beside it, and the same figures as a table after the picture.
 */
import { BarsSvg } from "../../core/web/bar-chart.tsx";
import { formatIndex } from "./sipas.ts";

export interface IndexBar {
  label: string;
  index: number | null;
}

const figure = (x: number | null) => (x === null ? "chưa có trả lời" : `${formatIndex(x)}%`);

export function indexChartSummary(title: string, rows: IndexBar[]): string {
  return `${title}. ${rows.map((r) => `${r.label}: ${figure(r.index)}`).join("; ")}.`;
}

/** Horizontal bars, 0–100 %, with the table of the same figures; `head` names the table's first column. */
export function IndexChart({ caption, head, rows }: { caption: string; head: string; rows: IndexBar[] }) {
  if (rows.length === 0) return <p class="muted">Chưa có số liệu.</p>;
  const summary = indexChartSummary(caption, rows);
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <BarsSvg
        framed
        summary={summary}
        bars={rows.map((r) => ({
          label: r.label,
          fraction: r.index === null ? null : r.index / 100,
          figure: r.index === null ? "—" : `${formatIndex(r.index)}%`,
        }))}
      />
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
