/** Open data API for plans: ISO dates, lists as {total, items}, English codes with Vietnamese labels beside them. */

import { Hono } from "hono";
import { vnToday } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { budgetJson } from "./budget.service.ts";
import { type LoadedPlan, loadPlan, plansOfWard, planVisibleIn } from "./plans.service.ts";
import { vocabularyRows } from "./plans.sql.ts";
import { parseJsonList, unitsOfTask } from "./plans.views.tsx";
import { STATUS_LABELS } from "./progress.ts";
import { taskStates } from "./task-states.ts";

/** The JSON form of a plan, shared by the API and tests. */
export async function planJson(
  db: import("kysely").Kysely<import("../../core/db/schema.ts").Database>,
  p: LoadedPlan,
  today: string,
) {
  const { plan } = p;
  const states = await taskStates(db, p, today);
  return {
    id: plan.id,
    number: plan.number,
    title: plan.title,
    issuedOn: plan.issued_on,
    place: plan.place,
    issuer: plan.issuer,
    ward: p.issuing ? { code: p.issuing.code, name: p.issuing.name, validTo: p.issuing.valid_to } : null,
    period: { from: plan.period_from, to: plan.period_to },
    basis: parseJsonList(plan.basis_json),
    signer: {
      name: plan.signer_name,
      position: plan.signer_position,
      authority: plan.signer_authority,
      onBehalfOf: plan.signer_on_behalf_of,
    },
    purposes: parseJsonList(plan.purposes_json),
    requirements: parseJsonList(plan.requirements_json),
    documentsToCommunicate: plan.documents_text,
    contentAreas: p.areas.map((a) => ({
      code: a.code,
      title: a.title,
      pillar: a.pillar,
      items: parseJsonList(a.items_json),
    })),
    channels: p.channels.map((ch) => ({ code: ch.code, title: ch.title, kind: ch.kind })),
    references: p.references.map((r) => ({
      kind: r.kind,
      number: r.number,
      title: r.title,
      issuedOn: r.issued_on,
      issuer: r.issuer,
      year: r.year,
    })),
    mentions: parseJsonList(plan.mentions_json),
    recipients: parseJsonList(plan.recipients_json),
    budget: await budgetJson(db, plan.id),
    tasks: p.tasks.map((t) => {
      const units = unitsOfTask(p, t.id);
      const lead = units.find((u) => u.role === "lead");
      const status = states.get(t.id) ?? "not_started";
      return {
        id: t.id,
        group: t.group_code,
        text: t.text,
        units,
        unit: lead ? { id: lead.id, name: lead.name } : null,
        status,
        statusLabel: STATUS_LABELS[status],
        dueOn: t.due_on,
        recurrence: t.recurrence,
      };
    }),
  };
}

export function plansApi() {
  const app = new Hono<AppEnv>();
  app.get("/vocabularies", async (c) => {
    apiQuery(c, {});
    const rows = await vocabularyRows(c.get("deps").db.kysely);
    const pick = (v: string) => rows.filter((r) => r.vocabulary === v).map(({ code, label }) => ({ code, label }));
    return c.json({ pillars: pick("pillar"), channelKinds: pick("channel_kind") });
  });
  app.get("/plans", async (c) => {
    apiQuery(c, {});
    const ward = c.get("ward");
    const rows = await plansOfWard(c.get("deps").db.kysely, ward);
    const partialIds = new Set(ward.predecessors.filter((p) => p.kind === "partial").map((p) => p.unit.id));
    return c.json({
      total: rows.length,
      items: rows.map((p) => ({
        id: p.id,
        number: p.number,
        title: p.title,
        year: p.period_from ? Number(p.period_from.slice(0, 4)) : Number(p.issued_on.slice(0, 4)),
        issuedOn: p.issued_on,
        ward: { code: p.ward_code, name: p.ward_name, validTo: p.ward_valid_to, partial: partialIds.has(p.ward_id) },
      })),
    });
  });
  app.get("/plans/:id{[0-9]+}", async (c) => {
    apiQuery(c, {});
    const { db, clock } = c.get("deps");
    const p = await loadPlan(db.kysely, Number(c.req.param("id")));
    if (!p || !planVisibleIn(p.plan, c.get("ward"))) throw notFound("Không tìm thấy kế hoạch.");
    return c.json(await planJson(db.kysely, p, vnToday(clock())));
  });
  return app;
}
