/**
 * How the procedure API orders the entries it lists for a query `q`: by the site search (features/search), the
 * procedures a ward's visitors may see, so the API and the search page rank alike. Entries the search index no
 * longer holds (abolished and replaced procedures leave it; the API still lists them on request) are ranked among
 * themselves by the same engine, on their name, code and field, after the others. A procedure the ward pinned as
 * the best answer to the query comes first.
 */
import type { Db } from "../../core/db/connection.ts";
import { SearchIndex } from "../../core/search/index.ts";
import type { Ward } from "../../core/web/context.ts";
import { allMatches, cleanQuery, fresh, queryKey } from "../search/search.service.ts";
import { bestBetOf } from "../search/search.sql.ts";

/** What a ranked entry needs to carry; the entries come back as given, filtered and ordered. */
export interface RankableProcedure {
  code: string;
  name: string;
  field: string;
}

const docId = (code: string) => `procedure:${code}`;

/** The entries matching `q`, best first. */
export async function rankProcedures<T extends RankableProcedure>(
  db: Db,
  ward: Ward,
  q: string,
  entries: T[],
): Promise<T[]> {
  const query = cleanQuery(q);
  if (!query) return entries;
  const s = await fresh(db);
  const byId = new Map(entries.map((e) => [docId(e.code), e]));
  const out: T[] = [];
  for (const id of allMatches(s, ward, query, ["procedure"])) {
    const e = byId.get(id);
    if (e) out.push(e);
  }
  const rest = entries.filter((e) => !s.index.has(docId(e.code)));
  if (rest.length) {
    const idx = new SearchIndex();
    for (const e of rest)
      idx.upsert({ id: docId(e.code), kind: "procedure", title: e.name, keywords: `${e.code} ${e.field}` });
    for (let offset = 0; offset < rest.length; offset += 200) {
      const r = idx.search(query, { synonyms: s.synonymsFor(ward), limit: 200, offset, candidateCap: rest.length });
      for (const h of r.items) {
        const e = byId.get(h.id);
        if (e) out.push(e);
      }
      if (r.items.length < 200) break;
    }
  }
  // The ward's best bet for this query (search-learn.service.ts) comes first here too, as on the search page.
  const bet = byId.get((await bestBetOf(db.kysely, ward.unit.id, queryKey(query))) ?? "");
  return bet ? [bet, ...out.filter((e) => e !== bet)] : out;
}
