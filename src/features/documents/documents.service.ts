/**
 * The library read and changed: entries with their status on the day (computed, never stored), their relations
 * from both sides; staff create and complete entries, relate them, record status events, confirm or split a
 * plan's uncertain match. Every change is of the user's own ward, in one transaction with its audit record and
 * its search row.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { findPersonal } from "../../core/text/redact.ts";
import { fold, foldWords, nfc } from "../../core/text/vi.ts";
import { type FieldErrors, type Validated, validate } from "../../core/web/validation.ts";
import { issuerKey } from "../plans/references.ts";
import { insertCitedEntry } from "./citations.ts";
import {
  type Cited,
  type DocumentStatus,
  documentName,
  matchCited,
  numberKeyOf,
  type RelationView,
  relationFrom,
  statusOfFilter,
  statusOn,
  storedRelation,
  titleKeyOf,
  yearInNumber,
} from "./documents.rules.ts";
import { type DocumentInput, documentForm, eventForm, relationForm } from "./documents.schemas.ts";
import { writeDocumentSearch } from "./documents.search.ts";
import * as q from "./documents.sql.ts";

type Db = Kysely<Database>;

export interface LibraryStaff {
  id: number;
  username: string;
  ward_id: number;
}
const actorOf = (u: LibraryStaff): Actor => ({ userId: u.id, name: u.username, wardId: u.ward_id });

export interface Entry {
  d: q.DocumentRow;
  name: string;
  status: DocumentStatus | null;
  /** Each relation from this document's side, with the stored row's id. */
  relations: (RelationView & { id: number; other: { id: number; number: string | null; name: string } })[];
}

/** The wards' entries with their status on `today` and their relations, newest first. */
export async function libraryOf(db: Db, wardIds: readonly number[], today: string): Promise<Entry[]> {
  const rows = await q.documentsOf(db, wardIds);
  return entriesOf(db, wardIds, rows, rows, today);
}

/** One entry, or null when the wards have none with that id. */
export async function entryOf(db: Db, wardIds: readonly number[], id: number, today: string): Promise<Entry | null> {
  const all = await q.documentsOf(db, wardIds);
  const row = all.find((d) => d.id === id);
  if (!row) return null;
  return (await entriesOf(db, wardIds, [row], all, today))[0] ?? null;
}

async function entriesOf(
  db: Db,
  wardIds: readonly number[],
  rows: readonly q.DocumentRow[],
  all: readonly q.DocumentRow[],
  today: string,
): Promise<Entry[]> {
  const ids = rows.map((d) => d.id);
  const byId = new Map(all.map((d) => [d.id, d]));
  const [events, relations] = await Promise.all([
    q.eventsOfDocuments(db, wardIds, ids),
    q.relationsOfDocuments(db, wardIds, ids),
  ]);
  return rows.map((d) => {
    const mine = relations.filter((r) => r.from_id === d.id || r.to_id === d.id);
    const endedBy = mine
      .filter(
        (r) => r.to_id === d.id && (r.kind === "replaces" || r.kind === "abrogates" || r.kind === "abrogates_partly"),
      )
      .map((r) => ({ partly: r.kind === "abrogates_partly", on: byId.get(r.from_id)?.effective_from ?? null }));
    const status = statusOn(
      {
        kind: d.kind,
        number: d.number,
        issuer: d.issuer,
        effectiveFrom: d.effective_from,
        expiresOn: d.expires_on,
        events: events.filter((e) => e.document_id === d.id).map((e) => ({ kind: e.kind, onDate: e.on_date })),
        endedBy,
      },
      today,
    );
    return {
      d,
      name: documentName(d),
      status,
      relations: mine.flatMap((r) => {
        const v = relationFrom(d.id, r);
        const o = byId.get(v.otherId);
        return o ? [{ ...v, id: r.id, other: { id: o.id, number: o.number, name: documentName(o) } }] : [];
      }),
    };
  });
}

export interface LibraryFilter {
  q?: string;
  status?: string;
  kind?: string;
  issuer?: string;
  year?: number;
}

