/**
 * Horizontal bars drawn on the server as SVG (no script, readable on a cheap phone, printable): an image with a
 * spoken summary (`role="img"`, `aria-label`, `<title>`), one row per bar with its label above and its figure
 * written out. Callers put the same figures in a table after it, so nothing is conveyed by the picture alone.
 * `framed`: every bar is drawn against its full 0–100 % frame, the figure at the frame's end (an index); otherwise
 * bars are relative to the largest and the figure follows the bar (a count).
 */
export const CHART_FONT = "Noto Sans, Liberation Sans, Arial, sans-serif";
export const CHART_INK = "#1b1b1b";
/** ≥ 3:1 against white. */
export const BAR_COLOUR = "#1d4f91";
/**
 * Drawn at a phone's width, in CSS pixels: the picture shrinks to fit a narrower screen, and its text with it. At
 * 360 units and 15 px text, a 360 px phone (328 px of content) still shows the labels at 13.7 px; a 640-unit chart
 * showed them at about 5 px. Labels are cut to what fits on one line at that size.
 */
export const CHART_WIDTH = 360;
export const CHART_FONT_SIZE = 15;
export const CHART_LABEL_CHARS = 40;

export interface Bar {
  label: string;
  /** 0–1 of the usable width; null draws no bar. */
  fraction: number | null;
  figure: string;
}

/** Cut a label to `max` characters (whole code points), with an ellipsis. */
export const clip = (s: string, max: number) => {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : s;
};

export function BarsSvg({ summary, bars, framed = false }: { summary: string; bars: Bar[]; framed?: boolean }) {
  const left = 8;
  const right = framed ? 110 : 120;
  const rowH = 48;
  const barH = 20;
  const usable = CHART_WIDTH - left - right;
  const height = bars.length * rowH + 8;
  return (
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
      {bars.map((b, i) => {
        const y = 4 + i * rowH;
        const w = b.fraction === null ? 0 : b.fraction * usable;
        return (
          <g>
            <text x={left} y={y + 14} fill={CHART_INK} font-weight="700">
              {clip(b.label, CHART_LABEL_CHARS)}
            </text>
            {framed ? (
              <rect x={left} y={y + 20} width={usable} height={barH} fill="none" stroke="#505a5f" stroke-width="1" />
            ) : null}
            {w > 0 ? <rect x={left} y={y + 20} width={Math.max(2, w)} height={barH} fill={BAR_COLOUR} /> : null}
            <text x={framed ? left + usable + 6 : left + Math.max(2, w) + 6} y={y + 35} fill={CHART_INK}>
              {b.figure}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
