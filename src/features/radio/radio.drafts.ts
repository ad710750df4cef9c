/**
 * Bulletin items written from the portal's data, each a readable Vietnamese paragraph the officer then edits:
 * the procedures put in force, changed or abolished since the last bulletin (by a decision, at the ward's level or
 * its province's or its own), answers to feedback and questions published since then (their public text only),
 * the meetings announced for the next two weeks, and the documents of the ward's library that took effect since (or
 * take effect within the month), with their number, issuer, subject and day. Each is read through its own feature's
 * exported query (the same rule its pages and the report's figures use); only the bulletins are read here.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { documentsTakingEffect } from "../documents/documents.sql.ts";
import { EVENT_KINDS } from "../events/events.rules.ts";
import { comingEvents } from "../events/events.sql.ts";
import { publishedSince as feedbackPublishedSince } from "../feedback/feedback.published.sql.ts";
import { procedureChangeLists } from "../procedures/procedures.figures.ts";
import { publishedSince as questionsPublishedSince } from "../questions/questions.sql.ts";

type Db = Kysely<Database>;

export interface DraftItem {
  title: string;
  script: string;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const clip = (text: string, max: number) => {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 20))}…`;
};

/** The day the last bulletin that went (or goes) on air was for; else 30 days ago. */
export async function lastBulletinDay(db: Db, ward: Ward, today: string): Promise<string> {
  const r = await db
    .selectFrom("radio_bulletins")
    .select((eb) => eb.fn.max("broadcast_on").as("day"))
    .where("ward_id", "in", ward.scopeIds)
    .where("status", "in", ["approved", "aired"])
    .where("broadcast_on", "<=", today)
    .executeTakeFirst();
  return (r?.day as string | null) ?? addDays(today, -30);
}

const KIND_WORDS = {
  newInForce: { title: "Thủ tục hành chính mới được công bố", verb: "được công bố mới, áp dụng" },
  changed: { title: "Thủ tục hành chính được sửa đổi, bổ sung", verb: "được sửa đổi, bổ sung, áp dụng" },
  abolished: { title: "Thủ tục hành chính bị bãi bỏ", verb: "bị bãi bỏ" },
} as const;

async function procedureItems(db: Db, ward: Ward, since: string, today: string): Promise<DraftItem[]> {
  // The procedures feature's rule, the one the report's figures count by (a decision's versions, at the ward's level).
  const lists = await procedureChangeLists(db, ward, { from: addDays(since, 1), to: addDays(today, 30) });
  const out: DraftItem[] = [];
  for (const kind of ["newInForce", "changed", "abolished"] as const) {
    const list = [...lists[kind]].sort(
      (x, y) => x.effectiveFrom.localeCompare(y.effectiveFrom) || x.code.localeCompare(y.code),
    );
    if (!list.length) continue;
    const shown = list.slice(0, 6);
    const lines = shown.map(
      (r) =>
        `thủ tục “${r.name}”${r.field ? ` thuộc lĩnh vực ${r.field}` : ""} ${KIND_WORDS[kind].verb} từ ngày ${formatDate(r.effectiveFrom)}`,
    );
    const more = list.length > shown.length ? ` Ngoài ra còn ${list.length - shown.length} thủ tục khác.` : "";
    const advice =
      kind === "abolished"
        ? " Người dân, tổ chức lưu ý không còn thực hiện các thủ tục này."
        : " Người dân, tổ chức có thể xem chi tiết hồ sơ, lệ phí và thời hạn giải quyết tại Bộ phận Một cửa của phường hoặc trên Cổng thông tin của phường.";
    out.push({
      title: KIND_WORDS[kind].title,
      script: `Ủy ban nhân dân phường thông báo: ${lines.join("; ")}.${more}${advice}`,
    });
  }
  return out;
}

async function answerItems(db: Db, ward: Ward, since: string): Promise<DraftItem[]> {
  const after = `${since}T00:00:00`;
  const [feedback, questions] = await Promise.all([
    feedbackPublishedSince(db, ward.scopeIds, after, 3),
    questionsPublishedSince(db, ward.scopeIds, after, 3),
  ]);
  const out: DraftItem[] = [];
  if (feedback.length)
    out.push({
      title: "Trả lời phản ánh, kiến nghị của người dân",
      script: feedback
        .map(
          (f) =>
            `Người dân phản ánh: ${clip(f.public_content ?? "", 400)} Ủy ban nhân dân phường trả lời: ${clip(f.public_answer ?? "", 600)}`,
        )
        .join("\n\n"),
    });
  if (questions.length)
    out.push({
      title: "Giải đáp câu hỏi của người dân",
      script: questions
        .map((q) => `Câu hỏi: ${clip(q.public_question ?? "", 400)} Trả lời: ${clip(q.public_answer ?? "", 600)}`)
        .join("\n\n"),
    });
  return out;
}

async function meetingItems(db: Db, ward: Ward, today: string): Promise<DraftItem[]> {
  const rows = await comingEvents(db, ward.scopeIds, today, addDays(today, 14), 6);
  if (!rows.length) return [];
  return [
    {
      title: "Lịch hội nghị, sinh hoạt sắp tới",
      script: `${rows
        .map(
          (e) =>
            `Vào lúc ${e.starts_at} ngày ${formatDate(e.starts_on)}, tại ${e.place}, ${e.org_unit_name} tổ chức ${(
              EVENT_KINDS[e.kind as keyof typeof EVENT_KINDS] ?? ""
            ).toLowerCase()}: ${e.title}.`,
        )
        .join(" ")} Kính mời người dân quan tâm đến dự.`,
    },
  ];
}

async function documentItems(db: Db, ward: Ward, since: string, today: string): Promise<DraftItem[]> {
  const rows = await documentsTakingEffect(db, ward.scopeIds, since, addDays(today, 30), 6);
  if (!rows.length) return [];
  const line = (d: (typeof rows)[number]) => {
    const what = [d.kind, d.number ? `số ${d.number}` : null, d.issued_on ? `ngày ${formatDate(d.issued_on)}` : null]
      .filter(Boolean)
      .join(" ");
    const by = d.issuer ? ` của ${d.issuer}` : "";
    const from = d.effective_from as string;
    const when = from <= today ? "có hiệu lực từ ngày" : "sẽ có hiệu lực từ ngày";
    return `${what}${by} về ${clip(d.title ?? "", 300)}, ${when} ${formatDate(from)}`;
  };
  return [
    {
      title: "Văn bản mới có hiệu lực",
      script: `Ủy ban nhân dân phường thông tin đến người dân: ${rows.map(line).join("; ")}. Toàn văn được đăng tại mục Văn bản trên Cổng thông tin của phường và niêm yết tại Bộ phận Một cửa.`,
    },
  ];
}

/** The draft items of a new bulletin, and the day the data was read from. */
export async function draftItems(db: Db, ward: Ward, today: string): Promise<{ since: string; items: DraftItem[] }> {
  const since = await lastBulletinDay(db, ward, today);
  const parts = await Promise.all([
    procedureItems(db, ward, since, today),
    answerItems(db, ward, since),
    meetingItems(db, ward, today),
    documentItems(db, ward, since, today),
  ]);
  return { since, items: parts.flat() };
}
