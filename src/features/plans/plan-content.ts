/**
 * What a plan says, as one structure for both kinds of stored plan: an imported one (read back from its rows) and
 * a drafted one (next year's plan, kept as this structure while it is edited). The export writes a Decree 30
 * "KẾ HOẠCH" from it (plan-export.ts); next year's draft starts as a copy of it (next-plan.ts). Pure.
 */
import { dong } from "./budget.sql.ts";
import { budgetTotal } from "./budget.ts";
import type { ChannelKind, PillarCode } from "./plan-draft.ts";
import { timingOf } from "./plan-tasks.ts";
import type { LoadedPlan } from "./plans.service.ts";
import { parseJsonList, unitsOfTask } from "./plans.views.tsx";

export interface PlanSigner {
  /** "TM. ỦY BAN NHÂN DÂN", or null. */
  authority: string | null;
  /** "KT. CHỦ TỊCH", or null. */
  onBehalfOf: string | null;
  /** "CHỦ TỊCH", "PHÓ CHỦ TỊCH". */
  position: string;
  /** Null while the plan is not issued and the signer is not known yet. */
  name: string | null;
}

export interface PlanContentTask {
  text: string;
  /** The timing in words ("hằng quý", "quý II/2025", "ngày 30/6/2025"), written in the document when the text
   *  does not state it already; null for "within the plan's period". */
  timing: string | null;
  /** Units asked to support, by id when known (a drafted plan), by name as written otherwise. */
  supportUnits: { id: number | null; name: string }[];
}

export interface PlanContentGroup {
  /** The heading of section "Tổ chức thực hiện" as written: "Văn phòng – Thống kê UBND phường". */
  heading: string;
  /** The ward's unit that leads these tasks, when known. */
  leadUnitId: number | null;
  tasks: PlanContentTask[];
}

/** A plan's budget (issue 9 §2): its lines and total as stored; null when the plan states none. */
export interface PlanContentBudget {
  /** Đồng; null when the plan states no total. */
  total: number | null;
  lines: { amount: number | null; source: string; purpose: string }[];
}

export interface PlanContent {
  /** The issuing body as the text names it: "UBND phường Phổ Minh". */
  issuer: string;
  /** The place of the date line: "Phổ Minh". */
  place: string;
  /** The summary line under "KẾ HOẠCH". */
  title: string;
  period: { from: string; to: string } | null;
  /** "Căn cứ …" paragraphs. */
  basis: string[];
  purposes: string[];
  requirements: string[];
  documentsToCommunicate: string;
  contentAreas: { title: string; pillar: PillarCode | null; items: string[] }[];
  channels: { title: string; kind: ChannelKind }[];
  budget: PlanContentBudget | null;
  groups: PlanContentGroup[];
  /** "Nơi nhận", one entry per line without its dash. */
  recipients: string[];
  signer: PlanSigner;
}

const RECURRENCE_WORDS: Record<string, string> = {
  monthly: "hằng tháng",
  quarterly: "hằng quý",
  yearly: "hằng năm",
  continuous: "thường xuyên",
};

const dmy = (iso: string) => iso.split("-").reverse().join("/");

/**
 * A stored task's timing in words, when its text does not say it: its recurrence, or a due date other than the
 * plan's end (which every task without a stated timing gets). Null when the text already states it, so an
 * imported plan is written back exactly as it was worded.
 */
export function storedTiming(
  t: { text: string; due_on: string | null; recurrence: string | null },
  periodTo: string | null,
): string | null {
  if (timingOf(t.text)) return null;
  if (t.recurrence) return RECURRENCE_WORDS[t.recurrence] ?? null;
  if (t.due_on && t.due_on !== periodTo) return `ngày ${dmy(t.due_on)}`;
  return null;
}

// `\b` does not see the end of "PHÓ" (a non-ASCII letter): a space or the end of the line does.
const SIGNER_HEADS = /^((?:KT|Q|TL|TUQ)\.\s*\S.*?)\s+((?:PHÓ|CHÁNH|TRƯỞNG|GIÁM|CHỦ)(?=\s|$).*)$/u;

