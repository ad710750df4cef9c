/** The staff home (overview of the ward's plans) and the administrator's audit log. */
import { Hono } from "hono";
import { listAudit } from "../../core/audit.ts";
import { isProvinceAccount } from "../../core/auth/owners.ts";
import { can, type Role } from "../../core/auth/roles.ts";
import { formatDate, formatDateTime, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { PlanlessBanner } from "../plans/ledger.routes.tsx";
import { planlessYears } from "../plans/ledger.ts";
import { plansOfWard } from "../plans/plans.service.ts";
import { workQueueOf } from "./work-queue.service.ts";
import { WorkQueue } from "./work-queue.views.tsx";

export function staffHomeRoutes() {
  const app = new Hono<AppEnv>();
  app.use("*", requireStaff, requireCsrf);

  app.get("/", async (c) => {
    const ward = c.get("ward");
    const session = c.get("session");
    const db = c.get("deps").db.kysely;
    if (session && isProvinceAccount(session.user))
      return c.html(
        <Layout title="Tổng quan" ward={ward} session={session} staff>
          <h1>Tổng quan · {ward.unit.name}</h1>
          <p>
            Xin chào {session.user.display_name}. Tài khoản cấp tỉnh: xem các xã, phường của tỉnh, không sửa dữ liệu của
            xã, phường.
          </p>
          <ul class="items">
            <li>
              <a href="/quan-tri/tinh">Các xã, phường trong tỉnh</a>: kế hoạch, nhiệm vụ, hoạt động, báo cáo
            </li>
            <li>
              <a href="/quan-tri/tinh/yeu-cau">Yêu cầu báo cáo</a>: gửi các xã, phường và theo dõi xã, phường đã ban
              hành
            </li>
            <li>
              <a href="/quan-tri/bao-cao">Báo cáo tổng hợp của tỉnh</a>
            </li>
          </ul>
        </Layout>,
      );
    const [plans, planless] = await Promise.all([plansOfWard(db, ward), planlessYears(db, ward.scopeIds)]);
    const role = session?.user.role as Role | undefined;
    const queue = session ? await workQueueOf(c.get("deps"), session.user, vnToday(c.get("deps").clock())) : [];
    return c.html(
      <Layout title="Tổng quan" ward={ward} session={session} staff>
        <h1>Tổng quan</h1>
        <p>
          Xin chào {session?.user.display_name}. <a href="/quan-tri/viec-cua-toi">Xem việc của đơn vị tôi</a>.
        </p>
        <WorkQueue buckets={queue} />
        {role && can(role, "plan.read") ? (
          <PlanlessBanner byYear={planless} link canImport={can(role, "plan.import")} />
        ) : null}
        <h2>Kế hoạch</h2>
        {plans.length === 0 ? (
          <p>
            Chưa có kế hoạch. <a href="/quan-tri/ke-hoach/nhap">Nhập kế hoạch đầu tiên</a>.
          </p>
        ) : (
          <ul class="items">
            {plans.map((p) => (
              <li>
                <a href={`/quan-tri/ke-hoach/${p.id}`}>
                  {p.number}: {p.title}
                </a>{" "}
                <span class="muted small">
                  {formatDate(p.issued_on)} · {p.ward_name}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  app.get("/nhat-ky", requireAction("audit.read"), async (c) => {
    const ward = c.get("ward");
    const page = Math.max(1, Number(c.req.query("trang") ?? "1") || 1);
    const rows = await listAudit(c.get("deps").db.kysely, ward.unit.id, { limit: 100, offset: (page - 1) * 100 });
    return c.html(
      <Layout title="Nhật ký thao tác" ward={ward} session={c.get("session")} staff>
        <h1>Nhật ký thao tác</h1>
        <p class="muted">Mọi thay đổi đều được ghi lại và không thể sửa, xóa.</p>
        <section class="table-wrap" aria-label="Nhật ký thao tác" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Thời điểm</th>
                <th scope="col">Người thực hiện</th>
                <th scope="col">Thao tác</th>
                <th scope="col">Đối tượng</th>
                <th scope="col">Trước → sau</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{formatDateTime(r.at)}</td>
                  <td>{r.actor}</td>
                  <td>{r.action}</td>
                  <td>
                    {r.entity} {r.entity_id ?? ""}
                  </td>
                  <td class="small">
                    {r.before_json ? <code>{r.before_json.slice(0, 300)}</code> : null}
                    {r.before_json && r.after_json ? " → " : null}
                    {r.after_json ? <code>{r.after_json.slice(0, 300)}</code> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {rows.length === 100 ? <a href={`/quan-tri/nhat-ky?trang=${page + 1}`}>Trang sau</a> : null}
      </Layout>,
    );
  });
  return app;
}
