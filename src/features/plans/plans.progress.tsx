/** Progress of a plan: charts by unit and by content area, then the tasks with their state. */
import { formatDate } from "../../core/text/vi.ts";
import { ActivitiesByAreaChart, StatusByUnitChart } from "./charts.tsx";
import type { LoadedPlan } from "./plans.service.ts";
import { unitsOfTask } from "./plans.views.tsx";
import { formatNumber, RECURRENCE_LABELS, STATUS_LABELS, type TaskState } from "./progress.ts";
import type { PlanProgress as Progress } from "./tracking.service.ts";

export function PlanProgress({ p, progress, staff }: { p: LoadedPlan; progress: Progress; staff: boolean }) {
  const t = progress.totals;
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
      <h2>IV. Nhiệm vụ và đơn vị thực hiện</h2>
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
            {p.tasks.map((task) => {
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
