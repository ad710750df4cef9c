/**
 * The edit form of next year's plan, validated at the edge with zod: one field per line of the document, lists as
 * one item per line, and indexed rows for content areas, channels, unit groups and their tasks (`area-0-title`,
 * `task-1-2-timing`, …), each with a "Xóa" box; a row left blank is one not added. Errors are keyed by the field's
 * id, in Vietnamese, so the page's error summary links to the field. Pure.
 */
import { z } from "zod";
import { nfc, parseVnDate, squash } from "../../core/text/vi.ts";
import { type FieldErrors, validate } from "../../core/web/validation.ts";
import type { PlanContent, PlanContentGroup } from "./plan-content.ts";
import { CHANNEL_KINDS, type ChannelKind, PILLARS, type PillarCode } from "./plan-draft.ts";
import { timingMeaning } from "./plan-tasks.ts";

type Values = Record<string, string>;

const line = (max: number, empty: string, long: string) =>
  z.preprocess((v) => (typeof v === "string" ? squash(nfc(v)) : ""), z.string().min(1, empty).max(max, long));
const optionalLine = (max: number, long: string) =>
  z.preprocess((v) => (typeof v === "string" ? squash(nfc(v)) : ""), z.string().max(max, long));
const lines = (maxItems: number, maxLen: number, what: string) =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? nfc(v)
            .split(/\r?\n/)
            .map((l) => squash(l.replace(/^[-–•+*]\s+/u, "")))
            .filter(Boolean)
        : [],
    z
      .array(z.string().max(maxLen, `Mỗi dòng ${what} tối đa ${maxLen} ký tự.`))
      .max(maxItems, `Tối đa ${maxItems} dòng ${what}.`),
  );
const dateField = (message: string) =>
  z.preprocess(
    (v) => {
      const t = typeof v === "string" ? v.trim() : "";
      return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : (parseVnDate(t) ?? t);
    },
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, message),
  );

const head = z.object({
  title: line(300, "Ghi tên (trích yếu) của kế hoạch.", "Tên kế hoạch tối đa 300 ký tự."),
  place: line(100, "Ghi địa danh (nơi ban hành).", "Địa danh tối đa 100 ký tự."),
  periodFrom: dateField("Ngày bắt đầu thực hiện chưa đúng (dd/mm/yyyy)."),
  periodTo: dateField("Ngày kết thúc thực hiện chưa đúng (dd/mm/yyyy)."),
  basis: lines(30, 1000, "căn cứ"),
  purposes: lines(50, 2000, "mục đích").refine((x) => x.length > 0, "Ghi ít nhất một mục đích."),
  requirements: lines(50, 2000, "yêu cầu").refine((x) => x.length > 0, "Ghi ít nhất một yêu cầu."),
  documents: z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).trim() : ""),
    z.string().max(20000, "Tối đa 20.000 ký tự."),
  ),
  recipients: lines(40, 300, "nơi nhận"),
  signerAuthority: optionalLine(100, "Tối đa 100 ký tự."),
  signerOnBehalfOf: optionalLine(100, "Tối đa 100 ký tự."),
  signerPosition: line(100, "Ghi chức vụ người ký (ví dụ CHỦ TỊCH).", "Tối đa 100 ký tự."),
});

const areaRow = z.object({
  title: line(300, "Ghi tên nội dung tuyên truyền.", "Tên nội dung tối đa 300 ký tự."),
  pillar: z.preprocess(
    (v) => (v === "" || v == null ? null : v),
    z
      .enum(Object.keys(PILLARS) as [PillarCode, ...PillarCode[]], { error: "Chọn lĩnh vực cải cách hành chính." })
      .nullable(),
  ),
  items: lines(50, 2000, "nội dung"),
});

const channelRow = z.object({
  title: line(500, "Ghi tên hình thức tuyên truyền.", "Tối đa 500 ký tự."),
  kind: z.enum(Object.keys(CHANNEL_KINDS) as [ChannelKind, ...ChannelKind[]], { error: "Chọn loại hình thức." }),
});

const taskRow = z.object({
  text: line(2000, "Ghi nội dung nhiệm vụ.", "Nhiệm vụ tối đa 2.000 ký tự."),
  timing: z
    .preprocess((v) => (typeof v === "string" && v.trim() ? squash(nfc(v)) : null), z.string().max(100).nullable())
    .refine(
      (t) => t === null || timingMeaning(t).recurrence !== null || timingMeaning(t).dueOn !== null,
      "Thời gian chưa rõ: ghi “thường xuyên”, “hằng tháng”, “hằng quý”, “quý II/2025”, “trong tháng 6/2025” hoặc một ngày (30/6/2025).",
    ),
});

/** The highest row index of fields named `${prefix}-{n}-…` (−1 when there is none). */
function rowsOf(v: Values, re: RegExp): number[] {
  const found = new Set<number>();
  for (const k of Object.keys(v)) {
    const m = re.exec(k);
    if (m?.[1]) found.add(Number(m[1]));
  }
  return [...found].filter((n) => n < 500).sort((a, b) => a - b);
}

