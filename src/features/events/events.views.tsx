/** The events' staff pages: the list, the form of a draft, one event with its steps, the printable sign-in sheet. */
import { can, type Role } from "../../core/auth/roles.ts";
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import {
  CsrfField,
  describedBy,
  FieldError,
  type FormState,
  SavedNotice,
  TextAreaField,
  TextField,
} from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { PhotoFigure, PhotoUploadForm } from "../../core/web/photos.tsx";
import {
  type AreaChoice,
  AreaChoices,
  ReasonForms,
  reasonSteps,
  StepButtons,
  StepHistory,
  type StepWords,
  stepOfPath,
  UnitSelect,
} from "../../core/web/workflow-forms.tsx";
import {
  ATTENDANCE_GROUPS,
  type Attendance,
  EVENT_KINDS,
  EVENT_STATUSES,
  type EventStep,
  stepsOpenTo,
  writesFor,
} from "./events.rules.ts";
import type { EventPhotoRow, EventRow } from "./events.sql.ts";
import { MinutesSection } from "./minutes.views.tsx";

const statusOf = (s: string) => EVENT_STATUSES[s as keyof typeof EVENT_STATUSES] ?? s;
const kindOf = (k: string) => EVENT_KINDS[k as keyof typeof EVENT_KINDS] ?? k;
const when = (e: Pick<EventRow, "starts_on" | "starts_at" | "ends_at">) =>
  `${e.starts_at}–${e.ends_at} ngày ${formatDate(e.starts_on)}`;
const n = (v: number) => v.toLocaleString("vi-VN");

/** The facts every page of an event shows (the staff page and the public one), then the page's own rows. */
export function EventFacts({ e, children }: { e: EventRow; children?: unknown }) {
  const partners = JSON.parse(e.partners_json) as string[];
  return (
    <dl class="facts">
      <dt>Loại</dt>
      <dd>{kindOf(e.kind)}</dd>
      <dt>Thời gian</dt>
      <dd>{when(e)}</dd>
      <dt>Địa điểm</dt>
      <dd>{e.place}</dd>
      <dt>Đơn vị tổ chức</dt>
      <dd>{e.org_unit_name}</dd>
      {partners.length ? (
        <>
          <dt>Phối hợp</dt>
          <dd>{partners.join("; ")}</dd>
        </>
      ) : null}
      {children}
    </dl>
  );
}

