/**
 * The ledger's entry point for other features (feedback, questions, surveys): one activity row for something a
 * feature did, written with the caller's transaction so the row exists exactly when the step does, and counted
 * once per (ward, source, source_ref) by a UNIQUE index. Features call this; none writes `activities` itself.
 *
 * The row is attached to the ward's plan in force on that date (when there is one; the ward's predecessors' plans
 * count, as on the plan pages), under the pillar of the plan's
 * content area that speaks of the topic (the seed plan: answers to feedback under 2.2 "cải cách thủ tục hành
 * chính", the satisfaction index under 2.6 "hiện đại hóa hành chính"); without a plan or such an area, the
 * national default of the topic.
 */
import type { Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { foldWords } from "../../core/text/vi.ts";
import * as q from "./ledger.sql.ts";
import { CHANNEL_KINDS, type ChannelKind, PILLARS, type PillarCode } from "./plan-draft.ts";
import { wardScope } from "./tracking.rules.ts";
import { activityBySource } from "./tracking.sql.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** What a ledger entry is about: decides the channel, the default pillar and which content area it falls under. */
export type LedgerTopic = "answer" | "survey" | "event" | "radio" | "news" | "poster";

const TOPICS: Record<LedgerTopic, { channel: ChannelKind; pillar: PillarCode; words: string[] }> = {
  answer: { channel: "feedback_answer", pillar: "procedures", words: ["phan anh", "kien nghi", "hoi dap"] },
  survey: { channel: "survey", pillar: "e_government", words: ["hai long", "sipas"] },
  event: { channel: "conference", pillar: "procedures", words: ["hoi nghi", "sinh hoat", "cuoc hop"] },
  radio: { channel: "radio", pillar: "procedures", words: ["truyen thanh", "phat thanh", "loa"] },
  news: { channel: "web_portal", pillar: "procedures", words: ["tin bai", "trang thong tin", "cong thong tin"] },
  poster: { channel: "banner_poster", pillar: "procedures", words: ["bang ron", "pa no", "ap phich", "khau hieu"] },
};

export interface AreaText {
  code: string;
  title: string;
  pillar: string | null;
  items: string[];
}

const mentions = (text: string, words: string[]) => {
  const folded = ` ${foldWords(text)} `;
  return words.some((w) => folded.includes(` ${w} `));
};

/**
 * Pure: the pillar for a topic in a plan — the pillar of the first content area whose title mentions the topic,
 * else of the first whose items do; the topic's national default when no area with a pillar mentions it.
 */
export function pillarFor(topic: LedgerTopic, areas: readonly AreaText[]): string {
  const { words, pillar } = TOPICS[topic];
  const withPillar = areas.filter((a) => a.pillar);
  const hit =
    withPillar.find((a) => mentions(a.title, words)) ?? withPillar.find((a) => a.items.some((i) => mentions(i, words)));
  return hit?.pillar ?? pillar;
}

export interface LedgerEntry {
  wardId: number;
  /** The unit that did it; null: the ward's office unit. */
  orgUnitId: number | null;
  topic: LedgerTopic;
  title: string;
  /** ISO date (Vietnam) the thing happened. */
  occurredOn: string;
  /** People reached (a survey round: its responses); null when not counted. */
  audience: number | null;
  source: "feedback" | "question" | "survey" | "event" | "radio" | "news" | "poster";
  sourceRef: string;
  createdBy: number | null;
  /** The channel when the topic alone does not decide it (an event: a conference, a residents' meeting…). */
  channel?: ChannelKind;
  /** The pillar of the content area the caller chose; else the topic's area in the plan (pillarFor). */
  pillar?: string | null;
  place?: string | null;
  cost?: number | null;
}

/**
 * Record one ledger row in the caller's transaction, with its audit record; a source already recorded writes
 * nothing and returns that row with `created: false`.
 */
export async function recordLedgerEntry(
  trx: Q,
  actor: Actor,
  e: LedgerEntry,
  now: Date,
): Promise<{ activityId: number; created: boolean }> {
  const existing = await activityBySource(trx, e.wardId, e.source, e.sourceRef);
  if (existing) return { activityId: Number(existing.id), created: false };
  const unitId = e.orgUnitId ?? (await q.officeUnit(trx, e.wardId))?.id;
  if (unitId == null) throw new Error(`ward ${e.wardId} has no unit to record ${e.source} ${e.sourceRef} against`);
  const plan = await q.planInForce(trx, await wardScope(trx, e.wardId), e.occurredOn);
  const areas = plan
    ? (await q.contentAreasWithItems(trx, plan.id)).map((a) => ({ ...a, items: JSON.parse(a.items_json) as string[] }))
    : [];
  const row = {
    ward_id: e.wardId,
    org_unit_id: unitId,
    plan_id: plan?.id ?? null,
    task_id: null,
    channel_kind: e.channel ?? TOPICS[e.topic].channel,
    pillar: e.pillar ?? pillarFor(e.topic, areas),
    title: e.title,
    occurred_on: e.occurredOn,
    place: e.place ?? null,
    audience: e.audience,
    participants: null,
    cost: e.cost ?? null,
    source: e.source,
    source_ref: e.sourceRef,
    created_by: e.createdBy,
    created_at: now.toISOString(),
  };
  const id = await q.insertActivityOnce(trx, row);
  if (id == null) {
    // A concurrent transaction recorded it first (the UNIQUE index answered).
    const won = await activityBySource(trx, e.wardId, e.source, e.sourceRef);
    return { activityId: Number(won?.id), created: false };
  }
  await audit(trx, actor, { action: "activity.record", entity: "activity", entityId: id, after: row }, now);
  return { activityId: id, created: true };
}

/**
 * Take back the ledger row of something withdrawn after it happened (an event marked held by mistake, an article
 * pulled): the row is deleted in the caller's transaction, so figures computed from now on no longer count it,
 * and the audit record keeps what it was. Reports already issued keep their frozen figures. Returns whether a row
 * was there.
 */
export async function withdrawLedgerEntry(
  trx: Q,
  actor: Actor,
  ref: { wardId: number; source: LedgerEntry["source"]; sourceRef: string; reason: string },
  now: Date,
): Promise<boolean> {
  const row = await q.activityOfSource(trx, ref.wardId, ref.source, ref.sourceRef);
  if (!row) return false;
  await q.deleteActivity(trx, row.id);
  await audit(
    trx,
    actor,
    { action: "activity.withdraw", entity: "activity", entityId: row.id, before: row, after: { reason: ref.reason } },
    now,
  );
  return true;
}

/**
 * Set the audience of a feature's ledger row (an article's views, counted after it was published); false when the
 * source has no row (not published, or withdrawn). Not audited: a count that grows, not a decision.
 */
export async function setLedgerAudience(
  trx: Q,
  ref: { wardId: number; source: LedgerEntry["source"]; sourceRef: string; audience: number },
): Promise<boolean> {
  const row = await q.activityOfSource(trx, ref.wardId, ref.source, ref.sourceRef);
  if (!row) return false;
  await q.setActivityAudience(trx, row.id, ref.audience);
  return true;
}

/** The ledger entry of an answer published to a citizen: feedback (phản ánh, kiến nghị) or a question (hỏi đáp). */
export function answerEntry(
  source: "feedback" | "question",
  item: { id: number; code: string; ward_id: number; assigned_unit_id: number | null },
  userId: number,
  occurredOn: string,
): LedgerEntry {
  return {
    wardId: item.ward_id,
    orgUnitId: item.assigned_unit_id,
    topic: "answer",
    title: `${source === "feedback" ? "Trả lời phản ánh, kiến nghị" : "Trả lời câu hỏi"} ${item.code}`,
    occurredOn,
    audience: null,
    source,
    sourceRef: String(item.id),
    createdBy: userId,
  };
}

/** The topic a feature's ledger row was recorded under, read back from its channel (null: a task's own activity). */
const topicOfChannel = (channel: string): LedgerTopic | null =>
  (Object.keys(TOPICS) as LedgerTopic[]).find((t) => TOPICS[t].channel === channel) ?? null;

/**
 * When a plan is saved, the ledger rows recorded while no plan covered their day (a feedback answer published in
 * 2026 before the 2026 plan was imported) join it: each row of these wards whose day falls in the plan's period,
 * under the pillar the plan's content areas give its topic. In the caller's transaction; one audit record.
 */
export async function attachPlanlessActivities(
  trx: Q,
  actor: Actor,
  plan: { id: number; wardId: number; wardIds: number[]; period: { from: string; to: string } | null },
  now: Date,
): Promise<number> {
  if (!plan.period) return 0;
  const rows = await q.planlessActivities(trx, plan.wardIds, { period: plan.period });
  if (rows.length === 0) return 0;
  const areas = (await q.contentAreasWithItems(trx, plan.id)).map((a) => ({
    ...a,
    items: JSON.parse(a.items_json) as string[],
  }));
  const attached: number[] = [];
  for (const r of rows) {
    const topic = topicOfChannel(r.channel_kind);
    const pillar = topic ? pillarFor(topic, areas) : (r.pillar ?? "procedures");
    if (await q.attachActivityToPlan(trx, r.id, plan.id, pillar)) attached.push(r.id);
  }
  if (attached.length)
    await audit(
      trx,
      actor,
      {
        action: "activity.attach_plan",
        entity: "plan",
        entityId: plan.id,
        wardId: plan.wardId,
        after: { activities: attached },
      },
      now,
    );
  return attached.length;
}

/** The ward's ledger rows that no plan covers, and how many there are per year: what staff must see until a plan. */
export async function planlessLedger(db: Q, wardIds: number[], limit = 200) {
  const [rows, byYear] = await Promise.all([
    q.planlessActivities(db, wardIds, { limit }),
    q.planlessByYear(db, wardIds),
  ]);
  return { rows, byYear, total: byYear.reduce((n, y) => n + y.count, 0) };
}

/** How many ledger rows no plan covers, per year: enough for the banner. */
export const planlessYears = (db: Q, wardIds: number[]) => q.planlessByYear(db, wardIds);

export interface LedgerLine {
  key: string;
  label: string;
  count: number;
  audience: number;
  cost: number;
}

/** Pure: ledger sums by (channel, pillar) → totals by channel and by pillar, in the national lists' order. */
export function ledgerBreakdown(
  rows: readonly { channel: string; pillar: string | null; count: number; audience: number; cost: number }[],
) {
  const sum = (keyOf: (r: (typeof rows)[number]) => string, labels: Record<string, string>): LedgerLine[] => {
    const by = new Map<string, LedgerLine>();
    for (const r of rows) {
      const key = keyOf(r);
      const line = by.get(key) ?? { key, label: labels[key] ?? key, count: 0, audience: 0, cost: 0 };
      line.count += r.count;
      line.audience += r.audience;
      line.cost += r.cost;
      by.set(key, line);
    }
    const order = Object.keys(labels);
    return [...by.values()].sort((a, b) => (order.indexOf(a.key) + 1 || 99) - (order.indexOf(b.key) + 1 || 99));
  };
  const total = rows.reduce(
    (t, r) => ({ count: t.count + r.count, audience: t.audience + r.audience, cost: t.cost + r.cost }),
    { count: 0, audience: 0, cost: 0 },
  );
  return {
    total,
    byChannel: sum((r) => r.channel, CHANNEL_KINDS),
    byPillar: sum((r) => r.pillar ?? "none", { ...PILLARS, none: "Chưa xếp lĩnh vực" }),
  };
}

/**
 * The ledger of these wards over a period, by channel and by pillar (count, people reached, cost in đồng); with
 * `planId`, only the activities recorded under that plan.
 */
export async function ledgerFigures(
  db: Q,
  wardIds: number[],
  period: { from: string; to: string },
  planId: number | null = null,
) {
  return ledgerBreakdown(await q.ledgerTotals(db, wardIds, period.from, period.to, planId));
}

/** A plan of these wards by id, or undefined: the plan a report is scoped to. */
export const planOfWards = (db: Q, wardIds: number[], id: number) => q.planOfWards(db, wardIds, id);
/** The plans of these wards, newest first. */
export const plansOfWards = (db: Q, wardIds: number[]) => q.plansOfWards(db, wardIds);

/** The plan of these wards whose period covers a day (the latest issued when several do), for reports. */
export const planCovering = (db: Q, wardIds: number[], onDate: string) => q.planInForce(db, wardIds, onDate);
