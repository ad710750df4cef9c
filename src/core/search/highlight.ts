/** Highlighting: HTML-escaped text with `<mark>` around the syllables a query matched (compared on folded forms). */
import { nfc } from "../text/vi.ts";
import { type Token, tokenize } from "./analyze.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The text, HTML-escaped, with each run of matched syllables wrapped in one `<mark>` (syllables separated by spaces
 * only join the same run). `isMatch` receives a syllable's search form (see analyze.ts); the text keeps its own
 * letters, tone marks and case. Returned text is NFC.
 *
 * `phrase`: the query was several words, so what it means is a phrase ("giấy chứng nhận quyền sử dụng đất" for
 * "sổ đỏ"): only runs of two or more matched syllables are marked — a lone "đất" or "nhận" elsewhere in the title
 * merely happens to occur — unless the title has no such run, when every matched syllable is marked.
 */
export function highlight(text: string, isMatch: (folded: string) => boolean, opts: { phrase?: boolean } = {}): string {
  const src = nfc(text);
  const tokens = tokenize(src);
  const matched = tokens.map((t) => isMatch(t.folded));
  const joins = (i: number) => /^[ \t]+$/.test(src.slice((tokens[i - 1] as Token).end, (tokens[i] as Token).start));
  // Runs of matched syllables: [first, last] token indexes.
  const runs: [number, number][] = [];
  tokens.forEach((_, i) => {
    if (!matched[i]) return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1 && joins(i)) last[1] = i;
    else runs.push([i, i]);
  });
  const long = runs.filter(([a, b]) => b > a);
  const shown = opts.phrase && long.length > 0 ? long : runs;
  let out = "";
  let at = 0;
  for (const [a, b] of shown) {
    const start = (tokens[a] as Token).start;
    const end = (tokens[b] as Token).end;
    out += `${escapeHtml(src.slice(at, start))}<mark>${escapeHtml(src.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(src.slice(at));
}
