/**
 * `GET /quan-tri/hoat-dong`: the ledger rows behind a figure — a period (required), and optionally a channel, a
 * content area ("none": rows without one) and a plan, each validated. A report links each of its ledger figures
 * here, so staff see exactly the activities a number counts.
 */
import type { Context } from "hono";
import { z } from "zod";
import { formatDate } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { periodQuery, validate } from "../../core/web/validation.ts";
import { activitiesMatching } from "./ledger.sql.ts";
import { CHANNEL_KINDS, type ChannelKind, PILLARS, type PillarCode } from "./plan-draft.ts";

export const LEDGER_LIST_PATH = "/quan-tri/hoat-dong";
const LIMIT = 1000;

/** The list's query: the period, and optionally a channel, a content area and a plan. */
export const ledgerListQuery = periodQuery({
  "hinh-thuc": z
    .string()
    .refine((v) => Object.hasOwn(CHANNEL_KINDS, v), "Hình thức tuyên truyền không có trong danh mục.")
    .optional(),
  "linh-vuc": z
    .string()
    .refine((v) => v === "none" || Object.hasOwn(PILLARS, v), "Nội dung cải cách hành chính không có trong danh mục.")
    .optional(),
  "ke-hoach": z
    .string()
    .regex(/^\d{1,9}$/, "Kế hoạch không hợp lệ.")
    .transform(Number)
    .optional(),
});

/** The link to the rows behind a ledger figure. */
export function ledgerListHref(f: {
  from: string;
  to: string;
  channel?: string;
  pillar?: string;
  planId?: number | null;
}) {
  const p = new URLSearchParams({ tu: f.from, den: f.to });
  if (f.channel) p.set("hinh-thuc", f.channel);
  if (f.pillar) p.set("linh-vuc", f.pillar);
  if (f.planId != null) p.set("ke-hoach", String(f.planId));
  return `${LEDGER_LIST_PATH}?${p}`;
}

export async function ledgerListPage(c: Context<AppEnv>) {
  const ward = c.get("ward");
  const session = c.get("session");
  const parsed = validate(ledgerListQuery, c.req.query());
  if (!parsed.ok) {
    c.status(400);
    return c.html(
      <Layout title="Sổ hoạt động tuyên truyền" ward={ward} session={session} staff>
        <h1>Sổ hoạt động tuyên truyền</h1>
        <ErrorSummary errors={parsed.errors} />
      </Layout>,
    );
  }
  const q = parsed.value;
  const rows = await activitiesMatching(
    c.get("deps").db.kysely,
    ward.scopeIds,
    { from: q.tu, to: q.den, channel: q["hinh-thuc"], pillar: q["linh-vuc"], planId: q["ke-hoach"] },
    LIMIT,
  );
  const what = [
    q["hinh-thuc"] ? `hình thức “${CHANNEL_KINDS[q["hinh-thuc"] as ChannelKind]}”` : null,
    q["linh-vuc"]
      ? `nội dung “${q["linh-vuc"] === "none" ? "Chưa xếp lĩnh vực" : PILLARS[q["linh-vuc"] as PillarCode]}”`
      : null,
    q["ke-hoach"] != null ? "thuộc kế hoạch đã chọn" : null,
  ].filter(Boolean);
  c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Sổ hoạt động tuyên truyền" ward={ward} session={session} staff>
      <h1>Sổ hoạt động tuyên truyền</h1>
      <p>
        Từ {formatDate(q.tu)} đến {formatDate(q.den)}
        {what.length ? `, ${what.join(", ")}` : ""}: <strong data-count={rows.length}>{rows.length}</strong> hoạt động
        {rows.length === LIMIT ? ` (hiển thị ${LIMIT} hoạt động mới nhất)` : ""}.
      </p>
      <section class="table-wrap" aria-label="Hoạt động" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Ngày</th>
              <th scope="col">Hoạt động</th>
              <th scope="col">Hình thức</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Số người</th>
              <th scope="col">Kinh phí (đồng)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-activity={r.id}>
                <td>{formatDate(r.occurred_on)}</td>
                <td>{r.task_id ? <a href={`/quan-tri/nhiem-vu/${r.task_id}`}>{r.title}</a> : r.title}</td>
                <td>{CHANNEL_KINDS[r.channel_kind as ChannelKind] ?? r.channel_kind}</td>
                <td>{r.unit_name}</td>
                <td class="num">{r.audience == null ? "—" : r.audience.toLocaleString("vi-VN")}</td>
                <td class="num">{r.cost == null ? "—" : r.cost.toLocaleString("vi-VN")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>,
  );
}
