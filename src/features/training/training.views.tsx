/** Staff pages of the training and commendations lists: both tables, the add forms, one record's edit form. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, FieldError, type FormValues, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import { ATTENDANCE, type Attendance, RECIPIENT_KINDS } from "./training.schemas.ts";
import type { commendationList, PeriodFilter, trainingList } from "./training.service.ts";
import type { TrainingFigures } from "./training-figures.ts";

type TrainingRows = Awaited<ReturnType<typeof trainingList>>;

/** A list narrowed to what a report's figure counts, and the figures of the rows shown. */
export interface PeriodView {
  filter: PeriodFilter;
  figures: TrainingFigures;
}
type CommendationRows = Awaited<ReturnType<typeof commendationList>>;
type Unit = { id: number; name: string };

export const BASE = "/quan-tri/dao-tao";

export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

function Select(props: {
  id: string;
  name: string;
  label: string;
  state: FormState;
  options: [string, string][];
  empty?: string;
}) {
  const { id, name, state } = props;
  return (
    <>
      <label for={id}>{props.label}</label>
      <FieldError errors={state.errors} id={id} />
      <select id={id} name={name} aria-invalid={state.errors[id] ? "true" : undefined}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map(([value, label]) => (
          <option value={value} selected={state.values[name] === value}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}

/** Field ids carry the form's prefix, so two forms on one page keep their own messages. */
const under = (prefix: string, s: FormState): FormState => ({
  values: s.values,
  errors: Object.fromEntries(Object.entries(s.errors).map(([k, v]) => [k === "_" ? prefix : `${prefix}-${k}`, v])),
});

export function TrainingFields({ prefix, state, units }: { prefix: string; state: FormState; units: Unit[] }) {
  const s = under(prefix, state);
  const id = (n: string) => `${prefix}-${n}`;
  return (
    <>
      <TextField id={id("personName")} name="personName" label="Họ và tên" state={s} />
      <TextField id={id("position")} name="position" label="Chức vụ, chức danh" state={s} />
      <Select
        id={id("orgUnitId")}
        name="orgUnitId"
        label="Đơn vị công tác"
        state={s}
        empty="Chọn đơn vị"
        options={units.map((u) => [String(u.id), u.name])}
      />
      <TextField id={id("course")} name="course" label="Lớp, khóa bồi dưỡng" state={s} />
      <TextField id={id("organiser")} name="organiser" label="Đơn vị tổ chức" state={s} />
      <TextField id={id("startsOn")} name="startsOn" label="Từ ngày" type="date" state={s} />
      <TextField id={id("endsOn")} name="endsOn" label="Đến ngày" type="date" state={s} />
      <Select
        id={id("attendance")}
        name="attendance"
        label="Tình hình tham dự"
        state={s}
        empty="Chọn"
        options={Object.entries(ATTENDANCE)}
      />
    </>
  );
}

export function CommendationFields({ prefix, state, units }: { prefix: string; state: FormState; units: Unit[] }) {
  const s = under(prefix, state);
  const id = (n: string) => `${prefix}-${n}`;
  return (
    <>
      <Select
        id={id("recipientKind")}
        name="recipientKind"
        label="Khen thưởng"
        state={s}
        options={Object.entries(RECIPIENT_KINDS)}
      />
      <TextField id={id("personName")} name="personName" label="Họ và tên (cá nhân)" state={s} />
      <TextField id={id("position")} name="position" label="Chức vụ (cá nhân)" state={s} />
      <Select
        id={id("orgUnitId")}
        name="orgUnitId"
        label="Đơn vị (tập thể được khen, hoặc đơn vị của cá nhân)"
        state={s}
        empty="Không chọn"
        options={units.map((u) => [String(u.id), u.name])}
      />
      <TextField id={id("form")} name="form" label="Hình thức khen thưởng" state={s} />
      <TextField id={id("decision")} name="decision" label="Quyết định (số, ký hiệu)" state={s} />
      <TextField id={id("decidedOn")} name="decidedOn" label="Ngày quyết định" type="date" state={s} />
      <TextField id={id("reason")} name="reason" label="Thành tích" state={s} />
    </>
  );
}

const DeleteButton = ({ action, csrf }: { action: string; csrf: string }) => (
  <form method="post" action={action} class="inline">
    <CsrfField token={csrf} />
    <button type="submit" class="secondary">
      Xóa
    </button>
  </form>
);

export function TrainingPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  training: TrainingRows;
  commendations: CommendationRows;
  units: Unit[];
  mayManage: boolean;
  trainingForm: FormState;
  commendationForm: FormState;
  saved?: string;
  /** Only one list's records of a period (a report's figure links here); no forms. */
  period?: PeriodView | null;
}) {
  const csrf = props.session?.csrfToken ?? "";
  const period = props.period ?? null;
  const show = { training: period?.filter.list !== "commendation", commendation: period?.filter.list !== "training" };
  const errors = {
    ...under("bd", props.trainingForm).errors,
    ...under("kt", props.commendationForm).errors,
  };
  return (
    <Layout title="Bồi dưỡng và khen thưởng" ward={props.ward} session={props.session} staff>
      <h1>Bồi dưỡng và khen thưởng về cải cách hành chính</h1>
      <p>Danh sách có họ tên cán bộ: chỉ cán bộ đăng nhập xem được, không công khai.</p>
      <ErrorSummary errors={errors} />
      <SavedNotice message={props.saved} />
      {period ? (
        <PeriodBanner
          period={period}
          rows={period.filter.list === "training" ? props.training.length : props.commendations.length}
        />
      ) : null}
      {show.training ? (
        <>
          <h2 id="boi-duong">Cán bộ được cử đi bồi dưỡng</h2>
          {period ? null : (
            <p>
              <a href={`${BASE}/boi-duong.xlsx`}>Tải danh sách (XLSX)</a>
            </p>
          )}
          {props.training.length ? (
            <section class="table-wrap" aria-label="Danh sách bồi dưỡng" tabindex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Họ và tên</th>
                    <th scope="col">Chức vụ</th>
                    <th scope="col">Đơn vị</th>
                    <th scope="col">Lớp, khóa</th>
                    <th scope="col">Thời gian</th>
                    <th scope="col">Đơn vị tổ chức</th>
                    <th scope="col">Tham dự</th>
                    {props.mayManage ? <th scope="col">Thao tác</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {props.training.map((r) => (
                    <tr>
                      <th scope="row">{r.person_name}</th>
                      <td>{r.position}</td>
                      <td>{r.unit_name}</td>
                      <td>{r.course}</td>
                      <td>
                        {formatDate(r.starts_on)} – {formatDate(r.ends_on)}
                      </td>
                      <td>{r.organiser}</td>
                      <td>{ATTENDANCE[r.attendance as Attendance] ?? r.attendance}</td>
                      {props.mayManage ? <RowActions path={`${BASE}/boi-duong/${r.id}`} csrf={csrf} /> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : (
            <p>Chưa có ai trong danh sách bồi dưỡng.</p>
          )}
          {props.mayManage ? (
            <form method="post" action={`${BASE}/boi-duong`} id="bd">
              <h3>Thêm người được cử đi bồi dưỡng</h3>
              <CsrfField token={csrf} />
              <TrainingFields prefix="bd" state={props.trainingForm} units={props.units} />
              <button type="submit">Thêm vào danh sách</button>
            </form>
          ) : null}
        </>
      ) : null}
      {show.commendation ? (
        <>
          <h2 id="khen-thuong">Khen thưởng</h2>
          {period ? null : (
            <p>
              <a href={`${BASE}/khen-thuong.xlsx`}>Tải danh sách (XLSX)</a>
            </p>
          )}
          {props.commendations.length ? (
            <section class="table-wrap" aria-label="Danh sách khen thưởng" tabindex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Được khen</th>
                    <th scope="col">Hình thức</th>
                    <th scope="col">Quyết định</th>
                    <th scope="col">Ngày</th>
                    <th scope="col">Thành tích</th>
                    {props.mayManage ? <th scope="col">Thao tác</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {props.commendations.map((r) => (
                    <tr>
                      <th scope="row">
                        {r.recipient_kind === "person"
                          ? `${r.person_name ?? ""}${r.position ? `, ${r.position}` : ""}${r.unit_name ? ` (${r.unit_name})` : ""}`
                          : `Tập thể ${r.unit_name ?? ""}`}
                      </th>
                      <td>{r.form}</td>
                      <td>{r.decision}</td>
                      <td>{formatDate(r.decided_on)}</td>
                      <td>{r.reason}</td>
                      {props.mayManage ? <RowActions path={`${BASE}/khen-thuong/${r.id}`} csrf={csrf} /> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : (
            <p>Chưa có khen thưởng nào.</p>
          )}
          {props.mayManage ? (
            <form method="post" action={`${BASE}/khen-thuong`} id="kt">
              <h3>Thêm khen thưởng</h3>
              <CsrfField token={csrf} />
              <CommendationFields prefix="kt" state={props.commendationForm} units={props.units} />
              <button type="submit">Thêm khen thưởng</button>
            </form>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}

/** A row's edit link and delete button (`path`: the record's page). */
function RowActions({ path, csrf }: { path: string; csrf: string }) {
  return (
    <td>
      <a href={path}>Sửa</a>
      <DeleteButton action={`${path}/xoa`} csrf={csrf} />
    </td>
  );
}

/** What a period's list holds: how many rows (the figure it backs), and for training its courses and people. */
function PeriodBanner({ period, rows }: { period: PeriodView; rows: number }) {
  const f = period.filter;
  const n = period.figures;
  const what =
    f.list === "training"
      ? f.attendedOnly
        ? "lượt cán bộ tham dự bồi dưỡng"
        : "lượt cử đi bồi dưỡng"
      : f.recipient === "person"
        ? "khen thưởng cá nhân"
        : f.recipient === "unit"
          ? "khen thưởng tập thể"
          : "khen thưởng";
  return (
    <p>
      Lọc: từ {formatDate(f.from)} đến {formatDate(f.to)}, {what}: <strong data-count={rows}>{rows}</strong>
      {f.list === "training" ? (
        <>
          {" "}
          (<span data-courses={n.courses}>{n.courses}</span> khóa, lớp;{" "}
          <span data-trainees={n.trainees}>{n.trainees}</span> người)
        </>
      ) : null}
      . <a href={BASE}>Bỏ lọc</a>
    </p>
  );
}

/** One record's edit page (either list). */
export function EditRecordPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  kind: "training" | "commendation";
  id: number;
  state: FormState;
  units: Unit[];
}) {
  const csrf = props.session?.csrfToken ?? "";
  const training = props.kind === "training";
  const title = training ? "Sửa thông tin bồi dưỡng" : "Sửa khen thưởng";
  return (
    <Layout title={title} ward={props.ward} session={props.session} staff>
      <p>
        <a href={BASE}>← Bồi dưỡng và khen thưởng</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary errors={under("sua", props.state).errors} />
      <form method="post" action={`${BASE}/${training ? "boi-duong" : "khen-thuong"}/${props.id}`} id="sua">
        <CsrfField token={csrf} />
        {training ? (
          <TrainingFields prefix="sua" state={props.state} units={props.units} />
        ) : (
          <CommendationFields prefix="sua" state={props.state} units={props.units} />
        )}
        <button type="submit">Lưu</button>
      </form>
    </Layout>
  );
}
