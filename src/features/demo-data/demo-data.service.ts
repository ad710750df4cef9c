/**
 * `demo-data` (issue 12 §1): fill a deployment with deterministic synthetic data at a chosen size, on SQLite or
 * PostgreSQL, for the bench and the scale tests.
 *
 * The wards are the country's communes in force: the deployment's default ward first, then the rest of its province
 * (Quảng Ngãi for the demo), then the other provinces by code. Each ward's pre-2025 predecessor communes get records
 * of their own (a plan of the year before the merger, its activities, feedback and questions), so queries over a
 * ward's predecessors are exercised. Per ward and year: a plan cloned from the seed plan (imported once through the
 * real plan importer, then its rows copied with the commune's name and the year adapted), its tasks with their units,
 * the cited documents in the ward's library (through the real citation code), activities, feedback items with their
 * workflow steps, questions, a satisfaction survey with answers, events, news articles and radio bulletins, with the
 * ledger rows their publication writes. People are synthetic (generate.ts) and only in staff-only tables.
 *
 * Same seed → the same rows (every ward's and year's stream is seeded from the seed, the ward's code and the year).
 * Fast: each ward in one transaction, rows in multi-row statements of up to 1,000 rows.
 */
import fs from "node:fs";
import path from "node:path";
import type { Insertable, Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Db } from "../../core/db/connection.ts";
import type { AdminUnit, Database } from "../../core/db/schema.ts";
import { foldWords, vnToday } from "../../core/text/vi.ts";
import { wardOf } from "../../core/wards.ts";
import { forgetWards } from "../../core/web/ward.ts";
import { citePlanDocuments } from "../documents/citations.ts";
import { CHANNEL_OF_KIND, EVENT_KINDS, type EventKind } from "../events/events.rules.ts";
import { CONTENT_TYPES, SUBJECTS } from "../feedback/feedback.schemas.ts";
import { parsePlanText } from "../plans/plan-document.ts";
import { CHANNEL_KINDS } from "../plans/plan-draft.ts";
import { confirmPlanImport, numberKey } from "../plans/plans.service.ts";
import { DEFAULT_WARD_UNITS, unitKey, unitKindOf } from "../plans/unit-match.ts";
import { SEED_PLAN, UNITS_DIR } from "../setup/setup.service.ts";
import { defaultQuestions } from "../surveys/sipas.ts";
import { readDvhcvn } from "../units/dvhcvn.ts";
import { loadAdminUnits } from "../units/units.service.ts";
import {
  ACTIVITY_FORMS,
  ACTIVITY_TOPICS,
  ANSWER_TEXTS,
  adaptText,
  addDays,
  answerChain,
  dayIn,
  demoPublicId,
  demoTrackingCode,
  EVENT_TITLES,
  FEEDBACK_CHAIN,
  FEEDBACK_TEXTS,
  fakePerson,
  instantOn,
  NEWS_TITLES,
  QUESTION_CHAIN,
  QUESTION_TEXTS,
  RADIO_ITEMS,
  type Rng,
  SLOTS_PER_WARD,
  streamOf,
  typeWordOf,
} from "./generate.ts";

type Trx = Transaction<Database>;

export class DemoDataError extends Error {}

export interface DemoDataOptions {
  wards: number;
  years: number;
  seed: number;
  /** Activities recorded by hand per ward and year (the ledger rows of published content come on top). */
  activities: number;
  replace: boolean;
  now: Date;
  sharedDir: string;
  /** The ward to start with (the deployment's default ward); the rest of its province follows. */
  firstWard: string;
  log?: (line: string) => void;
}

export interface DemoDataSummary {
  seed: number;
  years: number[];
  wards: number;
  firstWards: string[];
  predecessors: number;
  rows: Record<string, number>;
  seconds: number;
}

/** Who the audit trail names for the run. */
const DEMO_ACTOR: Actor = { userId: null, name: "demo-data", wardId: null };
/** The actor named on generated workflow steps. */
const STEP_ACTOR = "demo-data";
/** Before 1 July 2025 the pre-merger communes issued the plans: the year before the merger is theirs. */
const LAST_PRE_MERGER_YEAR = 2024;
/** Per ward and year: feedback, questions, events, articles, bulletins, survey responses. */
const PER_YEAR = { feedback: 24, questions: 12, events: 6, news: 8, bulletins: 12, responses: 30 } as const;
/** The predecessors' history year, when the chosen years do not reach it: this share of a ward's year. */
const HISTORY_SHARE = 0.25;
/** Rows per statement: at most 1,000, and never more than ~30,000 parameters (SQLite's limit is 32,766). */
const MAX_ROWS = 1000;
const MAX_PARAMS = 30_000;

type Counts = Record<string, number>;
const bump = (counts: Counts, table: string, n: number) => {
  counts[table] = (counts[table] ?? 0) + n;
};

/** Insert rows in multi-row statements; returns nothing. */
async function insertAll<T extends keyof Database>(
  trx: Trx,
  table: T,
  rows: Insertable<Database[T]>[],
  counts: Counts,
): Promise<void> {
  if (!rows.length) return;
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Object.keys(rows[0] as object).length)));
  for (let i = 0; i < rows.length; i += size)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  bump(counts, table, rows.length);
}

/**
 * Insert rows and return their ids in the order given. Both databases return a multi-row INSERT's rows in VALUES
 * order; `check` (a column of the rows) is compared position by position so a different order can never go unseen.
 */
async function insertIds<T extends keyof Database>(
  trx: Trx,
  table: T,
  rows: Insertable<Database[T]>[],
  check: string,
  counts: Counts,
): Promise<number[]> {
  if (!rows.length) return [];
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Object.keys(rows[0] as object).length)));
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const back = (await trx
      .insertInto(table)
      .values(chunk as never)
      .returning(["id", check] as never)
      .execute()) as unknown as Record<string, unknown>[];
    back.forEach((r, j) => {
      if (String(r[check]) !== String((chunk[j] as Record<string, unknown>)[check]))
        throw new Error(`${String(table)}: rows came back in another order`);
      ids.push(Number(r.id));
    });
  }
  bump(counts, table, rows.length);
  return ids;
}

// ---------------------------------------------------------------------------------------------------------------
// Which wards

interface WardPick {
  unit: AdminUnit;
  /** Pre-merger communes whose records this ward carries (each predecessor is given to one ward only). */
  predecessors: AdminUnit[];
}