/**
 * The signature lines of a stored position: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" (the plan reader joins the title lines)
 * splits into the on-behalf line and the position; "TM. …" is the authority line.
 */
export function signerOf(position: string | null, name: string | null): PlanSigner {
  let rest = (position ?? "").trim();
  let authority: string | null = null;
  const tm = /^(TM\.\s*.+?)\s+((?:KT|Q|TL|TUQ)\.\s*.+|CHỦ TỊCH.*|PHÓ CHỦ TỊCH.*)$/u.exec(rest);
  if (tm?.[1] && tm[2]) {
    authority = tm[1];
    rest = tm[2];
  }
  const split = SIGNER_HEADS.exec(rest);
  return {
    authority,
    onBehalfOf: split?.[1] ?? null,
    position: split?.[2] ?? (rest || "CHỦ TỊCH"),
    name: name?.trim() ? name.trim() : null,
  };
}

/** A stored plan's signer: the authority lines have columns of their own (migration 024, issue 9 plan layouts). */
function storedSigner(plan: LoadedPlan["plan"]): PlanSigner {
  return {
    authority: plan.signer_authority ?? null,
    onBehalfOf: plan.signer_on_behalf_of ?? null,
    position: plan.signer_position ?? "CHỦ TỊCH",
    name: plan.signer_name?.trim() || null,
  };
}

/** A stored plan's budget: the lines as read or edited, the total stated or summed; null without either. */
function storedBudget(p: LoadedPlan): PlanContentBudget | null {
  const stated = dong(p.plan.budget_stated);
  if (p.budgetLines.length === 0 && stated === null) return null;
  const lines = p.budgetLines.map((l) => ({ amount: dong(l.amount), source: l.source ?? "", purpose: l.purpose }));
  return { total: budgetTotal(stated, lines), lines };
}

/** "UBND phường Đức Phổ" from the admin unit's name "Phường Đức Phổ" (when the plan text named no issuer). */
export function issuerFromUnitName(name: string): string {
  return `UBND ${name.replace(/^(Phường|Xã|Thị trấn|Đặc khu)\b/u, (m) => m.toLowerCase())}`;
}

/** A stored plan (imported or issued from a draft) as what it says. */
export function contentOfStoredPlan(p: LoadedPlan): PlanContent {
  const { plan } = p;
  const groups: PlanContentGroup[] = [];
  let groupCode: string | null = null;
  for (const t of p.tasks) {
    const units = unitsOfTask(p, t.id);
    let group = groups.at(-1);
    if (!group || t.group_code !== groupCode) {
      group = { heading: t.group_heading, leadUnitId: units.find((u) => u.role === "lead")?.id ?? null, tasks: [] };
      groups.push(group);
      groupCode = t.group_code;
    }
    group.tasks.push({
      text: t.text,
      timing: storedTiming(t, plan.period_to),
      supportUnits: units.filter((u) => u.role === "support").map((u) => ({ id: u.id, name: u.name })),
    });
  }
  return {
    issuer: plan.issuer ?? issuerFromUnitName(p.issuing?.name ?? ""),
    place: plan.place ?? p.issuing?.short_name ?? p.issuing?.name ?? "",
    title: plan.title,
    period: plan.period_from && plan.period_to ? { from: plan.period_from, to: plan.period_to } : null,
    basis: parseJsonList(plan.basis_json),
    purposes: parseJsonList(plan.purposes_json),
    requirements: parseJsonList(plan.requirements_json),
    documentsToCommunicate: plan.documents_text,
    contentAreas: p.areas.map((a) => ({
      title: a.title,
      pillar: a.pillar as PillarCode | null,
      items: parseJsonList(a.items_json),
    })),
    channels: p.channels.map((c) => ({ title: c.title, kind: c.kind as ChannelKind })),
    budget: storedBudget(p),
    groups,
    recipients: parseJsonList(plan.recipients_json),
    signer: storedSigner(plan),
  };
}

/** How many tasks a plan gives its units. */
export const taskCount = (c: PlanContent) => c.groups.reduce((n, g) => n + g.tasks.length, 0);
