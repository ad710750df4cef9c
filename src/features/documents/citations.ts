/**
 * A plan's cited documents become library entries of its ward, in the transaction that stores the plan: each
 * citation is matched to the ward's entries (documents.rules.ts `findEntry`: number, issuer and year; laws by name
 * and year), linked to the one it names — flagged for staff when the match is uncertain — or makes a new entry to
 * complete. Re-importing a plan rewrites its citations; entries stay (staff may have completed them).
 * Also the channels' entry point: `mentionDocuments` records that a document was made known.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { nfc } from "../../core/text/vi.ts";
import { referencesOf } from "../plans/plans.sql.ts";
import { type Cited, documentNumbersIn, type EntryKey, findEntry, keyOfCited, numberKeyOf } from "./documents.rules.ts";
import { writeDocumentSearch } from "./documents.search.ts";
import * as q from "./documents.sql.ts";

type Trx = Transaction<Database>;
/** A channel's step runs in a transaction typed as the database (core/workflow.ts): either is accepted. */
type Q = Kysely<Database> | Transaction<Database>;

/**
 * Link (or create) the entries of every document the plan cites, in the library of `wardId`: the ward that holds
 * the plan today (a plan issued by a commune since merged into it is stored under that commune's unit, but the
 * library is the current ward's). Returns the ids of the entries created.
 */
export async function citePlanDocuments(trx: Trx, wardId: number, planId: number, now: string): Promise<number[]> {
  await trx.deleteFrom("legal_citations").where("plan_id", "=", planId).execute();
  // The plans feature's own read (its citations were just deleted: no entry is linked yet).
  const refs = await referencesOf(trx, planId);
  const entries: EntryKey[] = (await q.documentsOf(trx, [wardId])).map((d) => ({
    id: d.id,
    kind: d.kind,
    number_key: d.number_key,
    issuer_key: d.issuer_key,
    year: d.year,
    title_key: d.title_key,
  }));
  const created: number[] = [];
  for (const r of refs) {
    const cited: Cited = {
      kind: r.kind,
      number: r.number,
      title: r.title,
      issuedOn: r.issued_on,
      issuer: r.issuer,
      year: r.year,
    };
    const found = findEntry(cited, entries);
    let documentId: number;
    if (found) {
      documentId = found.id;
      if (!found.uncertain) await fillGaps(trx, wardId, documentId, cited, now);
    } else {
      const key = keyOfCited(cited);
      documentId = await insertCitedEntry(trx, wardId, cited, now);
      entries.push({ id: documentId, ...key });
      created.push(documentId);
    }
    await trx
      .insertInto("legal_citations")
      .values({
        ward_id: wardId,
        plan_id: planId,
        position: r.position,
        document_id: documentId,
        cited_json: JSON.stringify(cited),
        uncertain: found?.uncertain ? 1 : 0,
        created_at: now,
      })
      .execute();
  }
  for (const id of created) await writeDocumentSearch(trx, wardId, id);
  return created;
}

/** A new entry to complete, holding what a plan cited (its search row is the caller's to write). */
export async function insertCitedEntry(trx: Trx, wardId: number, cited: Cited, now: string): Promise<number> {
  const key = keyOfCited(cited);
  return q.insertDocument(trx, {
    ward_id: wardId,
    kind: nfc(cited.kind),
    number: cited.number,
    number_key: key.number_key,
    issuer: cited.issuer,
    issuer_key: key.issuer_key,
    year: key.year,
    title: cited.title,
    title_key: key.title_key,
    issued_on: cited.issuedOn,
    incomplete: 1,
    created_at: now,
    updated_at: now,
  });
}

/** What a later citation knows that an entry still to complete lacks: its date, issuer, subject. */
async function fillGaps(trx: Trx, wardId: number, id: number, c: Cited, now: string) {
  const d = await q.documentOf(trx, [wardId], id);
  if (!d?.incomplete) return;
  const changes = {
    ...(d.issued_on === null && c.issuedOn ? { issued_on: c.issuedOn } : {}),
    ...(d.issuer === null && c.issuer ? { issuer: c.issuer, issuer_key: keyOfCited(c).issuer_key } : {}),
    ...(d.title === null && c.title ? { title: c.title, title_key: keyOfCited(c).title_key } : {}),
  };
  if (Object.keys(changes).length === 0) return;
  await q.updateDocument(trx, wardId, id, { ...changes, updated_at: now });
  await writeDocumentSearch(trx, wardId, id);
}

export interface MentionInput {
  /** The channel item's kind ("event", "news", "bulletin" …) and id: one mention per document and item. */
  source: string;
  sourceRef: string | number;
  /** The day it was made known (ISO). */
  on: string;
  /** How, as the document page says it: "Hội nghị", "Tin, bài", "Đài truyền thanh" … */
  channel: string;
}

/**
 * Record that documents of the ward were made known by a channel item, in the caller's transaction. Ids of
 * another ward's entries are ignored (a ward speaks only of its own library); a repeated call updates the date
 * and channel. Returns how many documents were recorded.
 */
export async function mentionDocuments(
  trx: Q,
  wardId: number,
  documentIds: readonly number[],
  m: MentionInput,
  now: Date = new Date(),
): Promise<number> {
  const own = await q.ownDocumentIds(trx, wardId, [...new Set(documentIds)]);
  await recordMentions(trx, wardId, own, m, now);
  return own.length;
}

/** One upsert of the mentions of these entries (already known to be the ward's). */
async function recordMentions(trx: Q, wardId: number, own: readonly number[], m: MentionInput, now: Date) {
  const sourceRef = String(m.sourceRef);
  const channel = nfc(m.channel);
  const createdAt = now.toISOString();
  await q.upsertMentions(
    trx,
    own.map((id) => ({
      ward_id: wardId,
      document_id: id,
      source: m.source,
      source_ref: sourceRef,
      on_date: m.on,
      channel,
      created_at: createdAt,
    })),
  );
}

/** Take back a channel item's mentions (the item was withdrawn). */
export async function unmentionDocuments(trx: Q, wardId: number, source: string, sourceRef: string | number) {
  await q.deleteMentions(trx, wardId, source, String(sourceRef));
}

/**
 * Record the ward's documents a channel item names by number in its text (see `documentNumbersIn`). A number
 * carrying its year names one document; a local number ("18/KH-UBND", numbers restart every year) only when the
 * library holds a single entry with it, so an ambiguous one is never guessed. Returns how many were recorded.
 */
export async function mentionNamedDocuments(
  trx: Q,
  wardId: number,
  text: string,
  m: MentionInput,
  now: Date = new Date(),
): Promise<number> {
  const keys = [...new Set(documentNumbersIn(text).map((n) => numberKeyOf(n)))].filter((k): k is string => !!k);
  if (keys.length === 0) return 0;
  const rows = await q.documentsByNumberKeys(trx, wardId, keys);
  const byKey = new Map<string, number[]>();
  for (const r of rows) byKey.set(r.number_key ?? "", [...(byKey.get(r.number_key ?? "") ?? []), r.id]);
  const ids = [...byKey.values()].filter((list) => list.length === 1).map((list) => Number(list[0]));
  await recordMentions(trx, wardId, ids, m, now);
  return ids.length;
}
