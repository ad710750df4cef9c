/** Progress of a plan: charts by unit and by content area, then the tasks with their state. */
import { formatDate } from "../../core/text/vi.ts";
import { ActivitiesByAreaChart, StatusByUnitChart } from "./charts.tsx";
import type { LoadedPlan } from "./plans.service.ts";
import { unitsOfTask } from "./plans.views.tsx";
import { formatNumber, RECURRENCE_LABELS, STATUS_LABELS, type TaskState } from "./progress.ts";
import type { PlanProgress as Progress } from "./tracking.service.ts";

/**
 * `leadUnit`: show only the tasks this unit leads ("none": tasks with no lead unit), and `state`: only those in that
 * state — a report's figure "tasks of a unit (done, in progress, overdue)" links here; the tasks are picked by the
 * same lead unit and state the figures count them under (`progress.leadUnitOf`, `progress.states`). Undefined: every
 * task.
 */
export function PlanProgress({
  p,
  progress,
  staff,
  leadUnit,
  state,
  asOf,
}: {
  p: LoadedPlan;
  progress: Progress;
  staff: boolean;
  leadUnit?: number | "none";
  state?: TaskState;
  /** The day the states are computed for, when not today (a report's period end). */
  asOf?: string;
}) {
  const t = progress.totals;
  const filtered = leadUnit !== undefined || state !== undefined;
  const tasks = filtered
    ? p.tasks.filter(
        (task) =>
          progress.leadUnitOf.has(task.id) &&
          (leadUnit === undefined || (progress.leadUnitOf.get(task.id) ?? "none") === leadUnit) &&
          (state === undefined || progress.states.get(task.id) === state),
      )
    : p.tasks;
  const unitName =
    leadUnit === undefined
      ? null
      : leadUnit === "none"
        ? "chưa giao đơn vị chủ trì"
        : `do ${p.taskUnits.find((u) => u.unit_id === leadUnit)?.unit_name ?? "đơn vị đã chọn"} chủ trì`;
  return (
    <section aria-labelledby="tien-do">
      <h2 id="tien-do">Tiến độ thực hiện</h2>
      <p>
        {formatNumber(t.counts.done)}/{formatNumber(t.tasks)} nhiệm vụ hoàn thành · {formatNumber(t.counts.in_progress)}{" "}
        đang thực hiện · {formatNumber(t.counts.overdue)} quá hạn · {formatNumber(t.activities)} hoạt động tuyên truyền,{" "}
        {formatNumber(t.audience)} lượt người được tiếp cận
      </p>
      <div class="chart">
        <StatusByUnitChart rows={progress.byUnit} />
      </div>
      <div class="chart">
        <ActivitiesByAreaChart rows={progress.byArea} />
      </div>
      <h2 id="nhiem-vu">IV. Nhiệm vụ và đơn vị thực hiện</h2>
      {filtered ? (
        <p>
          Lọc: nhiệm vụ{unitName ? ` ${unitName}` : ""}
          {state ? `, tình trạng “${STATUS_LABELS[state]}”` : ""}
          {asOf ? ` (tính đến ngày ${formatDate(asOf)})` : ""}:{" "}
          <strong data-count={tasks.length}>{tasks.length}</strong> nhiệm vụ.{" "}
          <a href={`/quan-tri/ke-hoach/${p.plan.id}#nhiem-vu`}>Xem mọi nhiệm vụ</a>
        </p>
      ) : null}
      <section class="table-wrap" aria-label="Nhiệm vụ và đơn vị thực hiện" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Nhiệm vụ</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Thời hạn</th>
              <th scope="col">Tình trạng</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => {
              const state: TaskState = progress.states.get(task.id) ?? "not_started";
              return (
                <tr>
                  <td>{staff ? <a href={`/quan-tri/nhiem-vu/${task.id}`}>{task.text}</a> : task.text}</td>
                  <td>
                    {unitsOfTask(p, task.id).map((u, i) => (
                      <>
                        {i ? <br /> : null}
                        {u.name}
                        {u.role === "support" ? " (phối hợp)" : ""}
                      </>
                    ))}
                  </td>
                  <td>
                    {task.recurrence ? (RECURRENCE_LABELS[task.recurrence] ?? "Thường xuyên") : formatDate(task.due_on)}
                  </td>
                  <td>
                    <span class={`tag ${state}`}>{STATUS_LABELS[state]}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}
