/** The minutes' staff pages: the section on an event's page, and the form (or, once closed, the text) of its minutes. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, type FormState, SavedNotice, TextAreaField, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import type { Attendance } from "./events.rules.ts";
import type { EventRow, MinutesRow } from "./events.sql.ts";
import { attendanceLine, type Minutes } from "./minutes.document.ts";
import { MINUTES_TEXT_MAX } from "./minutes.schemas.ts";

const linksOf = (base: string) => (
  <>
    <a href={`${base}/bien-ban.docx`}>Tải biên bản (DOCX)</a> · <a href={`${base}/bien-ban.pdf`}>Tải biên bản (PDF)</a>
  </>
);

/** The "Biên bản" part of an event's page: whether minutes exist, the link to write or read them, the downloads. */
export function MinutesSection(props: { event: EventRow; minutes: { updated_at: string } | null; canWrite: boolean }) {
  const e = props.event;
  const base = `/quan-tri/su-kien/${e.id}/bien-ban`;
  if (e.status !== "held" && !props.minutes) return null;
  return (
    <section aria-labelledby="bien-ban">
      <h2 id="bien-ban">Biên bản</h2>
      {props.minutes ? (
        <p>
          Cập nhật lần cuối {formatDateTime(props.minutes.updated_at)}.{" "}
          <a href={base}>{props.canWrite && e.status === "held" ? "Xem, sửa biên bản" : "Xem biên bản"}</a> ·{" "}
          {linksOf(`/quan-tri/su-kien/${e.id}`)}
        </p>
      ) : props.canWrite ? (
        <p>
          Chưa có biên bản. <a href={base}>Viết biên bản</a>
        </p>
      ) : (
        <p>Chưa có biên bản.</p>
      )}
    </section>
  );
}

/** The form's values of stored minutes (or, for new ones, the event's own times). */
export function minutesValues(e: EventRow, m: MinutesRow | undefined): Record<string, string> {
  if (!m) return { startedAt: e.starts_at, endedAt: e.ends_at };
  return {
    startedAt: m.started_at,
    endedAt: m.ended_at,
    chairName: m.chair_name,
    chairTitle: m.chair_title,
    secretaryName: m.secretary_name,
    secretaryTitle: m.secretary_title,
    attendees: m.attendees,
    agenda: m.agenda,
    opinions: m.opinions,
    conclusions: m.conclusions,
  };
}

function MinutesText({ m }: { m: Minutes }) {
  const withTitle = (name: string, title: string) => (title ? `${name}, ${title}` : name);
  return (
    <dl class="facts">
      <dt>Thời gian</dt>
      <dd>
        {m.started_at}–{m.ended_at}
      </dd>
      <dt>Chủ trì</dt>
      <dd>{withTitle(m.chair_name, m.chair_title)}</dd>
      <dt>Thư ký</dt>
      <dd>{withTitle(m.secretary_name, m.secretary_title)}</dd>
      <dt>Thành phần tham dự</dt>
      <dd class="prewrap">{m.attendees}</dd>
      <dt>Nội dung, diễn biến</dt>
      <dd class="prewrap">{m.agenda}</dd>
      <dt>Ý kiến phát biểu</dt>
      <dd class="prewrap">{m.opinions || "Không có ý kiến khác."}</dd>
      <dt>Kết luận</dt>
      <dd class="prewrap">{m.conclusions}</dd>
    </dl>
  );
}

/** The minutes of one event: the form while it is held and the user writes for its unit, else the text as saved. */
export function MinutesPage(props: {
  ward: Ward;
  session: ActiveSession;
  event: EventRow;
  minutes: MinutesRow | undefined;
  state: FormState;
  /** Why the minutes cannot be changed now (withdrawn, not yet held, another unit's); null: the form is shown. */
  closed: string | null;
  saved?: string;
}) {
  const e = props.event;
  const { state } = props;
  const base = `/quan-tri/su-kien/${e.id}`;
  const present = attendanceLine(e.attendance_json ? (JSON.parse(e.attendance_json) as Attendance) : null, e.attended);
  const long = `tối đa ${MINUTES_TEXT_MAX.toLocaleString("vi-VN")} ký tự; mỗi dòng là một đoạn, dòng bắt đầu bằng “-” là một ý`;
  return (
    <Layout title={`Biên bản · ${e.title}`} ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <h1>Biên bản: {e.title}</h1>
      <p>
        {e.starts_at}–{e.ends_at} ngày {formatDate(e.starts_on)}, tại {e.place}. Đơn vị tổ chức: {e.org_unit_name}.
        {present ? ` Tham dự: ${present}.` : ""}
      </p>
      <p>
        <a href={base}>Về trang sự kiện</a>
        {props.minutes ? <> · {linksOf(base)}</> : null}
      </p>
      {props.closed ? (
        <>
          <p class="notice">{props.closed}</p>
          {props.minutes ? <MinutesText m={props.minutes} /> : null}
        </>
      ) : (
        <form method="post" action={`${base}/bien-ban`} id="bien-ban" novalidate>
          <CsrfField token={props.session.csrfToken} />
          <p class="hint">
            Biên bản chỉ cán bộ xem được, không công khai. Số người tham dự theo thành phần lấy từ phần ghi nhận đã tổ
            chức.
          </p>
          <TextField id="startedAt" name="startedAt" label="Giờ bắt đầu" hint="hh:mm, ví dụ 08:00" state={state} />
          <TextField id="endedAt" name="endedAt" label="Giờ kết thúc" hint="hh:mm, ví dụ 10:30" state={state} />
          <TextField id="chairName" name="chairName" label="Họ tên người chủ trì" state={state} />
          <TextField
            id="chairTitle"
            name="chairTitle"
            label="Chức vụ người chủ trì"
            hint="Ví dụ: Phó Chủ tịch UBND phường"
            state={state}
          />
          <TextField id="secretaryName" name="secretaryName" label="Họ tên thư ký (người ghi biên bản)" state={state} />
          <TextField
            id="secretaryTitle"
            name="secretaryTitle"
            label="Chức vụ thư ký"
            hint="Ví dụ: Công chức Văn phòng - Thống kê"
            state={state}
          />
          <TextAreaField
            id="attendees"
            name="attendees"
            label="Thành phần tham dự"
            hint="Ví dụ: Đại diện Đảng ủy, UBND phường; Ban công tác Mặt trận tổ dân phố 4; hội viên và người dân"
            state={state}
            rows={3}
          />
          <TextAreaField id="agenda" name="agenda" label="Nội dung, diễn biến" hint={long} state={state} rows={10} />
          <TextAreaField id="opinions" name="opinions" label="Ý kiến phát biểu" hint={long} state={state} rows={8} />
          <TextAreaField
            id="conclusions"
            name="conclusions"
            label="Kết luận của người chủ trì"
            state={state}
            rows={6}
          />
          <button type="submit">Lưu biên bản</button>
        </form>
      )}
    </Layout>
  );
}
