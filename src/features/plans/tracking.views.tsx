/**
 * Views of task tracking (staff side): the unit's task list, and the task page with its history and its ledger
 * (its forms are in tracking.forms.tsx).
 */
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import { type FormState, SavedNotice } from "../../core/web/forms.tsx";
import { ErrorSummary } from "../../core/web/layout.tsx";
import { storedFileHref } from "../../core/web/stored-files.ts";
import { CHANNEL_KINDS, PILLARS, type PillarCode } from "./plan-draft.ts";
import { formatNumber, RECURRENCE_LABELS, STATUS_LABELS, type TaskState } from "./progress.ts";
import { ActivityForm, UpdateForm } from "./tracking.forms.tsx";
import type { FileRef, MyTasks, TaskDetail, TaskListItem } from "./tracking.service.ts";

const ROLE_LABELS = { lead: "Chủ trì", support: "Phối hợp" } as const;

const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

function FileLinks({ files }: { files: FileRef[] }) {
  if (files.length === 0) return null;
  return (
    <ul class="items small">
      {files.map((f) => (
        <li>
          <a href={storedFileHref(f.id)}>{f.name}</a> <span class="muted">({sizeText(f.size)})</span>
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

/** The tasks of the officer's unit, or of every unit of the ward grouped by lead unit. */
export function MyTasksPage({ my }: { my: MyTasks }) {
  const officer = my.scope === "unit";
  const total = my.groups.reduce((n, g) => n + g.tasks.length, 0);
  return (
    <>
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
    </>
  );
}

// -------------------------------------------------------------------------------------------------------------
// Task page

/** One task: its facts, the update form, the history, the ledger and the activity form (as the user may act). */
export function TaskPage({
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
      <SavedNotice
        message={saved ? (saved === "hoat-dong" ? "Đã ghi nhận hoạt động." : "Đã lưu cập nhật tiến độ.") : undefined}
      />
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
