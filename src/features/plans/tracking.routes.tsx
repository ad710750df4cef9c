/**
 * Staff pages of task tracking: the unit's task list, the task page with its history and ledger, the two forms
 * (progress update, activity) and evidence downloads. Thin handlers: read the form, call one service function,
 * render or redirect. Works without JavaScript; every POST carries the CSRF token.
 */
import { type Context, Hono } from "hono";
import type { Actor } from "../../core/audit.ts";
import { ACCEPT_ATTRIBUTE, ACCEPTED_TYPES_TEXT, contentDisposition, downloadName } from "../../core/files.ts";
import { formatDate, formatDateTime, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, forbidden, notFound } from "../../core/web/errors.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { CHANNEL_KINDS, PILLARS, type PillarCode } from "./plan-draft.ts";
import { formatNumber, RECURRENCE_LABELS, STATUS_LABELS, STORED_STATUSES, type TaskState } from "./progress.ts";
import {
  evidenceFile,
  type Failure,
  type FileRef,
  listMyTasks,
  MAX_FILES,
  recordActivity,
  type TaskDetail,
  type TaskListItem,
  taskDetail,
  type UploadInput,
  updateTask,
} from "./tracking.service.ts";

type C = Context<AppEnv>;
type FormValues = Record<string, string>;

const ROLE_LABELS = { lead: "Chủ trì", support: "Phối hợp" } as const;

function sessionOf(c: C) {
  const s = c.get("session");
  if (!s) throw new AppError(401, "unauthenticated", "Cần đăng nhập.");
  return s;
}

const actorOf = (c: C): Actor => {
  const u = sessionOf(c).user;
  return { userId: u.id, name: u.username, wardId: u.ward_id };
};

async function readForm(c: C): Promise<{ values: FormValues; files: UploadInput[] }> {
  const body = await c.req.parseBody({ all: true });
  const values: FormValues = Object.create(null);
  const files: UploadInput[] = [];
  for (const [k, raw] of Object.entries(body)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype" || k === "_csrf") continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v === "string") values[k] ??= v;
      else if (k === "files" && v instanceof File && !(v.size === 0 && v.name === "")) {
        files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
      }
    }
  }
  return { values, files };
}

/** Service errors → ids of this page's fields (two forms share the page, so ids carry the form's prefix). */
function fieldErrors(errors: FieldErrors, prefix: "u" | "a"): FieldErrors {
  const out: FieldErrors = {};
  const formId = prefix === "u" ? "cap-nhat" : "hoat-dong";
  for (const [k, v] of Object.entries(errors)) {
    const id =
      k === "_" || k === "taskId" || k === "planId" || k === "source" || k === "sourceRef" ? formId : `${prefix}-${k}`;
    out[id] ??= v;
  }
  return out;
}

const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

function FileLinks({ files }: { files: FileRef[] }) {
  if (files.length === 0) return null;
  return (
    <ul class="items small">
      {files.map((f) => (
        <li>
          <a href={`/quan-tri/tep/${f.id}`}>{f.name}</a> <span class="muted">({sizeText(f.size)})</span>
        </li>
      ))}
    </ul>
  );
}

const StateTag = ({ state }: { state: TaskState }) => <strong class={`tag ${state}`}>{STATUS_LABELS[state]}</strong>;

function dueText(t: { dueOn: string | null; recurrence: string | null }): string {
  if (t.dueOn) return `Hạn ${formatDate(t.dueOn)}`;
  if (t.recurrence) return RECURRENCE_LABELS[t.recurrence] ?? "Thường xuyên";
  return "Không ghi thời hạn";
}

const FieldError = ({ errors, id }: { errors: FieldErrors; id: string }) =>
  errors[id] ? (
    <span class="field-error" id={`${id}-loi`}>
      {errors[id]}
    </span>
  ) : null;
const describedBy = (errors: FieldErrors, id: string, hint?: string) =>
  [hint, errors[id] ? `${id}-loi` : undefined].filter(Boolean).join(" ") || undefined;

// -------------------------------------------------------------------------------------------------------------
// Task list

