/** A library entry's row in the site search (`search_docs`, kind `legal`), scoped to its ward. */
import type { Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import { documentName } from "./documents.rules.ts";
import * as q from "./documents.sql.ts";

export async function writeDocumentSearch(trx: Transaction<Database>, wardId: number, id: number): Promise<void> {
  const d = await q.documentOf(trx, [wardId], id);
  const seq = await nextSearchSeq(trx);
  if (!d) {
    await writeSearchDoc(
      trx,
      { key: `legal:${id}`, kind: "legal", title: "", body: "", keywords: "", url: "", scope: "", deleted: true },
      seq,
    );
    return;
  }
  const name = documentName(d);
  await writeSearchDoc(
    trx,
    {
      key: `legal:${id}`,
      kind: "legal",
      title: d.title && d.number ? `${name}: ${d.title}` : name,
      body: [d.issuer ?? "", d.note].filter(Boolean).join(". "),
      keywords: [d.number ?? "", d.kind, d.year ? String(d.year) : ""].join(" "),
      url: `/van-ban/${d.id}`,
      scope: `unit:${d.ward_id}`,
    },
    seq,
  );
}
