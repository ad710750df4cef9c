/**
 * "Lập kế hoạch năm sau": next year's plan starts as a copy of this year's — aims, content areas, channels, each
 * unit's tasks with their timing — with the plan's year moved on by one wherever the plan speaks of its own time
 * ("năm 2024", "quý II/2024", "trong tháng 6/2024", "ngày 30/6/2024"), never inside a cited document ("Quyết định
 * số 181/QĐ-UBND ngày 29/12/2024": a document keeps its date). The cited bases are carried as they are, for staff
 * to edit. The issuer is the ward as it is today (a plan of a predecessor is followed by one of its successor).
 * Pure.
 */
import { squash } from "../../core/text/vi.ts";
import type { PlanContent } from "./plan-content.ts";

/** A date right after a document number is that document's date ("181/QĐ-UBND ngày 29/12/2023"). */
const AFTER_DOC_NUMBER = /\d+\s*[/-]\s*\p{Lu}[\p{L}\d/-]*\s*,?\s*(?:ngày\s*)?$/u;

/**
 * The plan's own year `from` moved to `from + 1` in a text: "năm Y", "quý …/Y", "tháng m/Y", "d/m/Y" — except a
 * date that belongs to a cited document and a range ("giai đoạn 2021 - 2025") that is not the plan's year alone.
 */
export function moveYear(text: string, from: number): string {
  const y = String(from);
  const to = String(from + 1);
  const re = new RegExp(
    String.raw`(năm\s+|quý\s+(?:IV|III|II|I|[1-4])\s*(?:\/|năm\s+)|tháng\s+\d{1,2}\s*[/-]\s*|\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s+năm\s+)${y}(?!\d)(?!\s*[-–—]\s*\d{4})`,
    "giu",
  );
  return text.replace(re, (whole, lead: string, offset: number) => {
    if (AFTER_DOC_NUMBER.test(text.slice(0, offset))) return whole;
    if (/giai đoạn\s*$/iu.test(text.slice(0, offset))) return whole;
    return `${lead}${to}`;
  });
}

/** An ISO date one year later (29 February becomes 28 February). */
export function nextYearDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export interface NextPlanWard {
  /** "Phường Đức Phổ". */
  name: string;
  /** "Đức Phổ": the place of the date line. */
  shortName: string;
  /** The ward's units in force today: a task keeps its unit only while that unit may still be given work. */
  unitIds: ReadonlySet<number>;
}

/** The plan's year: its period's, else the year it names in its title. */
export function planYear(c: PlanContent): number | null {
  if (c.period) return Number(c.period.from.slice(0, 4));
  const m = /năm\s+(\d{4})/u.exec(c.title);
  return m ? Number(m[1]) : null;
}

/** Next year's draft from this year's plan. */
export function nextYearContent(c: PlanContent, ward: NextPlanWard): PlanContent {
  const year = planYear(c) ?? new Date().getUTCFullYear();
  const move = (s: string) => moveYear(s, year);
  const keepUnit = (id: number | null) => (id !== null && ward.unitIds.has(id) ? id : null);
  const unitType = ward.name.replace(/^(Phường|Xã|Thị trấn|Đặc khu)\b.*$/u, "$1").toLocaleLowerCase("vi");
  return {
    issuer: `UBND ${unitType} ${ward.shortName}`,
    place: ward.shortName,
    title: squash(move(c.title)),
    period: c.period
      ? { from: nextYearDate(c.period.from), to: nextYearDate(c.period.to) }
      : { from: `${year + 1}-01-01`, to: `${year + 1}-12-31` },
    basis: [...c.basis],
    purposes: c.purposes.map(move),
    requirements: c.requirements.map(move),
    documentsToCommunicate: c.documentsToCommunicate,
    contentAreas: c.contentAreas.map((a) => ({ title: move(a.title), pillar: a.pillar, items: a.items.map(move) })),
    channels: c.channels.map((ch) => ({ title: move(ch.title), kind: ch.kind })),
    budget: c.budget ? { total: c.budget.total, lines: c.budget.lines.map((l) => ({ ...l })) } : null,
    groups: c.groups.map((g) => ({
      heading: g.heading,
      leadUnitId: keepUnit(g.leadUnitId),
      tasks: g.tasks.map((t) => ({
        text: move(t.text),
        timing: t.timing ? move(t.timing) : null,
        supportUnits: t.supportUnits.filter((u) => u.id === null || keepUnit(u.id) !== null),
      })),
    })),
    recipients: [...c.recipients],
    // The same office signs; who holds it is known when the plan is issued.
    signer: { ...c.signer, name: null },
  };
}