async function pickWards(k: Kysely<Database>, n: number, firstCode: string, today: string): Promise<WardPick[]> {
  const communes = await k
    .selectFrom("admin_units as c")
    .leftJoin("admin_units as p", "p.id", "c.parent_id")
    .selectAll("c")
    .select("p.code as province_code")
    .where("c.level", "=", "commune")
    .where((eb) => eb.or([eb("c.valid_from", "is", null), eb("c.valid_from", "<=", today)]))
    .where((eb) => eb.or([eb("c.valid_to", "is", null), eb("c.valid_to", ">=", today)]))
    .execute();
  const first = communes.find((c) => c.code === firstCode);
  const province = first?.province_code ?? null;
  const rank = (c: (typeof communes)[number]) => (c.code === firstCode ? 0 : c.province_code === province ? 1 : 2);
  communes.sort(
    (a, b) =>
      rank(a) - rank(b) || (a.province_code ?? "").localeCompare(b.province_code ?? "") || a.code.localeCompare(b.code),
  );
  const chosen = communes.slice(0, n).map(({ province_code: _, ...unit }) => unit as AdminUnit);
  const links: { to_id: number; kind: string; unit: AdminUnit }[] = [];
  for (let i = 0; i < chosen.length; i += 500) {
    const ids = chosen.slice(i, i + 500).map((c) => c.id);
    const rows = await k
      .selectFrom("admin_unit_links as l")
      .innerJoin("admin_units as u", "u.id", "l.from_id")
      .selectAll("u")
      .select(["l.to_id", "l.kind as link_kind"])
      .where("l.to_id", "in", ids)
      .where("u.level", "=", "commune")
      .orderBy("u.code")
      .execute();
    for (const { to_id, link_kind, ...unit } of rows) links.push({ to_id, kind: link_kind, unit: unit as AdminUnit });
  }
  // A commune split between several new ones: its records go to the one that took it whole, else the first chosen.
  links.sort((a, b) => Number(a.kind === "partial") - Number(b.kind === "partial"));
  const given = new Set<number>();
  const byWard = new Map<number, AdminUnit[]>();
  for (const l of links) {
    if (given.has(l.unit.id)) continue;
    given.add(l.unit.id);
    byWard.set(l.to_id, [...(byWard.get(l.to_id) ?? []), l.unit]);
  }
  return chosen.map((unit) => ({
    unit,
    predecessors: (byWard.get(unit.id) ?? []).sort((a, b) => a.code.localeCompare(b.code)),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// What is already there (the guard) and taking it away (--replace)

/** Tables whose rows are a ward's data, by the column naming the ward. */
const WARD_TABLES = [
  "plans",
  "activities",
  "feedback_items",
  "questions",
  "surveys",
  "events",
  "news_articles",
  "radio_bulletins",
] as const;

/** Rows the wards (and their predecessors) already hold; the seed plan the first start imports does not count. */
async function existingRows(k: Kysely<Database>, scopeIds: number[], seedHash: string): Promise<Counts> {
  const found: Counts = {};
  for (const table of WARD_TABLES) {
    let n = 0;
    for (let i = 0; i < scopeIds.length; i += 500) {
      let q = k
        .selectFrom(table)
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("ward_id", "in", scopeIds.slice(i, i + 500));
      if (table === "plans") q = q.where("source_hash", "!=", seedHash) as typeof q;
      n += Number((await q.executeTakeFirstOrThrow()).n);
    }
    if (n) found[table] = n;
  }
  return found;
}

/** Delete the wards' data (their predecessors' too), children first; stored files and staff accounts stay. */
async function deleteScope(trx: Trx, ids: number[]): Promise<void> {
  const planIds = (await trx.selectFrom("plans").select("id").where("ward_id", "in", ids).execute()).map((p) => p.id);
  const taskIds = planIds.length
    ? (await trx.selectFrom("tasks").select("id").where("plan_id", "in", planIds).execute()).map((t) => t.id)
    : [];
  const gone: string[] = [];
  const idsOf = async (table: "feedback_items" | "questions" | "events" | "news_articles" | "radio_bulletins") =>
    (await trx.selectFrom(table).select("id").where("ward_id", "in", ids).execute()).map((r) => r.id);
  const legal = (await trx.selectFrom("legal_documents").select("id").where("ward_id", "in", ids).execute()).map(
    (r) => r.id,
  );
  const feedback = await idsOf("feedback_items");
  const questions = await idsOf("questions");
  const events = await idsOf("events");
  const news = await idsOf("news_articles");
  const bulletins = await idsOf("radio_bulletins");
  gone.push(
    ...legal.map((id) => `legal:${id}`),
    ...feedback.map((id) => `feedback:${id}`),
    ...questions.map((id) => `answer:${id}`),
    ...events.map((id) => `event:${id}`),
    ...news.map((id) => `news:${id}`),
    ...bulletins.map((id) => `radio:${id}`),
  );
  const inChunks = async (list: number[], run: (chunk: number[]) => Promise<unknown>) => {
    for (let i = 0; i < list.length; i += 500) await run(list.slice(i, i + 500));
  };
  const activityIds = (await trx.selectFrom("activities").select("id").where("ward_id", "in", ids).execute()).map(
    (r) => r.id,
  );
  await inChunks(activityIds, (c) => trx.deleteFrom("evidence").where("activity_id", "in", c).execute());
  await inChunks(taskIds, async (c) => {
    const updates = trx.selectFrom("task_updates").select("id").where("task_id", "in", c);
    await trx.deleteFrom("evidence").where("task_update_id", "in", updates).execute();
    await trx.deleteFrom("task_updates").where("task_id", "in", c).execute();
    await trx.deleteFrom("activities").where("task_id", "in", c).execute();
    await trx.deleteFrom("task_units").where("task_id", "in", c).execute();
  });
  await trx.deleteFrom("activities").where("ward_id", "in", ids).execute();
  await inChunks(planIds, async (c) => {
    await trx.deleteFrom("activities").where("plan_id", "in", c).execute();
    await trx.deleteFrom("tasks").where("plan_id", "in", c).execute();
    await trx.deleteFrom("legal_citations").where("plan_id", "in", c).execute();
    for (const t of ["plan_content_areas", "plan_channels", "plan_references", "plan_budget_lines"] as const)
      await trx.deleteFrom(t).where("plan_id", "in", c).execute();
    await trx.updateTable("reports").set({ plan_id: null }).where("plan_id", "in", c).execute();
    await trx.updateTable("document_register").set({ plan_id: null }).where("plan_id", "in", c).execute();
    await trx.updateTable("plan_drafts").set({ plan_id: null }).where("plan_id", "in", c).execute();
    await trx.updateTable("plan_drafts").set({ source_plan_id: null }).where("source_plan_id", "in", c).execute();
  });
  for (const t of ["legal_citations", "legal_mentions", "legal_document_events", "legal_relations"] as const)
    await trx.deleteFrom(t).where("ward_id", "in", ids).execute();
  await trx.deleteFrom("legal_documents").where("ward_id", "in", ids).execute();
  await trx.deleteFrom("plans").where("ward_id", "in", ids).execute();
  await inChunks(feedback, async (c) => {
    for (const t of ["feedback_files", "feedback_senders"] as const)
      await trx.deleteFrom(t).where("feedback_id", "in", c).execute();
    await trx.deleteFrom("feedback_steps").where("item_id", "in", c).execute();
  });
  await trx.deleteFrom("feedback_items").where("ward_id", "in", ids).execute();
  await inChunks(questions, async (c) => {
    for (const t of ["question_steps", "question_askers"] as const)
      await trx.deleteFrom(t).where("question_id", "in", c).execute();
  });
  await trx.deleteFrom("questions").where("ward_id", "in", ids).execute();
  const surveys = trx.selectFrom("surveys").select("id").where("ward_id", "in", ids);
  const responses = trx.selectFrom("survey_responses").select("id").where("survey_id", "in", surveys);
  await trx.deleteFrom("survey_answers").where("response_id", "in", responses).execute();
  for (const t of ["survey_responses", "survey_rounds", "survey_questions"] as const)
    await trx.deleteFrom(t).where("survey_id", "in", surveys).execute();
  await trx.deleteFrom("surveys").where("ward_id", "in", ids).execute();
  await inChunks(events, async (c) => {
    for (const t of ["event_steps", "event_minutes", "event_photos"] as const)
      await trx.deleteFrom(t).where("event_id", "in", c).execute();
  });
  await trx.deleteFrom("events").where("ward_id", "in", ids).execute();
  await inChunks(news, async (c) => {
    for (const t of ["news_versions", "news_steps", "news_photos"] as const)
      await trx.deleteFrom(t).where("article_id", "in", c).execute();
  });
  await trx.deleteFrom("news_articles").where("ward_id", "in", ids).execute();
  await trx.deleteFrom("news_posters").where("ward_id", "in", ids).execute();
  await inChunks(bulletins, async (c) => {
    for (const t of ["radio_items", "radio_bulletin_steps", "radio_broadcasts"] as const)
      await trx.deleteFrom(t).where("bulletin_id", "in", c).execute();
  });
  await trx.deleteFrom("radio_bulletins").where("ward_id", "in", ids).execute();
  // Their search documents leave every process's index (a deleted row with a new sequence number).
  if (gone.length) {
    const r = await trx
      .selectFrom("search_docs")
      .select((e) => e.fn.max("seq").as("m"))
      .executeTakeFirst();
    let seq = Number(r?.m ?? 0);
    for (let i = 0; i < gone.length; i += 500)
      await trx
        .updateTable("search_docs")
        .set({ deleted: 1, seq: ++seq })
        .where("doc_key", "in", gone.slice(i, i + 500))
        .execute();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The template: the seed plan as the real importer stored it

async function loadTemplatePlan(k: Kysely<Database>, planId: number) {
  const plan = await k.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
  const owner = await k.selectFrom("admin_units").selectAll().where("id", "=", plan.ward_id).executeTakeFirstOrThrow();
  const [areas, channels, references, tasks, budget] = await Promise.all([
    k.selectFrom("plan_content_areas").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    k.selectFrom("plan_channels").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    k.selectFrom("plan_references").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    k.selectFrom("tasks").selectAll().where("plan_id", "=", planId).orderBy("id").execute(),
    k.selectFrom("plan_budget_lines").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
  ]);
  const taskUnits = tasks.length
    ? await k
        .selectFrom("task_units")
        .innerJoin("org_units", "org_units.id", "task_units.org_unit_id")
        .select(["task_units.task_id", "task_units.role", "org_units.name as unit_name"])
        .where(
          "task_units.task_id",
          "in",
          tasks.map((t) => t.id),
        )
        .orderBy("task_units.id")
        .execute()
    : [];
  return {
    plan,
    year: Number(plan.issued_on.slice(0, 4)),
    owner: { shortName: owner.short_name, typeWord: typeWordOf(owner.name, owner.short_name) },
    areas,
    channels,
    references,
    tasks,
    taskUnits,
    budget,
  };
}
type TemplatePlan = Awaited<ReturnType<typeof loadTemplatePlan>>;

/** The units every ward gets: the first ward's after the import (the defaults and any the plan named). */
async function loadTemplateUnits(k: Kysely<Database>, wardId: number) {
  const units = await k
    .selectFrom("org_units")
    .select(["id", "code", "name", "kind"])
    .where("ward_id", "=", wardId)
    .where("valid_to", "is", null)
    .orderBy("id")
    .execute();
  const aliases = await k
    .selectFrom("org_unit_aliases")
    .select(["org_unit_id", "alias", "alias_key"])
    .where("ward_id", "=", wardId)
    .orderBy("id")
    .execute();
  return units.map((u) => ({ ...u, aliases: aliases.filter((a) => a.org_unit_id === u.id) }));
}
type TemplateUnits = Awaited<ReturnType<typeof loadTemplateUnits>>;

/** The ward's units by name (the template's missing ones created, with their aliases): name → id. */
async function ensureUnits(trx: Trx, wardId: number, template: TemplateUnits, createdAt: string, counts: Counts) {
  const have = await trx
    .selectFrom("org_units")
    .select(["id", "name"])
    .where("ward_id", "=", wardId)
    .where("valid_to", "is", null)
    .execute();
  const byName = new Map(have.map((u) => [u.name, u.id]));
  const missing = template.filter((u) => !byName.has(u.name));
  if (missing.length) {
    const ids = await insertIds(
      trx,
      "org_units",
      missing.map((u) => ({
        ward_id: wardId,
        code: u.code,
        name: u.name,
        kind: u.kind,
        valid_from: null,
        valid_to: null,
        successor_id: null,
        created_at: createdAt,
      })),
      "name",
      counts,
    );
    const taken = new Set(
      (await trx.selectFrom("org_unit_aliases").select("alias_key").where("ward_id", "=", wardId).execute()).map(
        (a) => a.alias_key,
      ),
    );
    const aliasRows: Insertable<Database["org_unit_aliases"]>[] = [];
    missing.forEach((u, i) => {
      byName.set(u.name, ids[i] as number);
      for (const a of u.aliases) {
        if (taken.has(a.alias_key)) continue;
        taken.add(a.alias_key);
        aliasRows.push({ org_unit_id: ids[i] as number, ward_id: wardId, alias: a.alias, alias_key: a.alias_key });
      }
    });
    await insertAll(trx, "org_unit_aliases", aliasRows, counts);
  }
  return byName;
}

// ---------------------------------------------------------------------------------------------------------------
// One ward

interface OwnerYear {
  owner: AdminUnit;
  year: number;
  /** Share of a ward's yearly volume. */
  share: number;
}

/** What a ward holds for each year: its own records from 2025, its predecessors' before, and their history year. */
export function ownerYears(ward: AdminUnit, predecessors: readonly AdminUnit[], years: readonly number[]): OwnerYear[] {
  const out: OwnerYear[] = [];
  for (const year of years) {
    if (year > LAST_PRE_MERGER_YEAR || predecessors.length === 0) out.push({ owner: ward, year, share: 1 });
    else for (const p of predecessors) out.push({ owner: p, year, share: 1 / predecessors.length });
  }
  if (!years.some((y) => y <= LAST_PRE_MERGER_YEAR))
    for (const p of predecessors)
      out.push({ owner: p, year: LAST_PRE_MERGER_YEAR, share: HISTORY_SHARE / predecessors.length });
  return out;
}

interface WardContext {
  trx: Trx;
  seed: number;
  today: string;
  ward: AdminUnit;
  wardIndex: number;
  units: Map<string, number>;
  template: TemplatePlan;
  counts: Counts;
  /** The next free tracking-code slot of the ward per prefix and year. */
  slots: Map<string, number>;
  activities: number;
  /** The citations of the ward's first cloned plan, copied into its other plans. */
  citations: { position: number; document_id: number; cited_json: string; uncertain: number }[] | null;
}

interface ClonedPlan {
  id: number;
  areaIds: number[];
  pillars: string[];
  channelKinds: string[];
  tasks: { id: number }[];
}

/** One plan of an owner and year: the template's rows adapted (or the template itself, for its own owner and year). */
async function clonePlan(c: WardContext, oy: OwnerYear, r: Rng): Promise<ClonedPlan> {
  const t = c.template;
  const pillars = [...new Set(t.areas.map((a) => a.pillar).filter((p): p is string => !!p))];
  const channelKinds = [...new Set(t.channels.map((ch) => ch.kind).filter((k) => k in CHANNEL_KINDS))];
  if (oy.owner.id === t.plan.ward_id && oy.year === t.year)
    return {
      id: t.plan.id,
      areaIds: t.areas.map((a) => a.id),
      pillars,
      channelKinds,
      tasks: t.tasks.filter((x) => x.removed_at == null),
    };
  const to = {
    shortName: oy.owner.short_name,
    typeWord: typeWordOf(oy.owner.name, oy.owner.short_name),
    year: oy.year,
  };
  const adapt = (s: string) => adaptText(s, { ...t.owner, year: t.year }, to);
  const adaptOrNull = (s: string | null) => (s == null ? null : adapt(s));
  const shiftDate = (d: string | null) =>
    d == null ? null : `${Number(d.slice(0, 4)) + oy.year - t.year}${d.slice(4)}`;
  const issuedOn = (shiftDate(t.plan.issued_on) as string).replace(/-02-29$/, "-02-28");
  const number = `${r.int(2, 120)}/KH-UBND`;
  const created = instantOn(issuedOn, 8);
  const p = t.plan;
  const [planId] = await insertIds(
    c.trx,
    "plans",
    [
      {
        ward_id: oy.owner.id,
        kind: p.kind,
        number,
        number_key: numberKey(number),
        issued_on: issuedOn,
        title: adapt(p.title),
        place: p.place == null ? null : adapt(p.place),
        issuer: adaptOrNull(p.issuer),
        period_from: shiftDate(p.period_from),
        period_to: shiftDate(p.period_to)?.replace(/-02-29$/, "-02-28") ?? null,
        basis_json: adapt(p.basis_json),
        purposes_json: adapt(p.purposes_json),
        requirements_json: adapt(p.requirements_json),
        documents_text: adapt(p.documents_text),
        mentions_json: adapt(p.mentions_json),
        recipients_json: adapt(p.recipients_json),
        signer_position: p.signer_position,
        signer_name: null,
        signer_authority: p.signer_authority,
        signer_on_behalf_of: p.signer_on_behalf_of,
        budget_stated: p.budget_stated,
        budget_edited_at: null,
        source_hash: `demo-${c.seed}-${oy.owner.code}-${oy.year}`,
        source_text: adapt(p.source_text),
        created_at: created,
        updated_at: created,
      },
    ],
    "number",
    c.counts,
  );
  const id = planId as number;
  const areaIds = await insertIds(
    c.trx,
    "plan_content_areas",
    t.areas.map((a) => ({
      plan_id: id,
      code: a.code,
      title: adapt(a.title),
      pillar: a.pillar,
      items_json: adapt(a.items_json),
      position: a.position,
    })),
    "position",
    c.counts,
  );
  await insertAll(
    c.trx,
    "plan_channels",
    t.channels.map((ch) => ({ plan_id: id, code: ch.code, title: ch.title, kind: ch.kind, position: ch.position })),
    c.counts,
  );
  await insertAll(
    c.trx,
    "plan_references",
    t.references.map((ref) => ({
      plan_id: id,
      kind: ref.kind,
      number: ref.number,
      title: ref.title == null ? null : adapt(ref.title),
      issued_on: ref.issued_on,
      issuer: ref.issuer == null ? null : adapt(ref.issuer),
      year: ref.year,
      position: ref.position,
    })),
    c.counts,
  );
  const unitId = (name: string | null) => (name == null ? null : (c.units.get(name) ?? null));
  const templateUnitName = new Map<number, string>();
  for (const tu of t.taskUnits) templateUnitName.set(tu.task_id, tu.unit_name);
  await insertAll(
    c.trx,
    "plan_budget_lines",
    t.budget.map((b) => ({
      plan_id: id,
      position: b.position,
      amount: b.amount,
      source: b.source,
      purpose: adapt(b.purpose),
      channel_kind: b.channel_kind,
      org_unit_id: null,
      created_at: created,
      updated_at: created,
    })),
    c.counts,
  );
  const past = oy.year < Number(c.today.slice(0, 4));
  const live = t.tasks.filter((x) => x.removed_at == null);
  const taskIds = await insertIds(
    c.trx,
    "tasks",
    live.map((x) => {
      const text = adapt(x.text);
      const roll = r.next();
      return {
        plan_id: id,
        ward_id: c.ward.id,
        group_code: x.group_code,
        group_heading: adapt(x.group_heading),
        position: x.position,
        text,
        text_key: foldWords(text),
        status: past
          ? roll < 0.85
            ? "done"
            : "in_progress"
          : roll < 0.3
            ? "done"
            : roll < 0.8
              ? "in_progress"
              : "not_started",
        due_on: shiftDate(x.due_on)?.replace(/-02-29$/, "-02-28") ?? null,
        recurrence: x.recurrence,
        removed_at: null,
        created_at: created,
        updated_at: created,
      };
    }),
    "position",
    c.counts,
  );
  const taskUnitRows: Insertable<Database["task_units"]>[] = [];
  live.forEach((x, i) => {
    const seen = new Set<number>();
    for (const tu of t.taskUnits.filter((u) => u.task_id === x.id)) {
      const u = unitId(tu.unit_name);
      if (u == null || seen.has(u)) continue;
      seen.add(u);
      taskUnitRows.push({ task_id: taskIds[i] as number, org_unit_id: u, role: tu.role });
    }
  });
  await insertAll(c.trx, "task_units", taskUnitRows, c.counts);
  // The cited documents join the ward's library through the same code as an import, once per ward: the ward's
  // other plans cite the same documents, so their citations are copies pointing at the same entries.
  if (!c.citations) {
    const before = await countLegal(c.trx, c.ward.id);
    await citePlanDocuments(c.trx, c.ward.id, id, created);
    bump(c.counts, "legal_documents", (await countLegal(c.trx, c.ward.id)) - before);
    c.citations = await c.trx
      .selectFrom("legal_citations")
      .select(["position", "document_id", "cited_json", "uncertain"])
      .where("plan_id", "=", id)
      .orderBy("position")
      .execute();
    bump(c.counts, "legal_citations", c.citations.length);
  } else
    await insertAll(
      c.trx,
      "legal_citations",
      c.citations.map((x) => ({ ...x, ward_id: c.ward.id, plan_id: id, created_at: created })),
      c.counts,
    );
  return { id, areaIds, pillars, channelKinds, tasks: taskIds.map((tid) => ({ id: tid })) };
}

const countLegal = async (trx: Trx, wardId: number) =>
  Number(
    (
      await trx
        .selectFrom("legal_documents")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("ward_id", "=", wardId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A ledger row of something published or held (what recordLedgerEntry writes, without a lookup per row). */
function ledgerRow(
  oy: OwnerYear,
  plan: ClonedPlan,
  unit: number,
  e: {
    source: string;
    ref: number;
    channel: string;
    pillar: string;
    title: string;
    on: string;
    audience: number | null;
  },
): Insertable<Database["activities"]> {
  return {
    ward_id: oy.owner.id,
    org_unit_id: unit,
    plan_id: plan.id,
    task_id: null,
    channel_kind: e.channel,
    pillar: e.pillar,
    title: e.title,
    occurred_on: e.on,
    place: null,
    audience: e.audience,
    participants: null,
    cost: null,
    source: e.source,
    source_ref: String(e.ref),
    created_by: null,
    created_at: instantOn(e.on, 17),
  };
}

/** Workflow step rows of items (by id, in the order of `lists`), taken by the generator. */
function stepRows(ids: readonly number[], lists: readonly { from: string; to: string; at: string }[][]) {
  return lists.flatMap((steps, i) =>
    steps.map((s) => ({
      id: ids[i] as number,
      from_status: s.from,
      to_status: s.to,
      at: s.at,
      user_id: null,
      actor: STEP_ACTOR,
      note: null,
    })),
  );
}

/** The ledger rows of published answers (feedback or questions), as their publication records them. */
function answeredLedger(
  oy: OwnerYear,
  plan: ClonedPlan,
  office: number,
  source: "feedback" | "question",
  items: readonly { code: string; status: string; published_at?: string | null }[],
  ids: readonly number[],
) {
  return items.flatMap((item, i) =>
    item.status === "published" && item.published_at
      ? [
          ledgerRow(oy, plan, office, {
            source,
            ref: ids[i] as number,
            channel: "feedback_answer",
            pillar: "procedures",
            title: `${source === "feedback" ? "Trả lời phản ánh, kiến nghị" : "Trả lời câu hỏi"} ${item.code}`,
            on: vnToday(new Date(item.published_at)),
            audience: null,
          }),
        ]
      : [],
  );
}

const nextSlot = (c: WardContext, prefix: string, year: number) => {
  const key = `${prefix}${year}`;
  const n = c.slots.get(key) ?? 0;
  if (n >= SLOTS_PER_WARD) throw new Error(`more than ${SLOTS_PER_WARD} tracking codes for one ward and year`);
  c.slots.set(key, n + 1);
  return c.wardIndex * SLOTS_PER_WARD + n;
};

async function fillOwnerYear(c: WardContext, oy: OwnerYear): Promise<void> {
  const r = streamOf(c.seed, oy.owner.code, oy.year);
  const plan = await clonePlan(c, oy, r);
  const unitIds = [...new Set(c.units.values())];
  const office = c.units.get(DEFAULT_WARD_UNITS[0]?.name ?? "") ?? (unitIds[0] as number);
  const radioUnit = c.units.get(DEFAULT_WARD_UNITS.find((u) => u.code === "radio")?.name ?? "") ?? office;
  const pillar = () => (plan.pillars.length ? r.pick(plan.pillars) : "procedures");
  const scaled = (n: number) => Math.max(1, Math.round(n * oy.share));
  const ledger: Insertable<Database["activities"]>[] = [];
  const day = () => dayIn(r, oy.year, c.today);
  const isThisYear = oy.year === Number(c.today.slice(0, 4));

  // Activities recorded by hand.
  const channelKinds = plan.channelKinds.length ? plan.channelKinds : Object.keys(CHANNEL_KINDS);
  const activityRows: Insertable<Database["activities"]>[] = [];
  const n = Math.max(1, Math.round(c.activities * oy.share));
  for (let i = 0; i < n; i++) {
    const on = day();
    if (!on) break;
    const task = plan.tasks.length && r.chance(0.6) ? r.pick(plan.tasks) : null;
    activityRows.push({
      ward_id: oy.owner.id,
      org_unit_id: r.pick(unitIds),
      plan_id: plan.id,
      task_id: task?.id ?? null,
      channel_kind: r.pick(channelKinds),
      pillar: pillar(),
      title: `${r.pick(ACTIVITY_FORMS)}: ${r.pick(ACTIVITY_TOPICS)}`,
      occurred_on: on,
      place: r.chance(0.7) ? `Tổ dân phố số ${r.int(1, 25)}` : null,
      audience: r.int(15, 400),
      participants: null,
      cost: r.chance(0.3) ? r.int(1, 40) * 100_000 : null,
      source: "manual",
      source_ref: null,
      created_by: null,
      created_at: instantOn(on, 17),
    });
  }

  // Feedback with its workflow steps; the published ones answered in public and counted in the ledger.
  const fbItems: Insertable<Database["feedback_items"]>[] = [];
  const fbSteps: { code: string; steps: ReturnType<typeof answerChain>["steps"] }[] = [];
  for (let i = 0; i < scaled(PER_YEAR.feedback); i++) {
    const on = day();
    if (!on) break;
    const received = instantOn(on, r.int(7, 16), r.int(0, 59));
    const chain = answerChain(FEEDBACK_CHAIN, received, r, c.today);
    const reached = new Set(chain.steps.map((s) => s.to));
    const slot = nextSlot(c, "PA", oy.year);
    const code = demoTrackingCode("PA", oy.year, slot, c.seed);
    const content = r.pick(FEEDBACK_TEXTS);
    const answer = r.pick(ANSWER_TEXTS);
    const published = chain.status === "published";
    fbItems.push({
      ward_id: oy.owner.id,
      code,
      subject: r.pick(Object.keys(SUBJECTS)),
      content_type: r.pick(Object.keys(CONTENT_TYPES)),
      procedure_code: null,
      content,
      status: chain.status,
      channel: r.pick(["web", "web", "desk", "phone", "letter"]),
      received_at: received,
      idempotency_key: null,
      classification: reached.has("in_scope") ? "in_scope" : null,
      reason: null,
      forwarded_to: null,
      assigned_unit_id: reached.has("processing") ? r.pick(unitIds) : null,
      due_on: reached.has("in_scope") ? addDays(on, 21) : null,
      answer_draft: reached.has("drafted") ? answer : null,
      answer_final: reached.has("decided") ? answer : null,
      approved_by: null,
      published_at: published ? chain.at : null,
      entered_by: null,
      public_content: published ? content : null,
      public_answer: published ? answer : null,
      public_id: published ? demoPublicId("PA", oy.year, slot, c.seed) : null,
    });
    fbSteps.push({ code, steps: chain.steps });
  }
  const fbIds = await insertIds(c.trx, "feedback_items", fbItems, "code", c.counts);
  const senderBase = c.wardIndex * 10_000 + (oy.year % 100) * 100;
  await insertAll(
    c.trx,
    "feedback_senders",
    fbItems.map((f, i) => {
      const person = fakePerson(senderBase + i);
      return {
        feedback_id: fbIds[i] as number,
        name: person.name,
        address: person.address,
        phone: person.phone,
        email: null,
        consent_at: f.received_at,
        consent_text: "Dữ liệu mẫu (demo-data): người gửi không có thật.",
        erased_at: null,
        erased_reason: null,
      };
    }),
    c.counts,
  );
  await insertAll(
    c.trx,
    "feedback_steps",
    stepRows(
      fbIds,
      fbSteps.map((f) => f.steps),
    ).map(({ id, ...row }) => ({ item_id: id, ...row })),
    c.counts,
  );
  ledger.push(...answeredLedger(oy, plan, office, "feedback", fbItems, fbIds));

  // Questions (hỏi đáp) with their steps.
  const qItems: Insertable<Database["questions"]>[] = [];
  const qSteps: ReturnType<typeof answerChain>["steps"][] = [];
  for (let i = 0; i < scaled(PER_YEAR.questions); i++) {
    const on = day();
    if (!on) break;
    const received = instantOn(on, r.int(7, 20), r.int(0, 59));
    const chain = answerChain(QUESTION_CHAIN, received, r, c.today);
    const reached = new Set(chain.steps.map((s) => s.to));
    const question = r.pick(QUESTION_TEXTS);
    const answer = r.pick(ANSWER_TEXTS);
    const published = chain.status === "published";
    const slot = nextSlot(c, "HD", oy.year);
    qItems.push({
      ward_id: oy.owner.id,
      code: demoTrackingCode("HD", oy.year, slot, c.seed),
      procedure_code: null,
      question,
      status: chain.status,
      received_at: received,
      idempotency_key: null,
      assigned_unit_id: reached.has("routed") ? r.pick(unitIds) : null,
      answer_draft: reached.has("drafted") ? answer : null,
      answer_final: reached.has("approved") ? answer : null,
      approved_by: null,
      published_at: published ? chain.at : null,
      notified_channel: null,
      public_question: published ? question : null,
      public_answer: published ? answer : null,
      public_id: published ? demoPublicId("HD", oy.year, slot, c.seed) : null,
    });
    qSteps.push(chain.steps);
  }
  const qIds = await insertIds(c.trx, "questions", qItems, "code", c.counts);
  await insertAll(
    c.trx,
    "question_askers",
    qItems.map((q, i) => {
      const person = fakePerson(senderBase + 50 + i);
      return {
        question_id: qIds[i] as number,
        name: person.name,
        email: null,
        phone: person.phone,
        consent_at: q.received_at,
        consent_text: "Dữ liệu mẫu (demo-data): người hỏi không có thật.",
        erased_at: null,
        erased_reason: null,
      };
    }),
    c.counts,
  );
  await insertAll(
    c.trx,
    "question_steps",
    stepRows(qIds, qSteps).map(({ id, ...row }) => ({ question_id: id, ...row })),
    c.counts,
  );
  ledger.push(...answeredLedger(oy, plan, office, "question", qItems, qIds));

  // The portal's channels (survey, events, news, radio) are the ward's own; its predecessors' records are their
  // plan, its activities, feedback and questions.
  if (oy.owner.id !== c.ward.id) {
    await insertAll(c.trx, "activities", [...activityRows, ...ledger], c.counts);
    return;
  }

  // The satisfaction survey of the year, with anonymous responses scored 1–5.
  const opened = `${oy.year}-01-15`;
  if (opened <= c.today) {
    const [surveyId] = await insertIds(
      c.trx,
      "surveys",
      [
        {
          ward_id: oy.owner.id,
          title: `Khảo sát sự hài lòng của người dân năm ${oy.year}`,
          field: null,
          open: isThisYear ? 1 : 0,
          created_at: instantOn(opened, 8),
          org_unit_id: null,
        },
      ],
      "title",
      c.counts,
    );
    const questions = defaultQuestions();
    const questionIds = await insertIds(
      c.trx,
      "survey_questions",
      questions.map((q) => ({
        survey_id: surveyId as number,
        factor: q.factor,
        factor_title: q.factorTitle,
        criterion: q.criterion,
        text: q.text,
        position: q.position,
      })),
      "criterion",
      c.counts,
    );
    const responses: Insertable<Database["survey_responses"]>[] = [];
    for (let i = 0; i < scaled(PER_YEAR.responses); i++) {
      const on = dayIn(r, oy.year, c.today, opened);
      if (!on) break;
      responses.push({
        survey_id: surveyId as number,
        submitted_at: instantOn(on, r.int(7, 17), r.int(0, 59)),
        month: on.slice(0, 7),
        field: null,
        form_token: `demo-${c.seed}-${oy.owner.code}-${oy.year}-${i}`,
        procedure_code: null,
      });
    }
    const responseIds = await insertIds(c.trx, "survey_responses", responses, "form_token", c.counts);
    await insertAll(
      c.trx,
      "survey_answers",
      responseIds.flatMap((rid) =>
        questionIds.map((qid) => ({
          response_id: rid,
          question_id: qid,
          score: r.chance(0.8) ? r.int(4, 5) : r.int(1, 3),
        })),
      ),
      c.counts,
    );
  }

  // Events: held ones count in the ledger; one ahead is announced.
  const events: Insertable<Database["events"]>[] = [];
  for (let i = 0; i < scaled(PER_YEAR.events); i++) {
    const ahead = isThisYear && i === 0;
    const on = ahead ? addDays(c.today, r.int(3, 30)) : day();
    if (!on || on.slice(0, 4) !== String(oy.year)) continue;
    const kind = r.pick(Object.keys(EVENT_KINDS)) as EventKind;
    const held = on <= c.today && !ahead;
    const present = { officials: r.int(5, 30), residents: r.int(20, 200) };
    events.push({
      ward_id: oy.owner.id,
      org_unit_id: r.pick(unitIds),
      kind,
      title: `${r.pick(EVENT_TITLES)} (${i + 1}/${oy.year})`,
      description: "Phổ biến thủ tục hành chính, dịch vụ công trực tuyến và kết quả cải cách hành chính.",
      place: `Nhà văn hóa tổ dân phố số ${r.int(1, 25)}`,
      starts_on: on,
      starts_at: "08:00",
      ends_at: "10:30",
      partners_json: "[]",
      area_ids_json: JSON.stringify(plan.areaIds.length ? [r.pick(plan.areaIds)] : []),
      expected_audience: r.int(30, 250),
      status: held ? "held" : "approved",
      return_reason: null,
      announced_at: instantOn(addDays(on, -7), 9),
      attendance_json: held ? JSON.stringify(present) : null,
      attended: held ? present.officials + present.residents : null,
      cost: held && r.chance(0.5) ? r.int(5, 50) * 100_000 : null,
      withdrawn_reason: null,
      created_by: null,
      created_at: instantOn(addDays(on, -14), 9),
      updated_at: instantOn(held ? on : addDays(on, -7), 11),
    });
  }
  const eventIds = await insertIds(c.trx, "events", events, "title", c.counts);
  await insertAll(
    c.trx,
    "event_steps",
    events.flatMap((e, i) => {
      const chain: [string, string, number][] = [
        ["draft", "submitted", -13],
        ["submitted", "reviewed", -10],
        ["reviewed", "approved", -7],
      ];
      if (e.status === "held") chain.push(["approved", "held", 0]);
      return chain.map(([from, to, d]) => ({
        event_id: eventIds[i] as number,
        from_status: from,
        to_status: to,
        at: instantOn(addDays(e.starts_on, d), 11),
        user_id: null,
        actor: STEP_ACTOR,
        note: null,
      }));
    }),
    c.counts,
  );
  events.forEach((e, i) => {
    if (e.status === "held")
      ledger.push(
        ledgerRow(oy, plan, e.org_unit_id, {
          source: "event",
          ref: eventIds[i] as number,
          channel: CHANNEL_OF_KIND[e.kind as EventKind],
          pillar: pillar(),
          title: e.title,
          on: e.starts_on,
          audience: e.attended ?? null,
        }),
      );
  });

  // News articles, published, each in its first version.
  const articles: Insertable<Database["news_articles"]>[] = [];
  for (let i = 0; i < scaled(PER_YEAR.news); i++) {
    const on = day();
    if (!on) break;
    const title = `${r.pick(NEWS_TITLES)} (${i + 1}/${oy.year})`;
    const summary = `${oy.owner.name} thông tin về ${r.pick(ACTIVITY_TOPICS).toLowerCase()}.`;
    articles.push({
      ward_id: oy.owner.id,
      org_unit_id: r.pick(unitIds),
      kind: r.chance(0.25) ? "model" : "news",
      title,
      summary,
      body: `${summary}\n\nNgười dân cần hỗ trợ có thể liên hệ Bộ phận một cửa trong giờ hành chính.\n\n- ${r.pick(ACTIVITY_TOPICS)}\n- ${r.pick(ACTIVITY_TOPICS)}`,
      area_ids_json: JSON.stringify(plan.areaIds.length ? [r.pick(plan.areaIds)] : []),
      version_no: 1,
      status: "published",
      return_reason: null,
      approved_by: null,
      publish_at: null,
      published_at: instantOn(on, 10),
      views: r.int(20, 900),
      withdrawn_reason: null,
      created_by: null,
      created_at: instantOn(addDays(on, -3), 9),
      updated_at: instantOn(on, 10),
    });
  }
  const articleIds = await insertIds(c.trx, "news_articles", articles, "title", c.counts);
  await insertAll(
    c.trx,
    "news_versions",
    articles.map((a, i) => ({
      article_id: articleIds[i] as number,
      version_no: 1,
      title: a.title,
      summary: a.summary,
      body: a.body,
      area_ids_json: a.area_ids_json,
      user_id: null,
      actor: STEP_ACTOR,
      created_at: a.created_at,
    })),
    c.counts,
  );
  await insertAll(
    c.trx,
    "news_steps",
    articles.flatMap((a, i) =>
      (
        [
          ["draft", "submitted"],
          ["submitted", "reviewed"],
          ["reviewed", "published"],
        ] as const
      ).map(([from, to]) => ({
        article_id: articleIds[i] as number,
        from_status: from,
        to_status: to,
        at: to === "published" ? (a.published_at as string) : a.created_at,
        user_id: null,
        actor: STEP_ACTOR,
        note: null,
        round: 0,
      })),
    ),
    c.counts,
  );
  articles.forEach((a, i) => {
    ledger.push(
      ledgerRow(oy, plan, a.org_unit_id, {
        source: "news",
        ref: articleIds[i] as number,
        channel: "web_portal",
        pillar: pillar(),
        title: a.title,
        on: vnToday(new Date(a.published_at as string)),
        audience: Number(a.views ?? 0),
      }),
    );
  });

  // Radio bulletins, aired once each.
  const bulletins: Insertable<Database["radio_bulletins"]>[] = [];
  for (let i = 0; i < scaled(PER_YEAR.bulletins); i++) {
    const on = day();
    if (!on) break;
    bulletins.push({
      ward_id: oy.owner.id,
      org_unit_id: radioUnit,
      title: `Bản tin cải cách hành chính số ${i + 1}/${oy.year}`,
      broadcast_on: on,
      slot: r.pick(["morning", "noon", "evening"]),
      status: "aired",
      return_reason: null,
      approved_at: instantOn(addDays(on, -2), 15),
      withdrawn_reason: null,
      audio_error: null,
      audio_sha256: null,
      audio_mime: null,
      audio_size: null,
      audio_duration_ms: null,
      audio_origin: null,
      audio_voice: null,
      audio_command: null,
      audio_text_sha256: null,
      audio_made_at: null,
      created_by: null,
      created_at: instantOn(addDays(on, -4), 9),
      updated_at: instantOn(on, 7),
    });
  }
  const bulletinIds = await insertIds(c.trx, "radio_bulletins", bulletins, "title", c.counts);
  await insertAll(
    c.trx,
    "radio_items",
    bulletins.flatMap((_, i) =>
      [0, 1].map((position) => {
        const title = r.pick(RADIO_ITEMS);
        return {
          bulletin_id: bulletinIds[i] as number,
          position,
          title,
          script: `${title}. Bà con cần hỗ trợ xin liên hệ Bộ phận một cửa của ${oy.owner.name}.`,
        };
      }),
    ),
    c.counts,
  );
  await insertAll(
    c.trx,
    "radio_bulletin_steps",
    bulletins.flatMap((b, i) =>
      (
        [
          ["draft", "submitted", -3],
          ["submitted", "reviewed", -3],
          ["reviewed", "approved", -2],
          ["approved", "aired", 0],
        ] as const
      ).map(([from, to, d]) => ({
        bulletin_id: bulletinIds[i] as number,
        from_status: from,
        to_status: to,
        at: instantOn(addDays(b.broadcast_on, d), 15),
        user_id: null,
        actor: STEP_ACTOR,
        note: null,
      })),
    ),
    c.counts,
  );
  const broadcasts = bulletins.map((b, i) => ({
    ward_id: oy.owner.id,
    bulletin_id: bulletinIds[i] as number,
    aired_on: b.broadcast_on,
    aired_at: b.slot === "morning" ? "06:30" : b.slot === "noon" ? "11:30" : "17:30",
    duration_s: r.int(300, 900),
    cluster_ids_json: "[]",
    cluster_names: "",
    listens: r.int(200, 3000),
    withdrawn_at: null,
    created_by: null,
    created_at: instantOn(b.broadcast_on, 18),
  }));
  const broadcastIds = await insertIds(c.trx, "radio_broadcasts", broadcasts, "bulletin_id", c.counts);
  broadcasts.forEach((b, i) => {
    ledger.push(
      ledgerRow(oy, plan, radioUnit, {
        source: "radio",
        ref: broadcastIds[i] as number,
        channel: "radio",
        pillar: pillar(),
        title: `Đài truyền thanh: ${bulletins[i]?.title}`,
        on: b.aired_on,
        audience: b.listens,
      }),
    );
  });

  await insertAll(c.trx, "activities", [...activityRows, ...ledger], c.counts);
}

// ---------------------------------------------------------------------------------------------------------------
// The command

/** Fill the deployment; throws DemoDataError (in Vietnamese) when it refuses. */
export async function generateDemoData(db: Db, opts: DemoDataOptions): Promise<DemoDataSummary> {
  const started = performance.now();
  const k = db.kysely;
  const log = opts.log ?? (() => {});
  if (!Number.isInteger(opts.wards) || opts.wards < 1) throw new DemoDataError("--wards phải là số nguyên dương.");
  if (!Number.isInteger(opts.years) || opts.years < 1 || opts.years > 10)
    throw new DemoDataError("--years phải là số nguyên từ 1 đến 10.");
  if (!Number.isInteger(opts.activities) || opts.activities < 1 || opts.activities > 100_000)
    throw new DemoDataError("--activities phải là số nguyên từ 1 đến 100000.");
  if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new DemoDataError("--seed phải là số nguyên không âm.");
  const seedFile = path.join(opts.sharedDir, SEED_PLAN);
  if (!fs.existsSync(seedFile)) throw new DemoDataError(`Không tìm thấy kế hoạch mẫu ${seedFile}.`);
  const seedText = fs.readFileSync(seedFile, "utf8");
  const parsed = parsePlanText(seedText);
  if (!parsed.ok) throw new DemoDataError(`Không đọc được kế hoạch mẫu: ${parsed.error}`);

  const unitCount = await k
    .selectFrom("admin_units")
    .select((e) => e.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  if (Number(unitCount.n) === 0) {
    const dir = path.join(opts.sharedDir, UNITS_DIR);
    if (!fs.existsSync(dir)) throw new DemoDataError(`Chưa có danh mục đơn vị hành chính và không tìm thấy ${dir}.`);
    log("Nạp danh mục đơn vị hành chính…");
    await loadAdminUnits(db, await readDvhcvn(dir));
  }
  const today = vnToday(opts.now);
  const thisYear = Number(today.slice(0, 4));
  const years = Array.from({ length: opts.years }, (_, i) => thisYear - opts.years + 1 + i);
  const picks = await pickWards(k, opts.wards, opts.firstWard, today);
  if (!picks.length) throw new DemoDataError("Danh mục đơn vị hành chính không có xã, phường nào đang hoạt động.");
  if (picks.length < opts.wards)
    log(`Chỉ có ${picks.length} xã, phường đang hoạt động: tạo dữ liệu cho cả ${picks.length}.`);
  const scopeIds = picks.flatMap((p) => [p.unit.id, ...p.predecessors.map((x) => x.id)]);

  const existing = await existingRows(k, scopeIds, parsed.hash);
  if (Object.keys(existing).length && !opts.replace)
    throw new DemoDataError(
      `Các xã, phường này đã có dữ liệu (${Object.entries(existing)
        .map(([t, n]) => `${t}: ${n}`)
        .join(", ")}). Không ghi gì. Dùng --replace để xoá dữ liệu của các xã, phường này rồi tạo lại.`,
    );
  if (opts.replace) {
    log("Xoá dữ liệu cũ của các xã, phường đã chọn…");
    for (let i = 0; i < scopeIds.length; i += 300) {
      const chunk = scopeIds.slice(i, i + 300);
      await k.transaction().execute((trx) => deleteScope(trx, chunk));
    }
  }

  // The template: the seed plan through the real importer, in the first ward (its units made first, as at setup).
  const first = picks[0] as WardPick;
  const counts: Counts = {};
  const createdAt = instantOn(`${years[0]}-01-02`, 8);
  await k.transaction().execute(async (trx) => {
    const has = await trx.selectFrom("org_units").select("id").where("ward_id", "=", first.unit.id).executeTakeFirst();
    if (has) return;
    const defaults = DEFAULT_WARD_UNITS.map((u) => ({
      id: 0,
      code: u.code,
      name: u.name,
      kind: undefined as unknown as string,
      aliases: [u.name, ...u.aliases].map((a) => ({ org_unit_id: 0, alias: a, alias_key: unitKey(a) })),
    }));
    for (const d of defaults) d.kind = unitKindOf(d.name, d.code);
    await ensureUnits(trx, first.unit.id, defaults, createdAt, counts);
  });
  const firstWard = await wardOf(k, first.unit, "");
  const imported = await confirmPlanImport(k, DEMO_ACTOR, firstWard, seedText, {
    now: opts.now,
    today,
    unknownUnits: "create",
  });
  if (!imported.ok) throw new DemoDataError(`Không nhập được kế hoạch mẫu: ${imported.error}`);
  const template = await loadTemplatePlan(k, imported.planId);
  const templateUnits = await loadTemplateUnits(k, first.unit.id);
  log(
    `Kế hoạch mẫu #${template.plan.id} (${template.plan.number}, ${template.tasks.length} nhiệm vụ); ${picks.length} xã, phường × ${years.length} năm, ${opts.activities} hoạt động mỗi năm.`,
  );

  let lastLog = performance.now();
  for (const [wardIndex, pick] of picks.entries()) {
    await k.transaction().execute(async (trx) => {
      const units = await ensureUnits(trx, pick.unit.id, templateUnits, createdAt, counts);
      const c: WardContext = {
        trx,
        seed: opts.seed,
        today,
        ward: pick.unit,
        wardIndex,
        units,
        template,
        counts,
        slots: new Map(),
        activities: opts.activities,
        citations: null,
      };
      for (const oy of ownerYears(pick.unit, pick.predecessors, years)) await fillOwnerYear(c, oy);
    });
    const t = performance.now();
    if (t - lastLog > 2000 || wardIndex === picks.length - 1) {
      lastLog = t;
      log(
        `${wardIndex + 1}/${picks.length} xã, phường (${pick.unit.name}); ${counts.activities ?? 0} hoạt động; ${((t - started) / 1000).toFixed(1)} giây`,
      );
    }
  }
  const summary: DemoDataSummary = {
    seed: opts.seed,
    years,
    wards: picks.length,
    firstWards: picks.slice(0, 5).map((p) => p.unit.code),
    predecessors: picks.reduce((n, p) => n + p.predecessors.length, 0),
    rows: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  await audit(
    k,
    DEMO_ACTOR,
    {
      action: "demo_data.generate",
      entity: "deployment",
      after: { seed: opts.seed, years, wards: picks.length, activities: opts.activities, replace: opts.replace },
    },
    opts.now,
  );
  forgetWards(db);
  return summary;
}
