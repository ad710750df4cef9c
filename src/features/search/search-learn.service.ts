/**
 * What staff learn from the search log (search-log.ts) and act on: the most frequent queries that found nothing or
 * whose results nobody opened over a period, and the ward's best bets — a document pinned as the first answer to a
 * query (searchSite reads them per query, so a pin counts at once on every server). A lexicon entry added from the
 * same page goes through the synonym table's own `addSynonym`.
 */
import { sql } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Db } from "../../core/db/connection.ts";
import { nfc } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { cleanQuery, fresh, mayShow, queryKey } from "./search.service.ts";
import { flushSearchLog } from "./search-log.ts";

/** Rows of each list on the staff page. */
export const LIST_LIMIT = 50;

/** One query as the log saw it over a period. */
export interface LoggedQuery {
  key: string;
  /** As typed (one of the spellings folded to `key`). */
  query: string;
  searches: number;
  opens: number;
  /** The most results any of its searches found. */
  results: number;
  lastDay: string;
}

/**
 * The most frequent queries of a ward (`unitId`; null: every ward, for an operator) between two days (inclusive)
 * that found nothing (`zero`) and that found something nobody opened (`unopened`). What waits in this process's
 * memory is written first.
 */
export async function failedQueries(
  db: Db,
  unitId: number | null,
  from: string,
  to: string,
): Promise<{ zero: LoggedQuery[]; unopened: LoggedQuery[] }> {
  await flushSearchLog(db);
  const list = async (which: "zero" | "unopened") => {
    let q = db.kysely
      .selectFrom("search_log")
      .select([
        "query_key",
        sql<string>`max(query)`.as("query"),
        sql<number | string>`sum(searches)`.as("searches"),
        sql<number | string>`sum(opens)`.as("opens"),
        sql<number | string | null>`max(results)`.as("results"),
        sql<string>`max(day)`.as("last_day"),
      ])
      .where("day", ">=", from)
      .where("day", "<=", to);
    if (unitId !== null) q = q.where("unit_id", "=", unitId);
    const rows = await q
      .groupBy("query_key")
      .having(sql`sum(searches)`, ">", 0)
      .having(sql`max(results)`, which === "zero" ? "=" : ">", 0)
      .$if(which === "unopened", (qb) => qb.having(sql`sum(opens)`, "=", 0))
      .orderBy(sql`sum(searches)`, "desc")
      .orderBy("query_key")
      .limit(LIST_LIMIT)
      .execute();
    return rows.map((r) => ({
      key: r.query_key,
      query: r.query,
      searches: Number(r.searches),
      opens: Number(r.opens),
      results: Number(r.results ?? 0),
      lastDay: r.last_day,
    }));
  };
  return { zero: await list("zero"), unopened: await list("unopened") };
}

export interface BestBet {
  id: number;
  query: string;
  docKey: string;
  /** The document's title, or null when it is no longer searchable (the pin is then ignored). */
  title: string | null;
  createdAt: string;
}

/** A ward's best bets, by query. */
export async function listBestBets(db: Db, ward: Ward): Promise<BestBet[]> {
  const s = await fresh(db);
  const rows = await db.kysely
    .selectFrom("search_best_bets")
    .select(["id", "query", "query_key", "doc_key", "created_at"])
    .where("unit_id", "=", ward.unit.id)
    .orderBy("query_key")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    query: r.query,
    docKey: r.doc_key,
    title: mayShow(s, ward, r.doc_key) ? (s.metaOf(r.doc_key)?.title ?? null) : null,
    createdAt: r.created_at,
  }));
}

export type PinErrors = Partial<Record<"query" | "code", string>>;

/** The procedure code at the start of what staff typed or picked ("1.001193 — Đăng ký khai sinh" → "1.001193"). */
const codeOf = (text: string) => nfc(text).trim().split(/\s+/)[0] ?? "";

/**
 * Pin a procedure (by its code) as the first answer to a query in the ward's own search; replaces the ward's pin
 * for the same folded query. Only a procedure this ward's visitors may see. Audited in the same transaction.
 */
export async function pinBestBet(
  db: Db,
  actor: Actor,
  ward: Ward,
  input: { query: string; code: string },
  now: Date,
): Promise<{ ok: true; query: string; title: string } | { ok: false; errors: PinErrors }> {
  const query = cleanQuery(nfc(input.query)).toLowerCase();
  const key = queryKey(query);
  const code = codeOf(input.code);
  const errors: PinErrors = {};
  if (!key) errors.query = "Nhập câu tìm kiếm cần ghim câu trả lời.";
  const docKey = `procedure:${code}`;
  const s = await fresh(db);
  if (!code) errors.code = "Chọn hoặc nhập mã thủ tục, ví dụ 1.001193.";
  else if (!mayShow(s, ward, docKey))
    errors.code = `Không có thủ tục mã «${code}» trong danh mục của ${ward.unit.name}.`;
  if (Object.keys(errors).length) return { ok: false, errors };
  const title = s.metaOf(docKey)?.title ?? code;
  await db.kysely.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("search_best_bets")
      .selectAll()
      .where("unit_id", "=", ward.unit.id)
      .where("query_key", "=", key)
      .executeTakeFirst();
    if (before) await trx.deleteFrom("search_best_bets").where("id", "=", before.id).execute();
    const row = await trx
      .insertInto("search_best_bets")
      .values({
        unit_id: ward.unit.id,
        query_key: key,
        query,
        doc_key: docKey,
        created_by: actor.userId,
        created_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      actor,
      {
        action: "search.best_bet.pin",
        entity: "search_best_bet",
        entityId: row.id,
        wardId: ward.unit.id,
        before: before ? { query: before.query, docKey: before.doc_key } : undefined,
        after: { query, docKey },
      },
      now,
    );
  });
  return { ok: true, query, title };
}

/** Unpin one of the ward's best bets: its query, or null when the ward has none with this id. Audited. */
export async function unpinBestBet(db: Db, actor: Actor, ward: Ward, id: number, now: Date): Promise<string | null> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("search_best_bets")
      .selectAll()
      .where("id", "=", id)
      .where("unit_id", "=", ward.unit.id)
      .executeTakeFirst();
    if (!row) return null;
    await trx.deleteFrom("search_best_bets").where("id", "=", id).execute();
    await audit(
      trx,
      actor,
      {
        action: "search.best_bet.remove",
        entity: "search_best_bet",
        entityId: id,
        wardId: ward.unit.id,
        before: { query: row.query, docKey: row.doc_key },
      },
      now,
    );
    return row.query;
  });
}