function TaskTable({ tasks, showRole }: { tasks: TaskListItem[]; showRole: boolean }) {
  return (
    <section class="table-wrap" aria-label="Danh sách nhiệm vụ" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Nhiệm vụ</th>
            <th scope="col">Kế hoạch</th>
            {showRole ? <th scope="col">Vai trò</th> : <th scope="col">Phối hợp</th>}
            <th scope="col">Thời hạn</th>
            <th scope="col">Tình trạng</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr>
              <td>
                <a href={`/quan-tri/nhiem-vu/${t.id}`}>{t.text}</a>
              </td>
              <td class="small">{t.planNumber}</td>
              {showRole ? (
                <td>{t.role ? ROLE_LABELS[t.role] : ""}</td>
              ) : (
                <td class="small">
                  {t.units
                    .filter((u) => u.role === "support")
                    .map((u) => u.name)
                    .join(", ")}
                </td>
              )}
              <td class="small">
                {dueText(t)}
                {t.lastWorkOn ? <span class="hint">Cập nhật gần nhất {formatDate(t.lastWorkOn)}</span> : null}
              </td>
              <td>
                <StateTag state={t.state} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// -------------------------------------------------------------------------------------------------------------
// Task page

interface FormState {
  values: FormValues;
  errors: FieldErrors;
}
const EMPTY: FormState = { values: {}, errors: {} };

function UpdateForm({ d, csrf, form }: { d: TaskDetail; csrf: string; form: FormState }) {
  const { values, errors } = form;
  const status = values.status ?? d.task.storedStatus;
  return (
    <form
      method="post"
      action={`/quan-tri/nhiem-vu/${d.task.id}/cap-nhat`}
      enctype="multipart/form-data"
      id="cap-nhat"
      tabindex={-1}
    >
      <h2>Cập nhật tiến độ</h2>
      <input type="hidden" name="_csrf" value={csrf} />
      <label for="u-status">Tình trạng</label>
      <FieldError errors={errors} id="u-status" />
      <select id="u-status" name="status" aria-describedby={describedBy(errors, "u-status")}>
        {STORED_STATUSES.map((s) => (
          <option value={s} selected={s === status}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <label for="u-note">
        Nội dung cập nhật{" "}
        <span class="hint" id="u-note-goi-y">
          Đã làm gì, kết quả, vướng mắc (nếu có).
        </span>
      </label>
      <FieldError errors={errors} id="u-note" />
      <textarea id="u-note" name="note" rows={4} aria-describedby={describedBy(errors, "u-note", "u-note-goi-y")}>
        {values.note ?? ""}
      </textarea>
      <FileInput prefix="u" errors={errors} />
      <div>
        <button type="submit" class="btn">
          Lưu cập nhật
        </button>
      </div>
    </form>
  );
}

function FileInput({ prefix, errors }: { prefix: "u" | "a"; errors: FieldErrors }) {
  const id = `${prefix}-files`;
  return (
    <>
      <label for={id}>
        Minh chứng (không bắt buộc){" "}
        <span class="hint" id={`${id}-goi-y`}>
          Chọn lại tệp nếu trang báo lỗi. Nhận {ACCEPTED_TYPES_TEXT}; tối đa {MAX_FILES} tệp mỗi lần.
        </span>
      </label>
      <FieldError errors={errors} id={id} />
      <input
        type="file"
        id={id}
        name="files"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        aria-describedby={describedBy(errors, id, `${id}-goi-y`)}
      />
    </>
  );
}

function TextField(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  form: FormState;
  value?: string;
  type?: string;
  inputmode?: "numeric";
}) {
  const { id, name, label, hint, form, type, inputmode } = props;
  const hintId = hint ? `${id}-goi-y` : undefined;
  return (
    <>
      <label for={id}>
        {label}{" "}
        {hint ? (
          <span class="hint" id={hintId}>
            {hint}
          </span>
        ) : null}
      </label>
      <FieldError errors={form.errors} id={id} />
      <input
        type={type ?? "text"}
        id={id}
        name={name}
        value={form.values[name] ?? props.value ?? ""}
        inputmode={inputmode}
        aria-describedby={describedBy(form.errors, id, hintId)}
        aria-invalid={form.errors[id] ? "true" : undefined}
      />
    </>
  );
}

function ActivityForm({ d, csrf, form, today }: { d: TaskDetail; csrf: string; form: FormState; today: string }) {
  const { values, errors } = form;
  const areas = d.contentAreas.filter((a) => a.pillar);
  const pillar = values.pillar ?? "";
  let pillarMarked = false;
  const mark = (v: string) => {
    if (pillarMarked || v !== pillar) return false;
    pillarMarked = true;
    return true;
  };
  const unitId = values.orgUnitId ?? String(d.unitChoices[0]?.id ?? "");
  return (
    <form
      method="post"
      action={`/quan-tri/nhiem-vu/${d.task.id}/hoat-dong`}
      enctype="multipart/form-data"
      id="hoat-dong"
      tabindex={-1}
    >
      <h2>Ghi nhận hoạt động tuyên truyền</h2>
      <p class="hint">
        Mỗi buổi hội nghị, bản tin phát thanh, bài đăng, băng rôn… là một hoạt động; báo cáo được tổng hợp từ các hoạt
        động này.
      </p>
      <input type="hidden" name="_csrf" value={csrf} />
      {d.unitChoices.length > 1 ? (
        <>
          <label for="a-orgUnitId">Đơn vị thực hiện</label>
          <FieldError errors={errors} id="a-orgUnitId" />
          <select id="a-orgUnitId" name="orgUnitId" aria-describedby={describedBy(errors, "a-orgUnitId")}>
            {d.unitChoices.map((u) => (
              <option value={String(u.id)} selected={String(u.id) === unitId}>
                {u.name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <p id="a-orgUnitId">
          Đơn vị thực hiện: <strong>{d.unitChoices[0]?.name ?? ""}</strong>
          <input type="hidden" name="orgUnitId" value={String(d.unitChoices[0]?.id ?? "")} />
          <FieldError errors={errors} id="a-orgUnitId" />
        </p>
      )}
      <label for="a-channelKind">Hình thức tuyên truyền</label>
      <FieldError errors={errors} id="a-channelKind" />
      <select id="a-channelKind" name="channelKind" aria-describedby={describedBy(errors, "a-channelKind")}>
        <option value="">— Chọn hình thức —</option>
        {Object.entries(CHANNEL_KINDS).map(([code, label]) => (
          <option value={code} selected={values.channelKind === code}>
            {label}
          </option>
        ))}
      </select>
      <label for="a-pillar">
        Nội dung tuyên truyền{" "}
        <span class="hint">Theo mục II của kế hoạch; mỗi nội dung thuộc một lĩnh vực cải cách hành chính.</span>
      </label>
      <FieldError errors={errors} id="a-pillar" />
      <select id="a-pillar" name="pillar" aria-describedby={describedBy(errors, "a-pillar")}>
        <option value="" selected={pillar === ""}>
          — Không thuộc nội dung cụ thể —
        </option>
        {areas.length
          ? areas.map((a) => (
              <option value={a.pillar ?? ""} selected={mark(a.pillar ?? "")}>
                {`${a.code}. ${a.title} (${PILLARS[a.pillar as PillarCode] ?? a.pillar})`}
              </option>
            ))
          : Object.entries(PILLARS).map(([code, label]) => (
              <option value={code} selected={mark(code)}>
                {label}
              </option>
            ))}
      </select>
      <TextField
        id="a-title"
        name="title"
        label="Tên hoạt động"
        hint="Ví dụ: Hội nghị tuyên truyền CCHC tại tổ dân phố 3."
        form={form}
      />
      <TextField
        id="a-occurredOn"
        name="occurredOn"
        label="Ngày thực hiện"
        hint="Ngày/tháng/năm, không sau hôm nay."
        type="date"
        value={today}
        form={form}
      />
      <TextField id="a-place" name="place" label="Địa điểm (không bắt buộc)" form={form} />
      <TextField
        id="a-audience"
        name="audience"
        label="Số lượt người được tiếp cận (không bắt buộc)"
        hint="Số nguyên, ví dụ 120."
        inputmode="numeric"
        form={form}
      />
      <label for="a-participants">Thành phần tham dự (không bắt buộc)</label>
      <FieldError errors={errors} id="a-participants" />
      <textarea
        id="a-participants"
        name="participants"
        rows={2}
        aria-describedby={describedBy(errors, "a-participants")}
      >
        {values.participants ?? ""}
      </textarea>
      <TextField
        id="a-cost"
        name="cost"
        label="Kinh phí (đồng, không bắt buộc)"
        hint="Số tiền, ví dụ 1.500.000."
        inputmode="numeric"
        form={form}
      />
      <FileInput prefix="a" errors={errors} />
      <div>
        <button type="submit" class="btn">
          Ghi nhận hoạt động
        </button>
      </div>
    </form>
  );
}

function TaskPage({
  d,
  csrf,
  today,
  update,
  activity,
  saved,
}: {
  d: TaskDetail;
  csrf: string;
  today: string;
  update: FormState;
  activity: FormState;
  saved?: string;
}) {
  const { task, plan } = d;
  const errors = { ...update.errors, ...activity.errors };
  return (
    <>
      <ErrorSummary errors={errors} />
      {saved ? (
        <div class="notice" role="status">
          {saved === "hoat-dong" ? "Đã ghi nhận hoạt động." : "Đã lưu cập nhật tiến độ."}
        </div>
      ) : null}
      <p class="small">
        <a href="/quan-tri/viec-cua-toi">← Việc của đơn vị</a>
      </p>
      <h1>Nhiệm vụ</h1>
      <p>{task.text}</p>
      {task.removedAt ? (
        <div class="warning">
          Nhiệm vụ này đã được bỏ khỏi kế hoạch khi kế hoạch được sửa đổi; lịch sử vẫn được giữ.
        </div>
      ) : null}
      <dl class="facts">
        <dt>Kế hoạch</dt>
        <dd>
          <a href={`/quan-tri/ke-hoach/${plan.id}`}>
            Kế hoạch {plan.number}: {plan.title}
          </a>
        </dd>
        <dt>Nhóm nhiệm vụ</dt>
        <dd>{task.groupHeading}</dd>
        <dt>Đơn vị</dt>
        <dd>
          {d.units.length === 0 ? (
            "Chưa giao đơn vị"
          ) : (
            <ul class="items">
              {d.units.map((u) => (
                <li>
                  {u.name} <span class="muted">({ROLE_LABELS[u.role]})</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Thời hạn</dt>
        <dd>{dueText(task)}</dd>
        <dt>Tình trạng</dt>
        <dd>
          <StateTag state={task.state} />
          {task.lastWorkOn ? <span class="muted small"> · cập nhật gần nhất {formatDate(task.lastWorkOn)}</span> : null}
        </dd>
      </dl>

      {d.canUpdate ? <UpdateForm d={d} csrf={csrf} form={update} /> : null}

      <h2>Lịch sử cập nhật</h2>
      {d.updates.length === 0 ? (
        <p class="muted">Chưa có cập nhật nào.</p>
      ) : (
        <ol class="items">
          {d.updates.map((u) => (
            <li>
              <strong>{formatDateTime(u.at)}</strong> · {u.userName} · {STATUS_LABELS[u.status]}
              {u.note ? (
                <p>
                  {u.note.split("\n").map((line, i) => (
                    <>
                      {i > 0 ? <br /> : null}
                      {line}
                    </>
                  ))}
                </p>
              ) : null}
              <FileLinks files={u.files} />
            </li>
          ))}
        </ol>
      )}

      <h2>Hoạt động đã ghi nhận</h2>
      {d.activities.length === 0 ? (
        <p class="muted">Chưa có hoạt động nào.</p>
      ) : (
        <section class="table-wrap" aria-label="Hoạt động đã ghi nhận" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Ngày</th>
                <th scope="col">Hoạt động</th>
                <th scope="col">Hình thức</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Người được tiếp cận</th>
                <th scope="col">Kinh phí (đồng)</th>
              </tr>
            </thead>
            <tbody>
              {d.activities.map((a) => (
                <tr>
                  <td>{formatDate(a.occurredOn)}</td>
                  <td>
                    {a.title}
                    {a.place ? <span class="hint">Tại {a.place}</span> : null}
                    {a.participants ? <span class="hint">Thành phần: {a.participants}</span> : null}
                    {a.pillar ? <span class="hint">{PILLARS[a.pillar as PillarCode] ?? a.pillar}</span> : null}
                    <FileLinks files={a.files} />
                  </td>
                  <td>{CHANNEL_KINDS[a.channelKind as keyof typeof CHANNEL_KINDS] ?? a.channelKind}</td>
                  <td>{a.unitName}</td>
                  <td>{a.audience == null ? "" : formatNumber(a.audience)}</td>
                  <td>{a.cost == null ? "" : formatNumber(a.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {d.canRecord ? <ActivityForm d={d} csrf={csrf} form={activity} today={today} /> : null}
    </>
  );
}

async function renderTaskPage(
  c: C,
  taskId: number,
  forms: { update?: FormState; activity?: FormState; status?: 200 | 400 | 409 | 413 | 415 } = {},
) {
  const session = sessionOf(c);
  const { db, clock } = c.get("deps");
  const today = vnToday(clock());
  const d = await taskDetail({ db }, session.user, taskId, today);
  if (!d) throw notFound("Không tìm thấy nhiệm vụ.");
  c.status(forms.status ?? 200);
  const saved = c.req.query("da-luu");
  return c.html(
    <Layout title="Nhiệm vụ" ward={c.get("ward")} session={session} staff>
      <TaskPage
        d={d}
        csrf={session.csrfToken}
        today={today}
        update={forms.update ?? EMPTY}
        activity={forms.activity ?? EMPTY}
        saved={forms.status ? undefined : saved}
      />
    </Layout>,
  );
}

/** A failed use case: forbidden and missing go to the error page, the rest re-render the form with the input kept. */
function onFailure(c: C, taskId: number, r: Failure, form: "u" | "a", values: FormValues) {
  if (r.status === 403) {
    c.get("deps").log.warn({ event: "forbidden", user: sessionOf(c).user.id, path: c.req.path }, "forbidden");
    throw forbidden(r.errors._);
  }
  if (r.status === 404) throw notFound(r.errors._);
  const state = { values, errors: fieldErrors(r.errors, form) };
  return renderTaskPage(
    c,
    taskId,
    form === "u" ? { update: state, status: r.status } : { activity: state, status: r.status },
  );
}

/** Routes under /quan-tri: `app.route("/quan-tri", trackingStaffRoutes())`. Each applies its own staff and CSRF checks. */
export function trackingStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/viec-cua-toi", requireStaff, async (c) => {
    const session = sessionOf(c);
    const { db, clock } = c.get("deps");
    const my = await listMyTasks({ db }, session.user, vnToday(clock()));
    const officer = my.scope === "unit";
    const total = my.groups.reduce((n, g) => n + g.tasks.length, 0);
    return c.html(
      <Layout title="Việc của đơn vị tôi" ward={c.get("ward")} session={session} staff>
        <h1>{officer ? "Việc của đơn vị tôi" : "Việc của các đơn vị"}</h1>
        {officer && my.groups.length === 0 ? (
          <div class="notice">
            Tài khoản của bạn chưa gắn với đơn vị nào. Hãy liên hệ quản trị viên để được gắn đơn vị.
          </div>
        ) : total === 0 ? (
          <p>Chưa có nhiệm vụ nào được giao.</p>
        ) : (
          <>
            <p>
              {formatNumber(total)} nhiệm vụ: {my.counts.overdue} quá hạn, {my.counts.not_started} chưa bắt đầu,{" "}
              {my.counts.in_progress} đang thực hiện, {my.counts.done} hoàn thành.
            </p>
            {my.groups.map((g) => (
              <section>
                <h2>{g.unitName}</h2>
                <TaskTable tasks={g.tasks} showRole={officer} />
              </section>
            ))}
          </>
        )}
      </Layout>,
    );
  });

  app.get("/nhiem-vu/:id{[0-9]+}", requireStaff, (c) => renderTaskPage(c, Number(c.req.param("id"))));

  app.post("/nhiem-vu/:id{[0-9]+}/cap-nhat", requireStaff, requireCsrf, async (c) => {
    const taskId = Number(c.req.param("id"));
    const { values, files } = await readForm(c);
    const session = sessionOf(c);
    const r = await updateTask(c.get("deps"), actorOf(c), session.user, taskId, {
      status: values.status ?? "",
      note: values.note ?? "",
      files,
    });
    if (!r.ok) return onFailure(c, taskId, r, "u", values);
    return c.redirect(`/quan-tri/nhiem-vu/${taskId}?da-luu=cap-nhat`, 303);
  });

  app.post("/nhiem-vu/:id{[0-9]+}/hoat-dong", requireStaff, requireCsrf, async (c) => {
    const taskId = Number(c.req.param("id"));
    const { values, files } = await readForm(c);
    const session = sessionOf(c);
    const user = session.user;
    const r = await recordActivity(c.get("deps"), actorOf(c), user, {
      taskId,
      // An officer records for their own unit only, whatever the form says.
      orgUnitId: user.role === "officer" ? (user.org_unit_id ?? "") : (values.orgUnitId ?? ""),
      channelKind: values.channelKind ?? "",
      pillar: values.pillar ?? null,
      title: values.title ?? "",
      occurredOn: values.occurredOn ?? "",
      place: values.place ?? null,
      audience: values.audience ?? null,
      participants: values.participants ?? null,
      cost: values.cost ?? null,
      files,
    });
    if (!r.ok) return onFailure(c, taskId, r, "a", values);
    return c.redirect(`/quan-tri/nhiem-vu/${taskId}?da-luu=hoat-dong`, 303);
  });

  app.get("/tep/:id{[0-9]+}", requireStaff, async (c) => {
    const session = sessionOf(c);
    const file = await evidenceFile(c.get("deps"), session.user, Number(c.req.param("id")));
    if (!file) throw notFound("Không tìm thấy tệp.");
    c.header("Content-Type", file.row.mime);
    c.header("Content-Disposition", contentDisposition(downloadName(file.row)));
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "no-store");
    c.header("Content-Length", String(file.bytes.length));
    return c.body(file.bytes as Uint8Array<ArrayBuffer>);
  });

  return app;
}
