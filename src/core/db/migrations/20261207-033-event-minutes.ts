/**
 * Minutes (biên bản) of a held event (issue 10 §4), written by its unit in the staff pages and exported as a
 * Decree 30 document: one row per event, kept as staff last saved it (each save is audited with what it replaced).
 * Staff-only: nothing here is public (it names the chair and the secretary).
 *
 * Announced events become findable by the site search: every event already approved or held gets its
 * `search_docs` row here (new ones get it from the approve step), with the text of the event as the public page
 * shows it. The wording below is this migration's own frozen copy of what events.search.ts writes.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

const KINDS: Record<string, string> = {
  conference: "Hội nghị, tập huấn",
  residential: "Sinh hoạt khu dân cư, tổ dân phố",
  union: "Sinh hoạt Mặt trận, đoàn thể",
  integrated: "Cuộc họp có lồng ghép nội dung cải cách hành chính",
};

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("event_minutes")
    .addColumn("event_id", "integer", (c) => c.primaryKey().references("events.id"))
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    // "HH:MM", Vietnam time, on the event's day: when it actually opened and closed.
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("ended_at", "text", (c) => c.notNull())
    .addColumn("chair_name", "text", (c) => c.notNull())
    .addColumn("chair_title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("secretary_name", "text", (c) => c.notNull())
    .addColumn("secretary_title", "text", (c) => c.notNull().defaultTo(""))
    // Thành phần tham dự, as written (the counts by group come from the event's attendance).
    .addColumn("attendees", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("agenda", "text", (c) => c.notNull())
    .addColumn("opinions", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("conclusions", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  const { rows } = await sql<{
    id: number;
    ward_id: number;
    kind: string;
    title: string;
    description: string;
    place: string;
    starts_on: string;
    starts_at: string;
    ends_at: string;
    partners_json: string;
    unit: string;
  }>`select e.id, e.ward_id, e.kind, e.title, e.description, e.place, e.starts_on, e.starts_at, e.ends_at,
            e.partners_json, o.name as unit
       from events e join org_units o on o.id = e.org_unit_id
      where e.status in ('approved', 'held') order by e.id`.execute(db);
  if (rows.length) {
    const max = await sql<{ m: number | string | null }>`select max(seq) as m from search_docs`.execute(db);
    let seq = Number(max.rows[0]?.m ?? 0) + 1;
    for (const e of rows) {
      const partners = JSON.parse(e.partners_json) as string[];
      const [y, m, d] = e.starts_on.split("-");
      const body = [
        `${KINDS[e.kind] ?? e.kind}, ${e.starts_at}–${e.ends_at} ngày ${d}/${m}/${y}, tại ${e.place}.`,
        `Đơn vị tổ chức: ${e.unit}${partners.length ? `; phối hợp: ${partners.join("; ")}` : ""}.`,
        e.description,
      ]
        .filter(Boolean)
        .join("\n");
      const key = `event:${e.id}`;
      await sql`delete from search_docs where doc_key = ${key}`.execute(db);
      await sql`insert into search_docs (doc_key, kind, title, body, keywords, url, scope, deleted, seq)
                values (${key}, 'event', ${e.title}, ${body}, ${"hội nghị sinh hoạt sự kiện"}, ${`/su-kien/${e.id}`},
                        ${`unit:${e.ward_id}`}, 0, ${seq++})`.execute(db);
    }
  }
  await watchAllTables(db, ctx);
}
