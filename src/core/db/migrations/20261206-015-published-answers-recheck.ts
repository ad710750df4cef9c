/**
 * Published answers get what the public may read of them checked as a whole, and an address of their own.
 *
 * 1. `public_answer` (feedback_items, questions): the staff answer as the public reads it. Until now the answer went
 *    out unchanged — a published answer named a private person with her phone number on /gop-y/da-tra-loi and in
 *    the site search. From now on the publish step runs the same redaction over it as over the citizen's text.
 * 2. `public_id`: the public address of a published answer (`/gop-y/da-tra-loi/{id}`, `/hoi-dap/{id}`), unique, never
 *    the tracking code (which with a phone number opens the citizen's own record) nor the row id.
 * 3. Every answer already published is re-checked with the redaction as it is now (src/core/text/redact.ts, with the
 *    sender's or asker's own data): its public text and its answer. One that passes keeps being published, with a
 *    public id, `public_answer` = its answer, and its search document rewritten (new address, no tracking code).
 *    One that fails is unpublished for staff review: back to the status it is published from (feedback `decided`,
 *    questions `approved`) in a new round (so publishing again is a new step), its search document marked deleted,
 *    a step and an audit record saying why. Its activity in the plan's ledger stays: it was answered.
 *
 * The redaction it checks with is its own frozen copy (20261206-015-redact.ts: the live one as it was at 015), as is
 * the public id generator below: a migration writes into a new database what it wrote into an old one. A later,
 * smarter redaction re-checks through a new migration.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import { findPersonal } from "./20261206-015-redact.ts";

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten characters, a letter first, as src/features/answerable/public-id.ts makes them (copied: frozen). */
function publicId(): string {
  const out: string[] = [];
  const buf = new Uint8Array(32);
  while (out.length < 10) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      const range = out.length === 0 ? 23 : ALPHABET.length;
      if (out.length < 10 && b < 256 - (256 % range)) out.push(ALPHABET[b % range] as string);
    }
  }
  return out.join("");
}

function titleOf(text: string): string {
  const first = [...(text.split("\n")[0] ?? "").trim()];
  return first.length > 160 ? `${first.slice(0, 157).join("")}…` : first.join("");
}

async function nextSeq(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ m: number | string | null }>`select max(seq) as m from search_docs`.execute(db);
  return Number(rows[0]?.m ?? 0) + 1;
}

const KIND_WORDS: Record<string, string> = {
  name: "họ tên",
  address: "địa chỉ",
  phone: "số điện thoại",
  email: "thư điện tử",
  id: "số giấy tờ tùy thân",
};

interface Published {
  id: number;
  ward_id: number;
  round: number;
  procedure_code: string | null;
  public_text: string | null;
  answer_final: string | null;
  name: string | null;
  address?: string | null;
  phone: string | null;
  email: string | null;
}

/** The two workflows, as they are at this migration. */
const KINDS = [
  {
    entity: "feedback",
    items: "feedback_items",
    steps: "feedback_steps",
    stepItem: "item_id",
    publicText: "public_content",
    back: "decided",
    docKey: (id: number) => `feedback:${id}`,
    path: (pid: string) => `/gop-y/da-tra-loi/${pid}`,
    keywords: (r: Published) => [r.procedure_code ?? "", "phản ánh kiến nghị"].filter(Boolean).join(" "),
    select: sql<Published>`select i.id, i.ward_id, i.round, i.procedure_code, i.public_content as public_text,
      i.answer_final, s.name, s.address, s.phone, s.email
      from feedback_items i left join feedback_senders s on s.feedback_id = i.id
      where i.status = 'published' order by i.id`,
  },
  {
    entity: "question",
    items: "questions",
    steps: "question_steps",
    stepItem: "question_id",
    publicText: "public_question",
    back: "approved",
    docKey: (id: number) => `answer:${id}`,
    path: (pid: string) => `/hoi-dap/${pid}`,
    keywords: (r: Published) => r.procedure_code ?? "",
    select: sql<Published>`select q.id, q.ward_id, q.round, q.procedure_code, q.public_question as public_text,
      q.answer_final, a.name, a.phone, a.email
      from questions q left join question_askers a on a.question_id = q.id
      where q.status = 'published' order by q.id`,
  },
] as const;

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  for (const k of KINDS) {
    await db.schema.alterTable(k.items).addColumn("public_answer", "text").execute();
    await db.schema.alterTable(k.items).addColumn("public_id", "text").execute();
    await db.schema.createIndex(`${k.items}_public_id`).on(k.items).column("public_id").unique().execute();
  }
  const now = new Date().toISOString();
  for (const k of KINDS) {
    const { rows } = await k.select.execute(db);
    for (const r of rows) {
      const known = { name: r.name, address: r.address ?? null, phone: r.phone, email: r.email };
      const text = r.public_text ?? "";
      const answer = r.answer_final ?? "";
      const found = [...findPersonal(text, known), ...findPersonal(answer, known)];
      if (found.length === 0 && r.public_text != null) {
        const pid = publicId();
        await sql`update ${sql.table(k.items)} set public_answer = ${answer}, public_id = ${pid}
          where id = ${r.id}`.execute(db);
        await sql`update search_docs set title = ${titleOf(text)}, body = ${`${text}\n${answer}`},
          keywords = ${k.keywords(r)}, url = ${k.path(pid)}, seq = ${await nextSeq(db)}
          where doc_key = ${k.docKey(r.id)}`.execute(db);
        continue;
      }
      const kinds = [...new Set(found.map((f) => KIND_WORDS[f.kind] ?? f.kind))].join(", ");
      const note = `Gỡ công bố khi rà soát lại: nội dung công khai còn ${kinds || "chưa được rà soát"}. Hãy rà soát và công bố lại.`;
      const round = Number(r.round) + 1;
      await sql`update ${sql.table(k.items)} set status = ${k.back}, round = ${round}, published_at = null,
        ${sql.ref(k.publicText)} = null, public_answer = null, public_id = null where id = ${r.id}`.execute(db);
      await sql`insert into ${sql.table(k.steps)} (${sql.ref(k.stepItem)}, from_status, to_status, at, user_id, actor, note, round)
        values (${r.id}, 'published', ${k.back}, ${now}, null, 'system', ${note}, ${round})`.execute(db);
      await sql`update search_docs set deleted = 1, seq = ${await nextSeq(db)}
        where doc_key = ${k.docKey(r.id)}`.execute(db);
      await sql`insert into audit_log (at, ward_id, user_id, actor, action, entity, entity_id, before_json, after_json)
        values (${now}, ${r.ward_id}, null, 'system', ${`${k.entity}.unpublish`}, ${k.entity}, ${String(r.id)},
          ${JSON.stringify({ status: "published" })}, ${JSON.stringify({ status: k.back, round, found: kinds })})`.execute(
        db,
      );
    }
  }
}
