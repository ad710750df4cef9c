/**
 * An announced event in the site search (kind `event`): written in the transaction that approves it, marked deleted
 * in the one that withdraws it, so the search finds exactly the events the public list shows as going ahead or held.
 * Only what the public page shows goes in: name, kind, time, place, units, description (checked for personal data
 * when written and again when approved). Migration 033 wrote the same text for the events approved before it.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { formatDate } from "../../core/text/vi.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import { EVENT_KINDS } from "./events.rules.ts";
import type { EventRow } from "./events.sql.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const eventDocKey = (id: number) => `event:${id}`;

/** The search text of an event, as its public page words it. */
export function eventSearchBody(e: EventRow): string {
  const partners = JSON.parse(e.partners_json) as string[];
  return [
    `${EVENT_KINDS[e.kind as keyof typeof EVENT_KINDS] ?? e.kind}, ${e.starts_at}–${e.ends_at} ngày ${formatDate(e.starts_on)}, tại ${e.place}.`,
    `Đơn vị tổ chức: ${e.org_unit_name}${partners.length ? `; phối hợp: ${partners.join("; ")}` : ""}.`,
    e.description,
  ]
    .filter(Boolean)
    .join("\n");
}

/** Write (or rewrite) an announced event's search document, in the caller's transaction. */
export async function indexEvent(trx: Q, e: EventRow): Promise<void> {
  await writeSearchDoc(
    trx,
    {
      key: eventDocKey(e.id),
      kind: "event",
      title: e.title,
      body: eventSearchBody(e),
      keywords: "hội nghị sinh hoạt sự kiện",
      url: `/su-kien/${e.id}`,
      scope: `unit:${e.ward_id}`,
    },
    await nextSearchSeq(trx),
  );
}

/** Take a withdrawn channel item (event, news, radio bulletin) out of the search, in the caller's transaction. */
export async function unindexChannelItem(
  trx: Q,
  kind: "event" | "news" | "radio",
  item: { id: number; title: string; ward_id: number },
  url: string,
): Promise<void> {
  await writeSearchDoc(
    trx,
    {
      key: `${kind}:${item.id}`,
      kind,
      title: item.title,
      body: "",
      keywords: "",
      url,
      scope: `unit:${item.ward_id}`,
      deleted: true,
    },
    await nextSearchSeq(trx),
  );
}

/** Take a withdrawn event out of the search, in the caller's transaction. */
export const unindexEvent = (trx: Q, e: EventRow) => unindexChannelItem(trx, "event", e, `/su-kien/${e.id}`);
