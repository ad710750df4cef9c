/** Highlighting: HTML-escaped text with `<mark>` around the syllables a query matched (compared on folded forms). */
import { nfc } from "../text/vi.ts";
import { tokenize } from "./analyze.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The text, HTML-escaped, with each run of matched syllables wrapped in one `<mark>` (syllables separated by spaces
 * only join the same run). `isMatch` receives a syllable's search form (see analyze.ts); the text keeps its own
 * letters, tone marks and case. Returned text is NFC.
 */
export function highlight(text: string, isMatch: (folded: string) => boolean): string {
  const src = nfc(text);
  let out = "";
  let at = 0;
  let open = false;
  for (const t of tokenize(src)) {
    if (!isMatch(t.folded)) continue;
    const gap = src.slice(at, t.start);
    if (open && /^[ \t]+$/.test(gap)) out += gap;
    else {
      if (open) out += "</mark>";
      out += `${escapeHtml(gap)}<mark>`;
    }
    out += escapeHtml(src.slice(t.start, t.end));
    open = true;
    at = t.end;
  }
  if (open) out += "</mark>";
  return out + escapeHtml(src.slice(at));
}
