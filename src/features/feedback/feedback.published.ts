/**
 * Published answers to feedback, in public: the ward's list (newest first, paged, searched with Vietnamese folding
 * through the site search), one answer by its public id, and the search document each publication writes, so /tim-kiem
 * finds answers too. Only the item's own public fields are read: never its sender, never its tracking code (which with
 * a phone number opens the sender's own record), never the answer as approved (only its checked public copy).
 */
import type { Kysely, Transaction } from "kysely";
import type { Db } from "../../core/db/connection.ts";
import type { Database } from "../../core/db/schema.ts";
import type { Ward } from "../../core/web/context.ts";
import { allMatches, cleanQuery, fresh, wardScopes } from "../search/search.service.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import * as q from "./feedback.published.sql.ts";
import { type ContentType, PUBLISHED_PAGE_SIZE, type Subject } from "./feedback.schemas.ts";

/** Search documents of published feedback: this kind, keyed `feedback:{id}`. */
export const SEARCH_KIND = "feedback";
const docKey = (id: number) => `${SEARCH_KIND}:${id}`;

/** The public address of one published answer (by its public id), without the ward's base. */
export const publishedPath = (publicId: string) => `/gop-y/da-tra-loi/${publicId}`;

/** A published item as the public sees it: no sender, no workflow detail. */
export interface PublishedAnswer {
  /** The public id (never the tracking code). */
  id: string;
  subject: Subject;
  contentType: ContentType;
  procedureCode: string | null;
  content: string;
  answer: string;
  publishedAt: string;
}

export interface PublishedPage {
  query: string;
  /** Not every word of `query` matched as typed: the items are close matches. */
  approximate: boolean;
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  items: PublishedAnswer[];
}

const answerOf = (r: q.PublishedRow): PublishedAnswer => ({
  id: r.public_id ?? "",
  subject: r.subject as Subject,
  contentType: r.content_type as ContentType,
  procedureCode: r.procedure_code,
  content: r.public_content ?? "",
  answer: r.public_answer ?? "",
  publishedAt: r.published_at ?? "",
});

/** One page of a ward's published answers, newest first; `q` keeps those the site search matches (folded). */
export async function publishedAnswers(
  db: Db,
  ward: Ward,
  opts: { q?: string; page?: number },
): Promise<PublishedPage> {
  const query = cleanQuery(opts.q);
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  let ids: number[] | null = null;
  let approximate = false;
  if (query) {
    const s = await fresh(db);
    const prefix = `${SEARCH_KIND}:`;
    ids = allMatches(s, ward, query, [SEARCH_KIND])
      .filter((key) => key.startsWith(prefix))
      .map((key) => Number(key.slice(prefix.length)));
    // Typos and partial matches still find answers, but the page says they are only close.
    approximate = s.index.search(query, {
      scope: wardScopes(ward),
      kinds: [SEARCH_KIND],
      synonyms: s.synonymsFor(ward),
      limit: 1,
    }).approximate;
  }
  const size = PUBLISHED_PAGE_SIZE;
  const { rows, total } = await q.publishedPage(db.kysely, ward.unit.id, ids, size, (page - 1) * size);
  return {
    query,
    approximate,
    total,
    page,
    pageSize: size,
    pages: Math.ceil(total / size),
    items: rows.map(answerOf),
  };
}

/** One published answer of a ward by its public id; null when there is none (or it is not published). */
export async function publishedAnswerById(db: Db, wardId: number, publicId: string): Promise<PublishedAnswer | null> {
  const row = await q.publishedByPublicId(db.kysely, wardId, publicId);
  return row ? answerOf(row) : null;
}

/** A search title: the content's first line, at most 160 characters. */
function titleOf(content: string): string {
  const first = [...(content.split("\n")[0] ?? "").trim()];
  return first.length > 160 ? `${first.slice(0, 157).join("")}…` : first.join("");
}

/**
 * Write a published item's search document, inside the publishing transaction: its reviewed public text and public
 * answer, found by its procedure code too; scoped to its ward. No personal data goes in: neither the sender, nor the
 * texts as typed, nor the tracking code.
 */
export async function indexPublished(
  trx: Kysely<Database> | Transaction<Database>,
  item: {
    id: number;
    ward_id: number;
    public_id: string;
    procedure_code: string | null;
  },
  publicContent: string,
  publicAnswer: string,
): Promise<void> {
  const doc = {
    key: docKey(item.id),
    kind: "feedback",
    title: titleOf(publicContent),
    body: `${publicContent}\n${publicAnswer}`,
    keywords: [item.procedure_code ?? "", "phản ánh kiến nghị"].filter(Boolean).join(" "),
    url: publishedPath(item.public_id),
    scope: `unit:${item.ward_id}`,
  };
  await writeSearchDoc(trx, doc, await nextSearchSeq(trx));
}
