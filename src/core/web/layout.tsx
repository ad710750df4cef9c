/** The page shell shared by public and staff pages: Vietnamese first, light, usable without JavaScript. */
import { readFileSync } from "node:fs";
import type { Child } from "hono/jsx";
import { isOperator, isProvinceAccount } from "../auth/owners.ts";
import { type Action, allowed, PROVINCE_ROLES, ROLES, type Role } from "../auth/roles.ts";
import type { ActiveSession } from "../auth/sessions.ts";
import { CSS_TYPE, staticAsset } from "./assets.ts";
import type { Ward, WardContact } from "./context.ts";

/** The site's stylesheet, linked by its content-hashed URL. */
export const SITE_CSS = staticAsset(
  "/static/site.css",
  CSS_TYPE,
  readFileSync(new URL("./static/site.css", import.meta.url)),
);

/**
 * Staff navigation: each link shown only to roles allowed its action (roles.ts is the one source of truth), or with
 * "operator" only to deployment operators (owners.ts).
 */
const STAFF_NAV: readonly (readonly [string, string, Action | "operator" | null])[] = [
  ["/quan-tri", "Tổng quan", null],
  ["/quan-tri/viec-cua-toi", "Việc của đơn vị tôi", "plan.read"],
  ["/quan-tri/tinh", "Phường, xã trong tỉnh", "province.read"],
  ["/quan-tri/tinh/yeu-cau", "Yêu cầu báo cáo", "report.request"],
  ["/quan-tri/tinh", "Các tỉnh, thành phố", "operator"],
  ["/quan-tri/ke-hoach/nhap", "Nhập kế hoạch", "plan.import"],
  ["/quan-tri/phan-anh", "Phản ánh, kiến nghị", "feedback.open"],
  // question.open, like feedback.open: the leader who approves and the officer who drafts need the list too.
  ["/quan-tri/hoi-dap", "Hỏi đáp", "question.open"],
  ["/quan-tri/khao-sat", "Khảo sát", "survey.manage"],
  ["/quan-tri/su-kien", "Hội nghị, sinh hoạt", "event.read"],
  ["/quan-tri/van-ban", "Văn bản", "document.read"],
  ["/quan-tri/phat-thanh", "Phát thanh", "radio.read"],
  ["/quan-tri/tin-tuc", "Tin tức", "news.read"],
  ["/quan-tri/bao-cao", "Báo cáo", "report.draft"],
  ["/quan-tri/dao-tao", "Bồi dưỡng, khen thưởng", "training.read"],
  ["/quan-tri/ngay-nghi", "Ngày nghỉ, thời hạn", "calendar.manage"],
  ["/quan-tri/thu-tuc", "Thủ tục", "procedures.manage"],
  ["/quan-tri/don-vi", "Đơn vị", "units.manage"],
  ["/quan-tri/tu-dong-nghia", "Từ đồng nghĩa", "search.manage"],
  ["/quan-tri/uu-tien-tim-kiem", "Ưu tiên tìm kiếm", "search.manage"],
  ["/quan-tri/nhat-ky-tim-kiem", "Nhật ký tìm kiếm", "search.manage"],
  ["/quan-tri/tai-khoan", "Tài khoản", "users.manage"],
  ["/quan-tri/ho-so-phuong", "Hồ sơ phường", "ward_profile.manage"],
  ["/quan-tri/du-lieu-ca-nhan", "Dữ liệu cá nhân", "personal_data.manage"],
  ["/quan-tri/nhat-ky", "Nhật ký", "audit.read"],
  ["/quan-tri/viec-nen", "Việc chạy nền", "jobs.manage"],
];

const mayOpen = (session: ActiveSession | null | undefined, action: Action | "operator" | null) =>
  !action || (!!session && (action === "operator" ? isOperator(session.user) : allowed(session.user, action)));

export interface PageProps {
  title: string;
  ward: Ward | null;
  session?: ActiveSession | null;
  /** Staff pages get the staff navigation. */
  staff?: boolean;
  /** Public pages carry the site's search box in the header, unless the page is itself a search form (false). */
  searchBox?: boolean;
  children: Child;
}

/** The search box of every public page: a plain GET form to the ward's search page. */
function SiteSearch({ base }: { base: string }) {
  return (
    <search class="site-search">
      <form method="get" action={`${base}/tim-kiem`}>
        <label for="tim-nhanh">Tìm thủ tục, thông tin</label>
        <span class="site-search-row">
          <input type="search" id="tim-nhanh" name="q" maxlength={200} />
          <button type="submit">Tìm</button>
        </span>
      </form>
    </search>
  );
}

