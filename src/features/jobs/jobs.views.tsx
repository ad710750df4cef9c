/** The staff page of background jobs: a table per state, the failed ones with "Chạy lại". */
import { formatDateTime } from "../../core/text/vi.ts";
import { CsrfField } from "../../core/web/forms.tsx";
import { DONE_SHOWN_DAYS, JOB_STATES, type JobState, type JobsListing, type JobView } from "./jobs.service.ts";

export const JOBS_BASE = "/quan-tri/viec-nen";

/** What each kind of job does, for staff; an unknown kind shows its code. */
const KIND_LABELS: Record<string, string> = {
  "news.publish": "Đăng tin bài theo lịch",
  "radio.audio": "Tạo âm thanh bản tin phát thanh",
  "search.prior.learn": "Học ưu tiên tìm kiếm",
};

const STATE_TITLES: Record<JobState, string> = {
  failed: "Bị lỗi",
  running: "Đang chạy",
  queued: "Đang chờ",
  done: `Đã xong (${DONE_SHOWN_DAYS} ngày gần nhất)`,
};

function JobTable({
  state,
  jobs,
  total,
  csrf,
  all,
}: {
  state: JobState;
  jobs: JobView[];
  total: number;
  csrf: string;
  all: boolean;
}) {
  const id = `viec-${state}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {STATE_TITLES[state]}: {total}
      </h2>
      {jobs.length === 0 ? (
        <p>Không có việc nào.</p>
      ) : (
        <section class="table-wrap" aria-label={STATE_TITLES[state]} tabindex={0}>
          {total > jobs.length ? (
            <p>
              Hiển thị {jobs.length} trên {total} việc.
            </p>
          ) : null}
          <table>
            <thead>
              <tr>
                <th scope="col">Số</th>
                <th scope="col">Loại việc</th>
                {all ? <th scope="col">Xã, phường</th> : null}
                <th scope="col">Số lần chạy</th>
                <th scope="col">{state === "done" || state === "failed" ? "Kết thúc lúc" : "Chạy lúc"}</th>
                <th scope="col">Lỗi gần nhất</th>
                {state === "failed" ? <th scope="col">Thao tác</th> : null}
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr id={`viec-so-${j.id}`}>
                  <td>{j.id}</td>
                  <td>
                    {KIND_LABELS[j.kind] ?? j.kind} <span class="hint">({j.kind})</span>
                  </td>
                  {all ? <td>{j.ward ?? "Toàn hệ thống"}</td> : null}
                  <td>{j.attempts}</td>
                  <td>
                    {formatDateTime(j.finishedAt && (state === "done" || state === "failed") ? j.finishedAt : j.runAt)}
                  </td>
                  <td>{j.lastError ? <span class="job-error">{j.lastError}</span> : "—"}</td>
                  {state === "failed" ? (
                    <td>
                      <form method="post" action={`${JOBS_BASE}/${j.id}/chay-lai`}>
                        <CsrfField token={csrf} />
                        <button type="submit" aria-label={`Chạy lại việc số ${j.id}`}>
                          Chạy lại
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

export function JobsPage({ listing, csrf, retried }: { listing: JobsListing; csrf: string; retried?: number | null }) {
  return (
    <>
      <h1>Việc chạy nền</h1>
      <p>
        Những việc máy chủ làm không cần người chờ: đăng tin theo lịch, tạo âm thanh bản tin, học ưu tiên tìm kiếm…{" "}
        {listing.all
          ? "Bạn là người vận hành hệ thống: trang này liệt kê việc của mọi xã, phường và việc chung của hệ thống."
          : "Trang này liệt kê việc của xã, phường bạn."}{" "}
        Một việc lỗi được tự động thử lại vài lần; việc vẫn lỗi sau lần cuối nằm ở mục “Bị lỗi” và có thể chạy lại khi
        nguyên nhân đã được khắc phục. Thông tin cá nhân trong nội dung lỗi đã được che.
      </p>
      {retried ? (
        <p class="notice" role="status">
          Đã đưa việc số {retried} vào hàng chờ để chạy lại.
        </p>
      ) : null}
      {JOB_STATES.map((state) => (
        <JobTable
          state={state}
          jobs={listing.jobs[state]}
          total={listing.counts[state]}
          csrf={csrf}
          all={listing.all}
        />
      ))}
    </>
  );
}
