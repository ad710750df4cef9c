/**
 * Pure: what a citizen needs first about a procedure — the main papers, how long, how much, where and when to
 * submit, online or not — from its record, the ward's local values for it and the ward's contact details. The
 * procedure page puts these first, the notice board's summary sheet prints only these. Nothing is guessed: a time
 * the source gives without a unit says so, an empty value says the source gives none.
 */
import type { WardContact } from "../../core/web/context.ts";
import { CHANNEL_LABELS, type DossierGroup, type ProcedureRecord } from "./procedure-record.ts";
import type { LocalOverride } from "./procedures.catalogue.ts";

/** Beside a bare number of the source's "Thời hạn giải quyết" ("Trực tuyến: 1"): which unit it means is unknown. */
export const NO_UNIT_NOTE = "(nguồn không ghi đơn vị)";

/** A time limit as the source gives it; a bare number is marked as having no unit, never given a guessed one. */
export function timeLimitText(raw: string): string {
  const t = raw.trim();
  if (!t) return "nguồn không ghi thời hạn";
  return /^\d+(?:[.,]\d+)?$/.test(t) ? `${t} ${NO_UNIT_NOTE}` : t;
}

/** A fee as the source gives it; empty means the source gives none (not that it is free). */
export const feeText = (raw: string) => raw.trim() || "nguồn không ghi";

export interface ChannelFact {
  label: string;
  time: string;
  fee: string;
}

export interface Place {
  /** Where to submit: the procedure's own local address, else the ward's desk, else what the source names. */
  where: string;
  /** True when `where` is the ward's own information (its override or its profile), not the national record's. */
  local: boolean;
  /** What the national record names, shown beside the ward's address when it differs ("Công an Xã"). */
  sourceWhere: string;
  /** When: the procedure's own hours, else the ward's desk hours; "" when neither is known. */
  when: string;
}

export interface Essentials {
  channels: ChannelFact[];
  /** The ward's own fee for this procedure, which replaces the channels' fees. */
  localFee: string | null;
  online: boolean;
  place: Place;
}

export function placeOf(r: ProcedureRecord, o: LocalOverride | null, contact: WardContact | null | undefined): Place {
  const sourceWhere = r.receivingAddress || r.implementingAgency || "";
  const local = o?.receivingAddress || contact?.address || "";
  return {
    where: local || sourceWhere,
    local: !!local,
    sourceWhere: local && sourceWhere !== local ? sourceWhere : "",
    when: o?.openingHours || contact?.deskHours || "",
  };
}

export function essentialsOf(
  r: ProcedureRecord,
  o: LocalOverride | null,
  contact: WardContact | null | undefined,
): Essentials {
  return {
    channels: r.channels.map((c) => ({
      label: CHANNEL_LABELS[c.channel],
      time: timeLimitText(c.timeLimit),
      fee: feeText(c.fee),
    })),
    localFee: o?.fee || null,
    online: r.channels.some((c) => c.channel === "truc_tuyen"),
    place: placeOf(r, o, contact),
  };
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

export interface PaperSummary {
  /** One entry per case ("Trường hợp …"), "" for the only one; at most `maxCases`. */
  groups: { caseName: string; items: string[]; moreItems: number }[];
  moreCases: number;
  /** Whether anything was left out (then the full list is linked). */
  truncated: boolean;
}

/**
 * The main papers: each case's first items, names clipped to `maxChars`, at most `maxItems` items in all and
 * `maxCases` cases, so the list stays within a screenful (or a sheet); what is left out is counted.
 */
export function mainPapers(
  dossier: DossierGroup[],
  limits: { maxItems: number; maxCases: number; maxChars: number },
): PaperSummary {
  const shown = dossier.slice(0, limits.maxCases);
  const perCase = Math.max(1, Math.floor(limits.maxItems / Math.max(1, shown.length)));
  const groups = shown.map((g) => {
    const names = g.items.map((i) => i.name || i.form).filter(Boolean);
    return {
      caseName: clip(g.caseName, limits.maxChars),
      items: names.slice(0, perCase).map((n) => clip(n, limits.maxChars)),
      moreItems: Math.max(0, names.length - perCase),
    };
  });
  const moreCases = Math.max(0, dossier.length - shown.length);
  const clipped = (s: string, max: number) => s.length > max;
  const truncated =
    moreCases > 0 ||
    groups.some((g) => g.moreItems > 0) ||
    dossier.some(
      (g) => clipped(g.caseName, limits.maxChars) || g.items.some((i) => clipped(i.name || i.form, limits.maxChars)),
    );
  return { groups, moreCases, truncated };
}
