/**
 * Where each figure of a report comes from, as links into the staff pages that list the records it counts: the
 * ledger filtered by the report's period and channel or content area (and plan, for a plan's report), the feedback
 * received in the period by channel or classification, the plan's tasks, the procedures page, the survey results.
 * Pure: stored figures in, links out; a report stored before a section existed gets no links for it.
 */
import { ledgerListHref } from "../plans/ledger.list.tsx";
import type { ReportFigures } from "./report-figures.ts";

export interface FigureLink {
  label: string;
  value: number;
  href: string;
}

export interface FigureLinkGroup {
  title: string;
  links: FigureLink[];
}

function feedbackHref(period: { from: string; to: string }, extra: Record<string, string> = {}) {
  return `/quan-tri/phan-anh?${new URLSearchParams({ tu: period.from, den: period.to, ...extra })}`;
}

/** `base`: the ward's public prefix ("" or "/w/{code}"), for the survey results pages. */
export function figureLinks(f: ReportFigures, base = ""): FigureLinkGroup[] {
  const period = f.period;
  const planId = f.scope === "plan" ? (f.plan?.id ?? null) : null;
  const groups: FigureLinkGroup[] = [];
  groups.push({
    title: "Hoạt động tuyên truyền",
    links: [
      { label: "Tất cả hoạt động trong kỳ", value: f.ledger.total.count, href: ledgerListHref({ ...period, planId }) },
      ...f.ledger.byChannel.map((l) => ({
        label: l.label,
        value: l.count,
        href: ledgerListHref({ ...period, channel: l.key, planId }),
      })),
      ...f.ledger.byPillar.map((l) => ({
        label: l.label,
        value: l.count,
        href: ledgerListHref({ ...period, pillar: l.key, planId }),
      })),
    ],
  });
  if (f.plan && f.tasks)
    groups.push({
      title: `Nhiệm vụ của Kế hoạch số ${f.plan.number}`,
      links: f.tasks.map((u) => ({
        label: u.unitName,
        value: u.total,
        href: `/quan-tri/ke-hoach/${f.plan?.id}?don-vi=${u.unitId ?? "none"}#nhiem-vu`,
      })),
    });
  groups.push({
    title: "Phản ánh, kiến nghị",
    links: [
      { label: "Tiếp nhận trong kỳ", value: f.feedback.received, href: feedbackHref(period) },
      ...f.feedback.byChannel.map((c) => ({
        label: c.label,
        value: c.count,
        href: feedbackHref(period, { kenh: c.key }),
      })),
      { label: "Thuộc thẩm quyền", value: f.feedback.inScope, href: feedbackHref(period, { "phan-loai": "in_scope" }) },
      {
        label: "Chuyển cơ quan có thẩm quyền",
        value: f.feedback.forwarded,
        href: feedbackHref(period, { "phan-loai": "forwarded" }),
      },
    ],
  });
  if (f.procedures)
    groups.push({
      title: "Thủ tục hành chính",
      links: [
        { label: "Thủ tục mới có hiệu lực", value: f.procedures.newInForce, href: "/quan-tri/thu-tuc" },
        { label: "Thủ tục sửa đổi, bổ sung, thay thế", value: f.procedures.changed, href: "/quan-tri/thu-tuc" },
        { label: "Thủ tục bãi bỏ", value: f.procedures.abolished, href: "/quan-tri/thu-tuc" },
      ],
    });
  if (f.satisfaction?.surveys.length)
    groups.push({
      title: "Khảo sát sự hài lòng (số phiếu của các đợt trong kỳ)",
      links: f.satisfaction.surveys.map((s) => ({
        label: `Cuộc khảo sát số ${s.id} (${s.rounds} đợt)`,
        value: s.responses,
        href: `${base}/khao-sat/${s.id}/ket-qua`,
      })),
    });
  return groups;
}