export function EventListPage(props: { ward: Ward; session: ActiveSession; events: EventRow[]; today: string }) {
  const role = props.session.user.role as Role;
  const upcoming = props.events.filter((e) => e.starts_on >= props.today).reverse();
  const past = props.events.filter((e) => e.starts_on < props.today);
  const table = (rows: EventRow[], caption: string) => (
    <section class="table-wrap" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Sự kiện</th>
            <th scope="col">Thời gian</th>
            <th scope="col">Đơn vị tổ chức</th>
            <th scope="col">Trạng thái</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr>
              <th scope="row">
                <a href={`/quan-tri/su-kien/${e.id}`}>{e.title}</a>
                <br />
                <span class="muted small">{kindOf(e.kind)}</span>
              </th>
              <td>{when(e)}</td>
              <td>{e.org_unit_name}</td>
              <td>{statusOf(e.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
  return (
    <Layout title="Hội nghị, sinh hoạt" ward={props.ward} session={props.session} staff>
      <h1>Hội nghị, sinh hoạt cộng đồng, cuộc họp lồng ghép</h1>
      <p>
        Sự kiện do đơn vị soạn, Văn phòng xem xét, lãnh đạo duyệt thì được thông báo công khai. Khi ghi nhận đã tổ chức
        (số người tham dự theo thành phần), sự kiện được tính là một hoạt động tuyên truyền của kế hoạch.
      </p>
      {can(role, "event.write") ? (
        <p>
          <a class="btn" href="/quan-tri/su-kien/moi">
            Thêm sự kiện
          </a>
        </p>
      ) : null}
      {upcoming.length ? table(upcoming, "Sắp diễn ra") : <p>Chưa có sự kiện sắp diễn ra.</p>}
      {past.length ? table(past, "Đã qua") : null}
    </Layout>
  );
}

export function EventFormPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  units: { id: number; name: string }[];
  areas: AreaChoice[];
  /** The event being corrected; none for a new one. */
  event?: EventRow;
}) {
  const { state } = props;
  const v = state.values;
  const action = props.event ? `/quan-tri/su-kien/${props.event.id}/sua` : "/quan-tri/su-kien/moi";
  return (
    <Layout title={props.event ? "Sửa sự kiện" : "Thêm sự kiện"} ward={props.ward} session={props.session} staff>
      <h1>{props.event ? `Sửa: ${props.event.title}` : "Thêm hội nghị, buổi sinh hoạt"}</h1>
      <ErrorSummary errors={state.errors} />
      <form method="post" action={action} id="su-kien" novalidate>
        <CsrfField token={props.session.csrfToken} />
        <TextField id="title" name="title" label="Tên sự kiện" state={state} />
        <label for="kind">Loại</label>
        <FieldError errors={state.errors} id="kind" />
        <select id="kind" name="kind" aria-describedby={describedBy(state.errors, "kind")}>
          {Object.entries(EVENT_KINDS).map(([k, label]) => (
            <option value={k} selected={v.kind === k}>
              {label}
            </option>
          ))}
        </select>
        <UnitSelect units={props.units} state={state} label="Đơn vị tổ chức" />
        <TextField id="place" name="place" label="Địa điểm" state={state} />
        <TextField id="startsOn" name="startsOn" label="Ngày tổ chức" hint="dd/mm/yyyy" state={state} />
        <TextField id="startsAt" name="startsAt" label="Giờ bắt đầu" hint="hh:mm, ví dụ 08:00" state={state} />
        <TextField id="endsAt" name="endsAt" label="Giờ kết thúc" hint="hh:mm, ví dụ 10:30" state={state} />
        <TextAreaField
          id="partners"
          name="partners"
          label="Đơn vị phối hợp"
          hint="Mỗi dòng một đơn vị, ví dụ Ủy ban MTTQ Việt Nam phường, Hội Liên hiệp Phụ nữ"
          state={state}
          rows={3}
        />
        <AreaChoices areas={props.areas} state={state} />
        <TextField
          id="expectedAudience"
          name="expectedAudience"
          label="Số người dự kiến tham dự"
          inputmode="numeric"
          state={state}
        />
        <TextAreaField id="description" name="description" label="Nội dung chính" state={state} rows={5} />
        <button type="submit">{props.event ? "Lưu" : "Lưu dự thảo"}</button>
      </form>
    </Layout>
  );
}

const STEP_WORDS: StepWords<EventStep> = {
  buttons: {
    submit: "Trình Văn phòng",
    review: "Đã xem xét, trình lãnh đạo",
    send_back: "Trả lại để sửa",
    approve: "Duyệt và thông báo công khai",
    hold: "Ghi nhận đã tổ chức",
    withdraw: "Hủy sự kiện",
  },
  paths: {
    submit: "trinh",
    review: "xem-xet",
    send_back: "tra-lai",
    approve: "duyet",
    hold: "da-to-chuc",
    withdraw: "huy",
  },
};
export const STEP_OF_PATH = stepOfPath(STEP_WORDS.paths);

export function EventPage(props: {
  ward: Ward;
  session: ActiveSession;
  event: EventRow;
  areas: AreaChoice[];
  steps: { from_status: string; to_status: string; at: string; actor: string; note: string | null }[];
  minutes: { updated_at: string } | null;
  photos: EventPhotoRow[];
  state: FormState;
  saved?: string;
}) {
  const e = props.event;
  const { state } = props;
  const user = props.session.user;
  const open = stepsOpenTo({ role: user.role as Role, org_unit_id: user.org_unit_id }, e);
  const base = `/quan-tri/su-kien/${e.id}`;
  const stepForms = { base, csrfToken: props.session.csrfToken, words: STEP_WORDS };
  const csrf = <CsrfField token={props.session.csrfToken} />;
  const areaIds = new Set(JSON.parse(e.area_ids_json) as number[]);
  const attendance = e.attendance_json ? (JSON.parse(e.attendance_json) as Attendance) : null;
  return (
    <Layout title={e.title} ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <h1>{e.title}</h1>
      <p>
        Trạng thái: <strong>{statusOf(e.status)}</strong>
        {e.return_reason && e.status === "draft" ? ` · Lý do trả lại: ${e.return_reason}` : ""}
        {e.withdrawn_reason ? ` · Lý do hủy: ${e.withdrawn_reason}` : ""}
      </p>
      <EventFacts e={e}>
        {areaIds.size ? (
          <>
            <dt>Nội dung</dt>
            <dd>
              {props.areas
                .filter((a) => areaIds.has(a.id))
                .map((a) => `${a.code}. ${a.title}`)
                .join("; ")}
            </dd>
          </>
        ) : null}
        {e.expected_audience != null ? (
          <>
            <dt>Dự kiến</dt>
            <dd>{n(e.expected_audience)} người</dd>
          </>
        ) : null}
        {attendance ? (
          <>
            <dt>Tham dự</dt>
            <dd>
              {n(e.attended ?? 0)} người (
              {Object.entries(attendance)
                .map(([g, c]) => `${ATTENDANCE_GROUPS[g as keyof typeof ATTENDANCE_GROUPS] ?? g}: ${n(c ?? 0)}`)
                .join("; ")}
              ){e.cost ? `; kinh phí ${n(e.cost)} đồng` : ""}
            </dd>
          </>
        ) : null}
      </EventFacts>
      {e.description ? <p class="prewrap">{e.description}</p> : null}
      <p>
        <a href={`${base}/danh-sach-ky`}>In danh sách ký tên người tham dự</a>
        {e.status === "draft" && open.includes("submit") ? (
          <>
            {" "}
            · <a href={`${base}/sua`}>Sửa</a>
          </>
        ) : null}
      </p>
      <StepButtons {...stepForms} steps={open.filter((s) => s === "submit" || s === "review" || s === "approve")} />
      {open.includes("hold") ? (
        <form method="post" action={`${base}/da-to-chuc`} id="da-to-chuc" novalidate>
          {csrf}
          <h2>Ghi nhận đã tổ chức</h2>
          <p class="hint">Số người có mặt theo thành phần; tổng số là số người được tuyên truyền của hoạt động.</p>
          {Object.entries(ATTENDANCE_GROUPS).map(([g, label]) => (
            <TextField id={g} name={g} label={label} inputmode="numeric" state={state} />
          ))}
          <TextField id="cost" name="cost" label="Kinh phí (đồng)" inputmode="numeric" state={state} />
          <button type="submit">{STEP_WORDS.buttons.hold}</button>
        </form>
      ) : null}
      <MinutesSection
        event={e}
        minutes={props.minutes}
        canWrite={writesFor({ role: user.role as Role, org_unit_id: user.org_unit_id }, e.org_unit_id)}
      />
      <PhotosSection
        event={e}
        photos={props.photos}
        canWrite={writesFor({ role: user.role as Role, org_unit_id: user.org_unit_id }, e.org_unit_id)}
        csrfToken={props.session.csrfToken}
        state={state}
      />
      <ReasonForms {...stepForms} steps={reasonSteps(open)} state={state} />
      <StepHistory steps={props.steps} statusOf={statusOf} />
    </Layout>
  );
}

/** Photos of a held event: shown to staff, added and removed by its unit (public once the event is held). */
function PhotosSection(props: {
  event: EventRow;
  photos: EventPhotoRow[];
  canWrite: boolean;
  csrfToken: string;
  state: FormState;
}) {
  const e = props.event;
  if (e.status !== "held" && props.photos.length === 0) return null;
  const editable = props.canWrite && e.status === "held";
  return (
    <section aria-labelledby="anh-tieu-de" id="anh">
      <h2 id="anh-tieu-de">Ảnh</h2>
      {e.status === "held" ? (
        <p class="hint">Ảnh của sự kiện đã tổ chức được đăng trên trang công khai của sự kiện.</p>
      ) : null}
      {props.photos.map((p) => (
        <>
          <PhotoFigure p={p} src={`/quan-tri/su-kien/anh/${p.id}`} />
          {editable ? (
            <form method="post" action={`/quan-tri/su-kien/${e.id}/anh/${p.id}/xoa`}>
              <CsrfField token={props.csrfToken} />
              <button type="submit">Bỏ ảnh “{p.alt}”</button>
            </form>
          ) : null}
        </>
      ))}
      {editable ? (
        <PhotoUploadForm action={`/quan-tri/su-kien/${e.id}/anh`} csrfToken={props.csrfToken} state={props.state} />
      ) : null}
    </section>
  );
}

/** The sign-in sheet for the day: the event's heading and numbered blank rows, printed on A4. */
export function SignInSheet(props: { ward: Ward; event: EventRow; rows: number }) {
  const e = props.event;
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`Danh sách tham dự · ${e.title}`}</title>
        <style>{`@page{size:A4;margin:15mm}body{font-family:"Times New Roman","Liberation Serif",serif;font-size:13pt}
h1{font-size:14pt;text-align:center;text-transform:uppercase}table{width:100%;border-collapse:collapse}
th,td{border:1px solid #000;padding:6px;vertical-align:top}td{height:1.6em}.c{text-align:center}`}</style>
      </head>
      <body>
        <p>{props.ward.unit.name}</p>
        <h1>Danh sách người tham dự</h1>
        <p class="c">
          <strong>{e.title}</strong>
          <br />
          {when(e)}, tại {e.place}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">STT</th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Đơn vị, thôn/tổ dân phố</th>
              <th scope="col">Thành phần</th>
              <th scope="col">Ký tên</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: props.rows }, (_, i) => (
              <tr>
                <td class="c">{i + 1}</td>
                <td />
                <td />
                <td />
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </body>
    </html>
  );
}
