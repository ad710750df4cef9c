/** The province's read-only view of its wards: the list, one ward (plans, reports, requests), one plan's tasks and ledger. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { AdminUnit } from "../../core/db/schema.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import type { exportable } from "../plans/tracking.read.ts";
import { REPORT_STATUSES, type ReportRow } from "../reports/reports.service.ts";
import { REQUEST_WARD_STATUSES } from "../reports/request-status.ts";
import type { WardRequest } from "../reports/requests.service.ts";

const n = (x: number | null) => (x == null ? "" : x.toLocaleString("vi-VN"));

/** The deployment operator's list of provinces: each one's view of its wards, and its accounts. */
export function ProvincesPage(props: { ward: Ward; session: ActiveSession; provinces: AdminUnit[] }) {
  return (
    <Layout title="Các tỉnh, thành phố" ward={props.ward} session={props.session} staff>
      <h1>Các tỉnh, thành phố</h1>
      <p>
        Người vận hành hệ thống xem (không sửa) kế hoạch, hoạt động và báo cáo của các xã, phường trong từng tỉnh, và
        quản lý tài khoản cấp tỉnh.
      </p>
      <section class="table-wrap" aria-label="Các tỉnh, thành phố" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Tỉnh, thành phố</th>
              <th scope="col">Mã</th>
              <th scope="col">Tài khoản cấp tỉnh</th>
            </tr>
          </thead>
          <tbody>
            {props.provinces.map((p) => (
              <tr>
                <th scope="row">
                  <a href={`/quan-tri/tinh/${p.code}`}>{p.name}</a>
                </th>
                <td>{p.code}</td>
                <td>
                  <a href={`/quan-tri/tinh/${p.code}/tai-khoan`}>Tài khoản của {p.name}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

/**
 * A province's wards. `base`: where this view is (`/quan-tri/tinh`, or `/quan-tri/tinh/{code}`); `operator`: a
 * deployment operator is looking (no requests or reports of its own; the province's accounts instead).
 */
export function ProvinceHomePage(props: {
  ward: Ward;
  session: ActiveSession;
  communes: AdminUnit[];
  base: string;
  operator: boolean;
}) {
  const { base } = props;
  return (
    <Layout title="Phường, xã trong tỉnh" ward={props.ward} session={props.session} staff>
      <h1>Các xã, phường của {props.ward.unit.name}</h1>
      {props.operator ? (
        <p>
          Chỉ xem: kế hoạch, nhiệm vụ, hoạt động tuyên truyền và báo cáo của từng xã, phường. Người vận hành hệ thống
          không sửa dữ liệu của tỉnh hay xã, phường ở đây.{" "}
          <a href={`${base}/tai-khoan`}>Tài khoản cấp tỉnh của {props.ward.unit.name}</a> ·{" "}
          <a href="/quan-tri/tinh">Các tỉnh, thành phố khác</a>
        </p>
      ) : (
        <p>
          Chỉ xem: kế hoạch, nhiệm vụ, hoạt động tuyên truyền và báo cáo của từng xã, phường. Cấp tỉnh không sửa dữ liệu
          của xã, phường; cấp tỉnh gửi <a href="/quan-tri/tinh/yeu-cau">yêu cầu báo cáo</a> và lập{" "}
          <a href="/quan-tri/bao-cao">báo cáo tổng hợp</a> của tỉnh.
        </p>
      )}
      <ul class="items">
        {props.communes.map((u) => (
          <li>
            <a href={`${base}/xa/${u.code}`}>{u.name}</a> <span class="muted small">{u.code}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function ProvinceWardPage(props: {
  ward: Ward;
  province: Ward;
  session: ActiveSession;
  plans: { id: number; number: string; title: string; issued_on: string | null }[];
  reports: ReportRow[];
  requests: WardRequest[];
  /** Where the province's view is (ProvinceHomePage). */
  base: string;
  /** Whether the requests link to the province's own pages of them (not for a deployment operator). */
  requestLinks: boolean;
}) {
  const { ward } = props;
  const base = `${props.base}/xa/${ward.unit.code}`;
  return (
    <Layout title={ward.unit.name} ward={props.province} session={props.session} staff>
      <h1>{ward.unit.name}</h1>
      <p class="muted">
        Chỉ xem. Trang công khai của xã, phường: <a href={`/w/${ward.unit.code}/`}>/w/{ward.unit.code}/</a>
      </p>
      <h2>Kế hoạch</h2>
      {props.plans.length ? (
        <ul class="items">
          {props.plans.map((p) => (
            <li>
              <a href={`${base}/ke-hoach/${p.id}`}>
                Kế hoạch số {p.number}: {p.title}
              </a>{" "}
              <span class="muted small">{p.issued_on ? formatDate(p.issued_on) : ""}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có kế hoạch nào trên hệ thống.</p>
      )}
      <h2>Báo cáo</h2>
      {props.reports.length ? (
        <ul class="items">
          {props.reports.map((r) => (
            <li data-report={r.id}>
              {r.title}{" "}
              <span class="muted small">
                {REPORT_STATUSES[r.status] ?? r.status}
                {r.number ? ` · Số ${String(r.number).padStart(2, "0")}/${r.symbol}` : ""}
                {r.issued_on ? ` · ${formatDate(r.issued_on)}` : ""}
              </span>{" "}
              <a href={`${base}/bao-cao/${r.id}/tai.docx`}>DOCX</a> ·{" "}
              <a href={`${base}/bao-cao/${r.id}/tai.pdf`}>PDF</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có báo cáo nào.</p>
      )}
      <h2>Yêu cầu báo cáo đã gửi xã, phường này</h2>
      {props.requests.length ? (
        <ul class="items">
          {props.requests.map(({ request: r, status }) => (
            <li>
              {props.requestLinks ? <a href={`/quan-tri/tinh/yeu-cau/${r.id}`}>{r.title}</a> : r.title}{" "}
              <span class="muted small">
                hạn {formatDate(r.deadline)} · {REQUEST_WARD_STATUSES[status]}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có yêu cầu nào.</p>
      )}
    </Layout>
  );
}

export function ProvincePlanPage(props: {
  ward: Ward;
  province: Ward;
  session: ActiveSession;
  plan: { number: string; title: string };
  rows: Awaited<ReturnType<typeof exportable>>;
  /** Where the province's view is (ProvinceHomePage). */
  base: string;
}) {
  const { rows } = props;
  return (
    <Layout title={`Kế hoạch ${props.plan.number}`} ward={props.province} session={props.session} staff>
      <p>
        <a href={`${props.base}/xa/${props.ward.unit.code}`}>{props.ward.unit.name}</a>
      </p>
      <h1>
        Kế hoạch số {props.plan.number}: {props.plan.title}
      </h1>
      <h2>Nhiệm vụ ({rows.tasks.length})</h2>
      <section class="table-wrap" aria-label="Nhiệm vụ" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Nhiệm vụ</th>
              <th scope="col">Chủ trì</th>
              <th scope="col">Phối hợp</th>
              <th scope="col">Thời hạn</th>
              <th scope="col">Tình trạng</th>
            </tr>
          </thead>
          <tbody>
            {rows.tasks.map((t) => (
              <tr>
                <th scope="row">{t.text}</th>
                <td>{t.leadUnit}</td>
                <td>{t.supportUnits}</td>
                <td>{t.dueOn ? formatDate(t.dueOn) : (t.recurrenceLabel ?? "")}</td>
                <td>{t.statusLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <h2>Hoạt động tuyên truyền ({rows.activities.length})</h2>
      <section class="table-wrap" aria-label="Hoạt động tuyên truyền" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Ngày</th>
              <th scope="col">Hoạt động</th>
              <th scope="col">Hình thức</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Lượt người</th>
              <th scope="col">Kinh phí (đồng)</th>
            </tr>
          </thead>
          <tbody>
            {rows.activities.map((a) => (
              <tr>
                <td>{formatDate(a.occurredOn)}</td>
                <th scope="row">{a.title}</th>
                <td>{a.channelLabel}</td>
                <td>{a.unit ?? ""}</td>
                <td class="num">{n(a.audience)}</td>
                <td class="num">{n(a.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
