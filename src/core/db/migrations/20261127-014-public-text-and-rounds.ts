/**
 * Two changes to the feedback and question workflows.
 *
 * 1. What the public reads of a citizen's text is a reviewed copy: `feedback_items.public_content` and
 *    `questions.public_question`, written at the publish step (personal data masked, then checked by staff); public
 *    pages, the API and the search documents read only these. Items published before this migration get the
 *    automatic redaction of their text now, and their search documents are rewritten from it (a new `seq`, so every
 *    search server picks the change up).
 *
 * 2. A leader can send a draft back (drafted → processing for feedback, drafted → routed for questions), so a status
 *    can now be reached more than once. Until now UNIQUE (item_id, to_status) on the steps made each status happen
 *    at most once, which is what turned fifty identical concurrent requests into one change. The guarantee is kept
 *    per round: items and steps carry a `round` (0 at first, +1 at each send-back, in the same conditional UPDATE
 *    that moves the item) and the key becomes UNIQUE (item_id, round, to_status). Within a round the workflow still
 *    only moves forward, so every status is still reached at most once per round; a new round starts only through a
 *    send-back, itself a step that the conditional UPDATE (`where status = 'drafted' and round = r`) lets one request
 *    take. `return_reason` keeps the leader's latest reason on the item (the history keeps every one in the steps).
 *
 * SQLite cannot drop a constraint declared in CREATE TABLE, so there the steps tables are rebuilt (created anew,
 * copied, swapped); PostgreSQL drops and adds the constraint in place.
 *
 * Frozen: the redaction is this migration's own copy (20261127-014-redact.ts), not the live one.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";
import { redact } from "./20261127-014-redact.ts";

/** The steps table of each workflow: its item column and the tables it refers to. */
const STEPS = [
  { table: "feedback_steps", item: "item_id", items: "feedback_items", constraint: "feedback_steps_once" },
  { table: "question_steps", item: "question_id", items: "questions", constraint: "question_steps_once" },
] as const;

async function roundedSteps(db: Kysely<unknown>, ctx: MigrationContext, s: (typeof STEPS)[number]): Promise<void> {
  if (ctx.dialect === "postgres") {
    await db.schema
      .alterTable(s.table)
      .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable(s.table).dropConstraint(s.constraint).execute();
    await db.schema.alterTable(s.table).addUniqueConstraint(s.constraint, [s.item, "round", "to_status"]).execute();
    return;
  }
  const next = `${s.table}_next`;
  await db.schema
    .createTable(next)
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn(s.item, "integer", (c) => c.notNull().references(`${s.items}.id`))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint(s.constraint, [s.item, "round", "to_status"])
    .execute();
  await sql`insert into ${sql.table(next)} (id, ${sql.ref(s.item)}, from_status, to_status, at, user_id, actor, note, round)
    select id, ${sql.ref(s.item)}, from_status, to_status, at, user_id, actor, note, 0 from ${sql.table(s.table)}`.execute(
    db,
  );
  await db.schema.dropTable(s.table).execute();
  await db.schema.alterTable(next).renameTo(s.table).execute();
}

/** A search title: the text's first line, at most 160 characters (as the features write it). */
function titleOf(text: string): string {
  const first = [...(text.split("\n")[0] ?? "").trim()];
  return first.length > 160 ? `${first.slice(0, 157).join("")}…` : first.join("");
}

async function rewriteSearchDoc(db: Kysely<unknown>, key: string, publicText: string, answer: string | null) {
  const { rows } = await sql<{ m: number | string | null }>`select max(seq) as m from search_docs`.execute(db);
  const seq = Number(rows[0]?.m ?? 0) + 1;
  await sql`update search_docs set title = ${titleOf(publicText)}, body = ${`${publicText}\n${answer ?? ""}`}, seq = ${seq}
    where doc_key = ${key}`.execute(db);
}

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  // SQLite adds one column per statement.
  await db.schema.alterTable("feedback_items").addColumn("public_content", "text").execute();
  await db.schema
    .alterTable("feedback_items")
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("feedback_items").addColumn("return_reason", "text").execute();
  await db.schema.alterTable("questions").addColumn("public_question", "text").execute();
  await db.schema
    .alterTable("questions")
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("questions").addColumn("return_reason", "text").execute();
  for (const s of STEPS) await roundedSteps(db, ctx, s);

  const feedback = await sql<{
    id: number;
    content: string;
    answer_final: string | null;
    name: string | null;
    address: string | null;
    phone: string | null;
    email: string | null;
  }>`select i.id, i.content, i.answer_final, s.name, s.address, s.phone, s.email
    from feedback_items i left join feedback_senders s on s.feedback_id = i.id
    where i.status = 'published' order by i.id`.execute(db);
  for (const r of feedback.rows) {
    const text = redact(r.content, r);
    await sql`update feedback_items set public_content = ${text} where id = ${r.id}`.execute(db);
    await rewriteSearchDoc(db, `feedback:${r.id}`, text, r.answer_final);
  }
  const questions = await sql<{
    id: number;
    question: string;
    answer_final: string | null;
    name: string | null;
    phone: string | null;
    email: string | null;
  }>`select q.id, q.question, q.answer_final, a.name, a.phone, a.email
    from questions q left join question_askers a on a.question_id = q.id
    where q.status = 'published' order by q.id`.execute(db);
  for (const r of questions.rows) {
    const text = redact(r.question, r);
    await sql`update questions set public_question = ${text} where id = ${r.id}`.execute(db);
    await rewriteSearchDoc(db, `answer:${r.id}`, text, r.answer_final);
  }
  await watchAllTables(db, ctx);
}