const blank = (...xs: (string | undefined)[]) => xs.every((x) => !x || x.trim() === "");
const removed = (v: Values, key: string) => v[`${key}-remove`] === "yes";

function addErrors(into: FieldErrors, prefix: string, errors: FieldErrors) {
  for (const [k, m] of Object.entries(errors)) into[`${prefix}-${k}`] ??= m;
}

/**
 * The edited plan, or the errors by field id. `base` gives what the form does not edit (the issuer, the budget);
 * `units` the ward's units in force, the only ones a group or a task may be given to.
 */
export function readNextPlanForm(
  v: Values,
  base: PlanContent,
  units: readonly { id: number; name: string }[],
): { ok: true; value: PlanContent } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const h = validate(head, v);
  if (!h.ok) Object.assign(errors, h.errors);
  // The period on its own, so its order and the tasks' dates are checked whatever else is wrong.
  const p = validate(head.pick({ periodFrom: true, periodTo: true }), v);
  const period = p.ok && p.value.periodFrom <= p.value.periodTo ? p.value : null;
  if (p.ok && !period) errors.periodTo = "Ngày kết thúc thực hiện phải sau ngày bắt đầu.";

  const contentAreas: PlanContent["contentAreas"] = [];
  for (const i of rowsOf(v, /^area-(\d+)-/)) {
    const key = `area-${i}`;
    if (removed(v, key) || blank(v[`${key}-title`], v[`${key}-items`])) continue;
    const r = validate(areaRow, { title: v[`${key}-title`], pillar: v[`${key}-pillar`], items: v[`${key}-items`] });
    if (r.ok) contentAreas.push(r.value);
    else addErrors(errors, key, r.errors);
  }

  const channels: PlanContent["channels"] = [];
  for (const i of rowsOf(v, /^channel-(\d+)-/)) {
    const key = `channel-${i}`;
    if (removed(v, key) || blank(v[`${key}-title`])) continue;
    const r = validate(channelRow, { title: v[`${key}-title`], kind: v[`${key}-kind`] });
    if (r.ok) channels.push(r.value);
    else addErrors(errors, key, r.errors);
  }

  const unitById = new Map(units.map((u) => [u.id, u]));
  const groups: PlanContentGroup[] = [];
  for (const i of rowsOf(v, /^group-(\d+)-/)) {
    const key = `group-${i}`;
    if (removed(v, key)) continue;
    const unitId = /^\d+$/.test(v[`${key}-unit`] ?? "") ? Number(v[`${key}-unit`]) : null;
    const unit = unitId === null ? null : (unitById.get(unitId) ?? null);
    if (unitId !== null && !unit) errors[`${key}-unit`] = "Chọn một đơn vị đang hoạt động của phường.";
    const tasks: PlanContentGroup["tasks"] = [];
    const taskRe = new RegExp(`^task-${i}-(\\d+)-`);
    for (const j of rowsOf(v, taskRe)) {
      const tkey = `task-${i}-${j}`;
      if (removed(v, tkey) || blank(v[`${tkey}-text`])) continue;
      const r = validate(taskRow, { text: v[`${tkey}-text`], timing: v[`${tkey}-timing`] });
      if (!r.ok) {
        addErrors(errors, tkey, r.errors);
        continue;
      }
      const due = r.value.timing ? timingMeaning(r.value.timing).dueOn : null;
      if (due && period && (due < period.periodFrom || due > period.periodTo))
        errors[`${tkey}-timing`] = "Hạn của nhiệm vụ nằm ngoài thời gian thực hiện kế hoạch.";
      const supportUnits = units
        .filter((u) => v[`${tkey}-support-${u.id}`] === "yes" && u.id !== unitId)
        .map((u) => ({ id: u.id, name: u.name }));
      tasks.push({ text: r.value.text, timing: r.value.timing, supportUnits });
    }
    const heading = squash(nfc(v[`${key}-heading`] ?? "")).replace(/:$/, "") || unit?.name || "";
    if (!heading && tasks.length === 0) continue;
    if (!heading) errors[`${key}-heading`] = "Ghi tên nhóm nhiệm vụ (đơn vị được giao).";
    else if (heading.length > 300) errors[`${key}-heading`] = "Tên nhóm tối đa 300 ký tự.";
    if (tasks.length > 0 && unitId === null) errors[`${key}-unit`] = `Chọn đơn vị chủ trì cho “${heading}”.`;
    groups.push({ heading, leadUnitId: unit?.id ?? null, tasks });
  }

  if (!h.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const x = h.value;
  return {
    ok: true,
    value: {
      ...base,
      title: x.title,
      place: x.place,
      period: { from: x.periodFrom, to: x.periodTo },
      basis: x.basis,
      purposes: x.purposes,
      requirements: x.requirements,
      documentsToCommunicate: x.documents,
      contentAreas,
      channels,
      groups,
      recipients: x.recipients,
      signer: {
        authority: x.signerAuthority || null,
        onBehalfOf: x.signerOnBehalfOf || null,
        position: x.signerPosition,
        name: null,
      },
    },
  };
}