/** The entries a filter keeps; an unknown status keeps none. Words of `q` must all be in the number, name or issuer. */
export function filterLibrary(entries: readonly Entry[], f: LibraryFilter): Entry[] {
  const words = f.q ? foldWords(f.q).split(" ").filter(Boolean) : [];
  const status = f.status ? statusOfFilter(f.status) : null;
  const kind = f.kind ? fold(nfc(f.kind)).trim() : "";
  const issuer = f.issuer ? issuerKey(nfc(f.issuer)) : "";
  return entries.filter((e) => {
    if (f.status && (status === null || (status === "none" ? e.status !== null : e.status !== status))) return false;
    if (kind && fold(e.d.kind) !== kind) return false;
    if (issuer && !` ${e.d.issuer_key} `.includes(` ${issuer} `)) return false;
    if (f.year && e.d.year !== f.year) return false;
    if (words.length) {
      const hay = ` ${foldWords(`${e.d.number ?? ""} ${e.name} ${e.d.title ?? ""} ${e.d.issuer ?? ""}`)} `;
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Staff changes
// ---------------------------------------------------------------------------------------------------------------

type Failure = { ok: false; status: 400 | 404 | 409; errors: FieldErrors };
const notFound = (what = "Không tìm thấy văn bản."): Failure => ({ ok: false, status: 404, errors: { _: what } });

function columnsOf(v: DocumentInput) {
  const year = v.year ?? (v.issuedOn ? Number(v.issuedOn.slice(0, 4)) : yearInNumber(v.number));
  return {
    kind: v.kind,
    number: v.number,
    number_key: numberKeyOf(v.number),
    issuer: v.issuer,
    issuer_key: issuerKey(v.issuer),
    year,
    title: v.title,
    title_key: titleKeyOf(v.title),
    issued_on: v.issuedOn,
    effective_from: v.effectiveFrom,
    expires_on: v.expiresOn,
    official_url: v.officialUrl,
    note: v.note,
  };
}

function personalIn(v: DocumentInput): FieldErrors | null {
  for (const [key, label, text] of [
    ["title", "Trích yếu", v.title ?? ""],
    ["note", "Ghi chú", v.note],
  ] as const) {
    const found = findPersonal(text)[0];
    if (found)
      return {
        [key]: `Phần “${label}” được công khai nên không ghi thông tin cá nhân (“${text.slice(found.start, found.end)}”).`,
      };
  }
  return null;
}

/** Another entry of the ward that is surely the same document, for the "already in the library" message. */
async function duplicateOf(db: Db, wardId: number, cols: ReturnType<typeof columnsOf>, selfId: number | null) {
  const key = {
    kind: cols.kind,
    number_key: cols.number_key,
    issuer_key: cols.issuer_key,
    year: cols.year,
    title_key: cols.title_key,
  };
  return (await q.documentsOf(db, [wardId])).find((d) => d.id !== selfId && matchCited(key, d) === "same") ?? null;
}

const duplicateError = (d: q.DocumentRow): FieldErrors => ({
  number: `Văn bản này đã có trong thư viện: ${documentName(d)} (mục số ${d.id}).`,
});

export async function createDocument(
  db: Db,
  user: LibraryStaff,
  raw: unknown,
  now: Date,
): Promise<Validated<{ id: number }>> {
  const v = validate(documentForm, raw);
  if (!v.ok) return v;
  const problem = personalIn(v.value);
  if (problem) return { ok: false, errors: problem };
  const cols = columnsOf(v.value);
  const dup = await duplicateOf(db, user.ward_id, cols, null);
  if (dup) return { ok: false, errors: duplicateError(dup) };
  const id = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: user.ward_id,
      ...cols,
      incomplete: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const docId = await q.insertDocument(trx, row);
    await writeDocumentSearch(trx, user.ward_id, docId);
    await audit(
      trx,
      actorOf(user),
      { action: "document.create", entity: "legal_document", entityId: docId, after: row },
      now,
    );
    return docId;
  });
  return { ok: true, value: { id } };
}

export async function editDocument(
  db: Db,
  user: LibraryStaff,
  id: number,
  raw: unknown,
  now: Date,
): Promise<Validated<{ id: number }> | Failure> {
  const current = await q.documentOf(db, [user.ward_id], id);
  if (!current) return notFound();
  const v = validate(documentForm, raw);
  if (!v.ok) return v;
  const problem = personalIn(v.value);
  if (problem) return { ok: false, errors: problem };
  const cols = columnsOf(v.value);
  const dup = await duplicateOf(db, user.ward_id, cols, id);
  if (dup) return { ok: false, errors: duplicateError(dup) };
  await db.transaction().execute(async (trx) => {
    const changes = { ...cols, incomplete: 0, updated_at: now.toISOString() };
    await q.updateDocument(trx, user.ward_id, id, changes);
    await writeDocumentSearch(trx, user.ward_id, id);
    await audit(
      trx,
      actorOf(user),
      { action: "document.edit", entity: "legal_document", entityId: id, before: current, after: changes },
      now,
    );
  });
  return { ok: true, value: { id } };
}

/** Relate two entries of the ward; the form's choice says which side acts. A document related to itself is refused. */
export async function addRelation(
  db: Db,
  user: LibraryStaff,
  id: number,
  raw: unknown,
  now: Date,
): Promise<Validated<{ id: number }> | Failure> {
  if (!(await q.documentOf(db, [user.ward_id], id))) return notFound();
  const v = validate(relationForm, raw);
  if (!v.ok) return v;
  if (v.value.otherId === id)
    return { ok: false, errors: { otherId: "Một văn bản không thể có quan hệ với chính nó. Chọn văn bản khác." } };
  if (!(await q.documentOf(db, [user.ward_id], v.value.otherId)))
    return { ok: false, errors: { otherId: "Văn bản liên quan không có trong thư viện của phường, xã này." } };
  const rel = storedRelation(id, v.value.otherId, v.value.relation);
  if (!rel) return { ok: false, errors: { relation: "Chọn quan hệ trong danh sách." } };
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("legal_relations")
      .select("id")
      .where("ward_id", "=", user.ward_id)
      .where("kind", "=", rel.kind)
      .where((eb) =>
        eb.or([
          eb.and([eb("from_id", "=", rel.fromId), eb("to_id", "=", rel.toId)]),
          eb.and([eb("from_id", "=", rel.toId), eb("to_id", "=", rel.fromId)]),
        ]),
      )
      .executeTakeFirst();
    if (existing)
      return { ok: false as const, status: 409 as const, errors: { relation: "Hai văn bản đã có quan hệ này." } };
    const row = {
      ward_id: user.ward_id,
      from_id: rel.fromId,
      to_id: rel.toId,
      kind: rel.kind,
      created_at: now.toISOString(),
    };
    const r = await trx.insertInto("legal_relations").values(row).returning("id").executeTakeFirstOrThrow();
    await audit(
      trx,
      actorOf(user),
      { action: "document.relate", entity: "legal_document", entityId: id, after: row },
      now,
    );
    return { ok: true as const, value: { id: Number(r.id) } };
  });
}

