/**
 * Staff page of the ledger rows no plan covers: answers and survey rounds recorded on days outside every plan's
 * period (a year whose plan is not imported yet). They count nowhere until a plan covering them is saved, which
 * attaches them (ledger.ts, attachPlanlessActivities); until then staff see them here and a banner says why.
 */
import { Hono } from "hono";
import { can, type Role } from "../../core/auth/roles.ts";
import { formatDate, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireStaff } from "../../core/web/middleware.ts";
import { ledgerListPage } from "./ledger.list.tsx";
import { planlessLedger } from "./ledger.ts";
import { CHANNEL_KINDS, type ChannelKind } from "./plan-draft.ts";

export const PLANLESS_PATH = "/quan-tri/hoat-dong/chua-co-ke-hoach";

const channelName = (k: string) => CHANNEL_KINDS[k as ChannelKind] ?? k;

/** The banner shown on the staff home and above the list while any ledger row has no plan. */
export function PlanlessBanner(props: {
  byYear: { year: string; count: number }[];
  link: boolean;
  canImport: boolean;
}) {
  const total = props.byYear.reduce((n, y) => n + y.count, 0);
  if (total === 0) return null;
  const years = props.byYear.map((y) => y.year).join(", ");
  return (
    <div class="notice" role="status">
      <p>
        <strong>
          {props.byYear.length === 1 ? `Năm ${years} chưa có kế hoạch` : `Các năm ${years} chưa có kế hoạch`}
        </strong>
        : {total} hoạt động đã ghi nhận (trả lời phản ánh, hỏi đáp, khảo sát) chưa thuộc kế hoạch nào nên chưa được tính
        vào tiến độ. Khi nhập kế hoạch có thời gian bao gồm ngày của các hoạt động này, chúng được tự động gắn vào kế
        hoạch đó.
      </p>
      <p>
        {props.link ? <a href={PLANLESS_PATH}>Xem các hoạt động chưa có kế hoạch</a> : null}
        {props.link && props.canImport ? " · " : null}
        {props.canImport ? <a href="/quan-tri/ke-hoach/nhap">Nhập kế hoạch</a> : null}
      </p>
    </div>
  );
}

export function ledgerStaffRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/hoat-dong", requireStaff, requireAction("plan.read"), ledgerListPage);
  app.get("/hoat-dong/chua-co-ke-hoach", requireStaff, requireAction("plan.read"), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const session = c.get("session");
    const { rows, byYear, total } = await planlessLedger(db.kysely, ward.scopeIds);
    const canImport = session ? can(session.user.role as Role, "plan.import") : false;
    return c.html(
      <Layout title="Hoạt động chưa có kế hoạch" ward={ward} session={session} staff>
        <h1>Hoạt động chưa có kế hoạch</h1>
        {total === 0 ? (
          <p>Mọi hoạt động đã ghi nhận đều thuộc một kế hoạch. Hôm nay: {formatDate(vnToday(clock()))}.</p>
        ) : (
          <>
            <PlanlessBanner byYear={byYear} link={false} canImport={canImport} />
            <section class="table-wrap" aria-label="Hoạt động chưa có kế hoạch" tabindex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Ngày</th>
                    <th scope="col">Hoạt động</th>
                    <th scope="col">Hình thức</th>
                    <th scope="col">Đơn vị</th>
                    <th scope="col">Số người</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <td>{formatDate(r.occurred_on)}</td>
                      <td>{r.title}</td>
                      <td>{channelName(r.channel_kind)}</td>
                      <td>{r.unit_name}</td>
                      <td>{r.audience ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {rows.length < total ? (
              <p class="muted">
                Hiển thị {rows.length} hoạt động mới nhất trên tổng số {total}.
              </p>
            ) : null}
          </>
        )}
      </Layout>,
    );
  });
  return app;
}
