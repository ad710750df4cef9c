/**
 * The records behind a report's procedure figures, for staff: `GET /quan-tri/thu-tuc/thay-doi?tu=…&den=…&loai=…`
 * lists the procedures newly in force (`moi`), changed (`sua-doi`) or abolished (`bai-bo`) in a period, picked by the
 * figures' own rule (`procedureChangeList`); `GET /quan-tri/thu-tuc/lan-in?tu=…&den=…` the notice-board prints of the
 * period (`boardPrintsIn`, the query the figure counts with). Read by whoever drafts reports.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { periodQuery, validate } from "../../core/web/validation.ts";
import { boardPrintsIn, type ProcedureChangeKind, procedureChangeList } from "./procedures.figures.ts";

const KINDS: Record<string, { kind: ProcedureChangeKind; label: string }> = {
  moi: { kind: "newInForce", label: "mới ban hành có hiệu lực" },
  "sua-doi": { kind: "changed", label: "được sửa đổi, bổ sung hoặc thay thế" },
  "bai-bo": { kind: "abolished", label: "bị bãi bỏ" },
};

const changesQuery = periodQuery({
  loai: z.enum(Object.keys(KINDS) as [string, ...string[]], {
    error: "Loại thay đổi chỉ là “moi”, “sua-doi” hoặc “bai-bo”.",
  }),
});
const printsQuery = periodQuery({});

/** The link behind a procedure figure of a period. */
export function procedureChangesHref(period: { from: string; to: string }, kind: ProcedureChangeKind) {
  const loai = Object.entries(KINDS).find(([, k]) => k.kind === kind)?.[0] ?? "moi";
  return `/quan-tri/thu-tuc/thay-doi?${new URLSearchParams({ tu: period.from, den: period.to, loai })}`;
}

/** The link behind the notice-board prints of a period. */
export const boardPrintsHref = (period: { from: string; to: string }) =>
  `/quan-tri/thu-tuc/lan-in?${new URLSearchParams({ tu: period.from, den: period.to })}`;

function refused(c: Context<AppEnv>, title: string, errors: Record<string, string>) {
  c.status(400);
  return c.html(
    <Layout title={title} ward={c.get("ward")} session={c.get("session")} staff>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
    </Layout>,
  );
}

export function procedureChangesRoutes() {
  const app = new Hono<AppEnv>();
  const guard = [requireStaff, requireCsrf, requireAction("report.draft")] as const;

  app.get("/thu-tuc/thay-doi", ...guard, async (c) => {
    const title = "Thủ tục hành chính thay đổi trong kỳ";
    const parsed = validate(changesQuery, c.req.query());
    if (!parsed.ok) return refused(c, title, parsed.errors);
    const q = parsed.value;
    const what = KINDS[q.loai] as (typeof KINDS)[string];
    const rows = await procedureChangeList(
      c.get("deps").db.kysely,
      c.get("ward"),
      { from: q.tu, to: q.den },
      what.kind,
      c.get("deps").config.procedureLevels,
    );
    return c.html(
      <Layout title={title} ward={c.get("ward")} session={c.get("session")} staff>
        <h1>{title}</h1>
        <p>
          Từ {formatDate(q.tu)} đến {formatDate(q.den)}, thủ tục {what.label}:{" "}
          <strong data-count={rows.length}>{rows.length}</strong> thủ tục.
        </p>
        <section class="table-wrap" aria-label="Thủ tục" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Mã</th>
                <th scope="col">Thủ tục</th>
                <th scope="col">Hiệu lực từ</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-code={r.code}>
                  <td>
                    <a href={`/quan-tri/thu-tuc/${r.code}`}>{r.code}</a>
                  </td>
                  <td>{r.name}</td>
                  <td>{formatDate(r.effectiveFrom)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Layout>,
    );
  });

  app.get("/thu-tuc/lan-in", ...guard, async (c) => {
    const title = "Các lần in, niêm yết bảng thủ tục hành chính";
    const parsed = validate(printsQuery, c.req.query());
    if (!parsed.ok) return refused(c, title, parsed.errors);
    const q = parsed.value;
    const db = c.get("deps").db.kysely;
    const rows = await boardPrintsIn(db, c.get("ward").scopeIds, { from: q.tu, to: q.den })
      .leftJoin("users", "users.id", "board_prints.user_id")
      .select(["board_prints.id", "board_prints.printed_at", "users.username"])
      .orderBy("board_prints.printed_at", "desc")
      .execute();
    return c.html(
      <Layout title={title} ward={c.get("ward")} session={c.get("session")} staff>
        <h1>{title}</h1>
        <p>
          Từ {formatDate(q.tu)} đến {formatDate(q.den)}: <strong data-count={rows.length}>{rows.length}</strong> lần in.
        </p>
        <section class="table-wrap" aria-label="Các lần in" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Thời điểm</th>
                <th scope="col">Người in</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{formatDateTime(r.printed_at)}</td>
                  <td>{r.username ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Layout>,
    );
  });

  return app;
}