export async function removeRelation(db: Db, user: LibraryStaff, id: number, relationId: number, now: Date) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("legal_relations")
      .selectAll()
      .where("ward_id", "=", user.ward_id)
      .where("id", "=", relationId)
      .where((eb) => eb.or([eb("from_id", "=", id), eb("to_id", "=", id)]))
      .executeTakeFirst();
    if (!row) return false;
    await trx.deleteFrom("legal_relations").where("id", "=", row.id).execute();
    await audit(
      trx,
      actorOf(user),
      { action: "document.unrelate", entity: "legal_document", entityId: id, before: row },
      now,
    );
    return true;
  });
}

/** Record an explicit change of legal effect (suspension, partial expiry …) on a date. */
export async function addStatusEvent(
  db: Db,
  user: LibraryStaff,
  id: number,
  raw: unknown,
  now: Date,
): Promise<Validated<{ id: number }> | Failure> {
  if (!(await q.documentOf(db, [user.ward_id], id))) return notFound();
  const v = validate(eventForm, raw);
  if (!v.ok) return v;
  return db.transaction().execute(async (trx) => {
    const row = {
      ward_id: user.ward_id,
      document_id: id,
      kind: v.value.kind,
      on_date: v.value.onDate,
      note: v.value.note,
      created_at: now.toISOString(),
    };
    const r = await trx.insertInto("legal_document_events").values(row).returning("id").executeTakeFirstOrThrow();
    await q.updateDocument(trx, user.ward_id, id, { updated_at: now.toISOString() });
    await audit(
      trx,
      actorOf(user),
      { action: "document.status_event", entity: "legal_document", entityId: id, after: row },
      now,
    );
    return { ok: true as const, value: { id: Number(r.id) } };
  });
}

export async function removeStatusEvent(db: Db, user: LibraryStaff, id: number, eventId: number, now: Date) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("legal_document_events")
      .selectAll()
      .where("ward_id", "=", user.ward_id)
      .where("document_id", "=", id)
      .where("id", "=", eventId)
      .executeTakeFirst();
    if (!row) return false;
    await trx.deleteFrom("legal_document_events").where("id", "=", row.id).execute();
    await q.updateDocument(trx, user.ward_id, id, { updated_at: now.toISOString() });
    await audit(
      trx,
      actorOf(user),
      { action: "document.status_event_remove", entity: "legal_document", entityId: id, before: row },
      now,
    );
    return true;
  });
}

/**
 * An uncertain match settled by staff: confirmed (the plan cites this entry), or split (the citation is another
 * document: a new entry to complete, made from the citation as the plan wrote it).
 */
export async function settleCitation(
  db: Db,
  user: LibraryStaff,
  citationId: number,
  decision: "confirm" | "split",
  now: Date,
): Promise<{ ok: true; documentId: number } | Failure> {
  return db.transaction().execute(async (trx) => {
    const c = await q.citationOf(trx, user.ward_id, citationId);
    if (!c) return notFound("Không tìm thấy trích dẫn.");
    if (!c.uncertain)
      return { ok: false as const, status: 409 as const, errors: { _: "Trích dẫn này đã được xác nhận." } };
    let documentId = c.document_id;
    if (decision === "split") {
      const cited = JSON.parse(c.cited_json) as Cited;
      documentId = await insertCitedEntry(trx, user.ward_id, cited, now.toISOString());
      await writeDocumentSearch(trx, user.ward_id, documentId);
    }
    await trx
      .updateTable("legal_citations")
      .set({ uncertain: 0, document_id: documentId })
      .where("id", "=", c.id)
      .execute();
    await audit(
      trx,
      actorOf(user),
      {
        action: decision === "confirm" ? "document.citation_confirm" : "document.citation_split",
        entity: "legal_document",
        entityId: documentId,
        before: { document_id: c.document_id },
        after: { document_id: documentId, plan_id: c.plan_id },
      },
      now,
    );
    return { ok: true as const, documentId };
  });
}
