/**
 * `/quan-tri/viec-nen`: the background jobs of the administrator's ward (every job, for the deployment's operator),
 * and `POST /quan-tri/viec-nen/{id}/chay-lai` to run a failed one again (CSRF, audited). See jobs.service.ts.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf } from "../../core/web/staff.ts";
import { jobScopeOf, listJobs, retryJob } from "./jobs.service.ts";
import { JOBS_BASE, JobsPage } from "./jobs.views.tsx";

const manage = requireAction("jobs.manage");

/** Routes under /quan-tri: `app.route("/quan-tri", jobsStaffRoutes())`. */
export function jobsStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/viec-nen", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const session = sessionOf(c);
    const listing = await listJobs(db.kysely, jobScopeOf(session.user), clock());
    const retried = Number(c.req.query("da-chay-lai")) || null;
    c.header("Cache-Control", "no-store");
    return c.html(
      <Layout title="Việc chạy nền" ward={c.get("ward")} session={session} staff>
        <JobsPage listing={listing} csrf={session.csrfToken} retried={retried} />
      </Layout>,
    );
  });

  app.post("/viec-nen/:id{[0-9]+}/chay-lai", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock, log } = c.get("deps");
    const session = sessionOf(c);
    const id = Number(c.req.param("id"));
    const r = await retryJob(db.kysely, actorOf(c), jobScopeOf(session.user), id, clock());
    if (!r.ok) {
      if (r.status === 404) throw notFound(r.message);
      throw new AppError(409, "conflict", r.message);
    }
    log.info({ event: "job.retry", id, user: session.user.id }, "jobs");
    return c.redirect(`${JOBS_BASE}?da-chay-lai=${id}`, 303);
  });

  return app;
}
