/**
 * The hook through which the procedure API orders results for a query `q`.
 *
 * TEMPORARY: a plain folded-substring filter (every word of the query must appear in the folded code, name or
 * field), keeping the catalogue's order. The search engine (src/core/search/) replaces this body with its real
 * ranking; callers rely only on the signature: the matching entries, best first.
 */
import { foldWords } from "../../core/text/vi.ts";

/** What a ranked entry needs to carry; the entries come back as given, filtered and ordered. */
export interface RankableProcedure {
  code: string;
  name: string;
  field: string;
}

/** The entries matching `q`, best first. */
export function rankProcedures<T extends RankableProcedure>(q: string, entries: T[]): T[] {
  const words = foldWords(q).split(" ").filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const text = ` ${foldWords(`${e.code} ${e.name} ${e.field}`)} `;
    return words.every((w) => text.includes(w));
  });
}
