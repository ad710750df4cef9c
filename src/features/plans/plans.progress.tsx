/** Progress of a plan: charts by unit and by content area, then the tasks with their state. */
import { formatDate } from "../../core/text/vi.ts";
import { ActivitiesByAreaChart, StatusByUnitChart } from "./charts.tsx";
import type { LoadedPlan } from "./plans.service.ts";
import { unitsOfTask } from "./plans.views.tsx";
import { formatNumber, RECURRENCE_LABELS, STATUS_LABELS, type TaskState } from "./progress.ts";
import type { PlanProgress as Progress } from "./tracking.service.ts";

/**
 * `leadUnit`: show only the tasks this unit leads ("none": tasks with no lead unit) — a report's figure "tasks of
 * a unit" links here; undefined: every task.
 */
export function PlanProgress({
  p,
  progress,
  staff,
  leadUnit,
}: {
  p: LoadedPlan;
  progress: Progress;
  staff: boolean;
  leadUnit?: number | "none";
}) {
  const t = progress.totals;
  const leads = (taskId: number) => unitsOfTask(p, taskId).filter((u) => u.role === "lead");
  const tasks =
    leadUnit === undefined
      ? p.tasks
      : p.tasks.filter((task) =>
          leadUnit === "none" ? leads(task.id).length === 0 : leads(task.id).some((u) => u.id === leadUnit),
        );
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
      {leadUnit !== undefined ? (
        <p>
          Lọc: nhiệm vụ{" "}
          {leadUnit === "none"
            ? "chưa giao đơn vị chủ trì"
            : `do ${p.taskUnits.find((u) => u.unit_id === leadUnit)?.unit_name ?? "đơn vị đã chọn"} chủ trì`}
          : <strong data-count={tasks.length}>{tasks.length}</strong> nhiệm vụ.{" "}
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
