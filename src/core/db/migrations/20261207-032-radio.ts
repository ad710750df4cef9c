/**
 * The ward radio (issue 10 §3): bulletins (bản tin) of ordered items with their scripts for a broadcast date and slot,
 * reviewed by the office and approved by a leader, their audio (espeak-ng speech or a human recording, the blob in the
 * file store under its SHA-256, how it was made recorded beside it), the ward's loudspeaker clusters (cụm loa) with
 * an estimated audience, the broadcast log (one row per airing, the ledger activity links back to it), and the
 * abbreviations read aloud: a national default list seeded here (ward_id null) that a ward extends or overrides.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

/** The defaults as of this migration (frozen: later changes are a ward's own rows or a new migration). */
const ABBREVIATIONS: [string, string][] = [
  ["UBND", "Ủy ban nhân dân"],
  ["HĐND", "Hội đồng nhân dân"],
  ["CCHC", "cải cách hành chính"],
  ["TTHC", "thủ tục hành chính"],
  ["BHXH", "bảo hiểm xã hội"],
  ["BHYT", "bảo hiểm y tế"],
  ["MTTQ", "Mặt trận Tổ quốc"],
  ["UBMTTQ", "Ủy ban Mặt trận Tổ quốc"],
  ["CSDL", "cơ sở dữ liệu"],
  ["CCCD", "căn cước công dân"],
  ["DVC", "dịch vụ công"],
  ["DVCTT", "dịch vụ công trực tuyến"],
  ["VNeID", "vê en e ai đi"],
  ["TDP", "tổ dân phố"],
  ["KDC", "khu dân cư"],
  ["CB, CC", "cán bộ, công chức"],
  ["CBCC", "cán bộ, công chức"],
  ["NĐ-CP", "nghị định của Chính phủ"],
  ["QĐ-UBND", "quyết định của Ủy ban nhân dân"],
  ["KH-UBND", "kế hoạch của Ủy ban nhân dân"],
  ["TB-UBND", "thông báo của Ủy ban nhân dân"],
  ["TT-BTP", "thông tư của Bộ Tư pháp"],
  ["QH", "Quốc hội"],
  ["TW", "Trung ương"],
  ["CNTT", "công nghệ thông tin"],
  ["PCCC", "phòng cháy chữa cháy"],
  ["ATGT", "an toàn giao thông"],
  ["THCS", "trung học cơ sở"],
  ["THPT", "trung học phổ thông"],
  ["TP.", "thành phố"],
  ["Tp.", "thành phố"],
];

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("radio_abbreviations")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    // null: the national default; a ward's own row with the same abbreviation overrides it for that ward.
    .addColumn("ward_id", "integer", (c) => c.references("admin_units.id"))
    .addColumn("abbr", "text", (c) => c.notNull())
    .addColumn("reading", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("radio_abbreviations_once", ["ward_id", "abbr"])
    .execute();
  const at = "2026-12-07T00:00:00.000Z";
  await db
    .insertInto("radio_abbreviations" as never)
    .values(ABBREVIATIONS.map(([abbr, reading]) => ({ ward_id: null, abbr, reading, created_at: at })) as never)
    .execute();

  await db.schema
    .createTable("radio_clusters")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull().defaultTo(""))
    // People within hearing of the cluster, as the ward estimates them: a broadcast's listens are their sum.
    .addColumn("audience", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("radio_bulletins")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    .addColumn("title", "text", (c) => c.notNull())
    // Vietnam local date and slot (morning, noon, evening): what the schedule says.
    .addColumn("broadcast_on", "text", (c) => c.notNull())
    .addColumn("slot", "text", (c) => c.notNull())
    // draft → submitted → reviewed → approved → aired; any → withdrawn (aired → withdrawn undoes the ledger row)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("return_reason", "text")
    .addColumn("approved_at", "text")
    .addColumn("withdrawn_reason", "text")
    // Audio: none | queued | ready | failed | unavailable (no espeak-ng: a human recording is awaited)
    .addColumn("audio_state", "text", (c) => c.notNull().defaultTo("none"))
    .addColumn("audio_error", "text")
    .addColumn("audio_sha256", "text")
    .addColumn("audio_mime", "text")
    .addColumn("audio_size", "integer")
    .addColumn("audio_duration_ms", "integer")
    // tts | upload; for tts the voice and the command line that made it, and the SHA-256 of the NFC text it read
    .addColumn("audio_origin", "text")
    .addColumn("audio_voice", "text")
    .addColumn("audio_command", "text")
    .addColumn("audio_text_sha256", "text")
    .addColumn("audio_made_at", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("radio_bulletins_ward_day")
    .on("radio_bulletins")
    .columns(["ward_id", "broadcast_on"])
    .execute();

  await db.schema
    .createTable("radio_items")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("bulletin_id", "integer", (c) => c.notNull().references("radio_bulletins.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("script", "text", (c) => c.notNull())
    .addUniqueConstraint("radio_items_order", ["bulletin_id", "position"])
    .execute();

  await db.schema
    .createTable("radio_bulletin_steps")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("bulletin_id", "integer", (c) => c.notNull().references("radio_bulletins.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("radio_bulletin_steps_once", ["bulletin_id", "round", "to_status"])
    .execute();

  await db.schema
    .createTable("radio_broadcasts")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("bulletin_id", "integer", (c) => c.notNull().references("radio_bulletins.id"))
    .addColumn("aired_on", "text", (c) => c.notNull())
    .addColumn("aired_at", "text", (c) => c.notNull())
    .addColumn("duration_s", "integer", (c) => c.notNull())
    .addColumn("cluster_ids_json", "text", (c) => c.notNull())
    .addColumn("cluster_names", "text", (c) => c.notNull())
    // Estimated listens (lượt nghe): the sum of the clusters' audiences at the time it aired.
    .addColumn("listens", "integer", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    // One airing per bulletin: the bulletin is for one date and slot.
    .addUniqueConstraint("radio_broadcasts_once", ["bulletin_id"])
    .execute();
  await watchAllTables(db, ctx);
}