export function Layout({ title, ward, session, staff, searchBox = true, children }: PageProps) {
  const base = ward?.base ?? "";
  const wardName = ward ? ward.unit.name : "CCHC";
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${wardName}`}</title>
        <link rel="stylesheet" href={SITE_CSS.href} />
      </head>
      <body>
        <a class="skip" href="#main">
          Bỏ qua, đến nội dung chính
        </a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href={staff ? "/quan-tri" : `${base}/`}>
              <span class="brand-top">{ward?.province ? ward.province.name : "Cải cách hành chính"}</span>
              <span class="brand-name">{staff ? `Quản trị · ${wardName}` : wardName}</span>
            </a>
            <nav aria-label="Chính">
              {staff ? (
                <ul>
                  {STAFF_NAV.filter(([, , action]) => mayOpen(session, action)).map(([href, label]) => (
                    <li>
                      <a href={href}>{label}</a>
                    </li>
                  ))}
                </ul>
              ) : (
                <ul>
                  <li>
                    <a href={`${base}/`}>Trang chủ</a>
                  </li>
                  <li>
                    <a href={`${base}/tin-tuc`}>Tin tức</a>
                  </li>
                  <li>
                    <a href={`${base}/ke-hoach`}>Kế hoạch CCHC</a>
                  </li>
                  <li>
                    <a href={`${base}/thu-tuc`}>Thủ tục hành chính</a>
                  </li>
                  <li>
                    <a href={`${base}/gop-y`}>Góp ý, kiến nghị</a>
                  </li>
                  <li>
                    <a href={`${base}/hoi-dap`}>Hỏi đáp</a>
                  </li>
                  <li>
                    <a href={`${base}/khao-sat`}>Khảo sát</a>
                  </li>
                  <li>
                    <a href={`${base}/su-kien`}>Hội nghị, sinh hoạt</a>
                  </li>
                  <li>
                    <a href={`${base}/van-ban`}>Văn bản</a>
                  </li>
                  <li>
                    <a href={`${base}/phat-thanh`}>Phát thanh</a>
                  </li>
                </ul>
              )}
            </nav>
            {staff || !searchBox ? null : <SiteSearch base={base} />}
            {session ? (
              <form method="post" action="/dang-xuat" class="who">
                <input type="hidden" name="_csrf" value={session.csrfToken} />
                <span>
                  {session.user.display_name} ·{" "}
                  {(isProvinceAccount(session.user) ? PROVINCE_ROLES : ROLES)[session.user.role as Role] ??
                    session.user.role}
                </span>{" "}
                <a href="/quan-tri/tai-khoan/xac-thuc-hai-buoc">Xác thực hai bước</a>{" "}
                <button type="submit" class="link">
                  Đăng xuất
                </button>
              </form>
            ) : null}
          </div>
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="site">
          <div class="wrap">
            {staff || !ward?.contact ? null : <ContactDetails contact={ward.contact} wardName={wardName} />}
            <p>
              {wardName}
              {ward?.province ? `, ${ward.province.name}` : ""} · Thông tin về cải cách hành chính ·{" "}
              {staff ? null : <a href="/dang-nhap">Cán bộ đăng nhập</a>}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The ward's one-stop desk as its administrator described it (the ward profile): each line only when given. */
function ContactDetails({ contact, wardName }: { contact: WardContact; wardName: string }) {
  return (
    <section class="contact" aria-labelledby="lien-he">
      <h2 id="lien-he">Liên hệ {wardName}</h2>
      <dl class="facts">
        {contact.address ? (
          <>
            <dt>Nơi tiếp nhận hồ sơ</dt>
            <dd>{contact.address}</dd>
          </>
        ) : null}
        {contact.deskHours ? (
          <>
            <dt>Thời gian tiếp nhận</dt>
            <dd class="pre">{contact.deskHours}</dd>
          </>
        ) : null}
        {contact.hotline ? (
          <>
            <dt>Đường dây nóng</dt>
            <dd>
              <a href={`tel:${contact.hotline.replace(/[^\d+]/g, "")}`}>{contact.hotline}</a>
            </dd>
          </>
        ) : null}
        {contact.email ? (
          <>
            <dt>Thư điện tử</dt>
            <dd>
              <a href={`mailto:${contact.email}`}>{contact.email}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {contact.mapUrl ? (
        <p>
          <a href={contact.mapUrl} rel="noopener">
            Xem vị trí trên bản đồ
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** A GOV.UK-style error summary: listed at the top, each linking to its field. */
export function ErrorSummary({ errors }: { errors: Record<string, string> }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>Có lỗi cần sửa</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
