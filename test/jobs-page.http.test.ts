/**
 * The staff page of background jobs (issue 12 §8, operations), over HTTP on both databases: queued, running, failed
 * and recently finished jobs with their kind, ward, tries, time and last error (personal data masked); "Chạy lại"
 * for a failed job, CSRF-protected and audited; a ward's administrator sees only their ward's jobs, the
 * deployment's operator every job. The jobs are real: queued with `enqueueJob`, run by `runDueJobs`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { defineJob, enqueueJob, runDueJobs } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";

/** A job that fails (with personal data in its error, as a careless message might) until told to succeed. */
let failing = true;
const flakyJob = defineJob<{ to: string }>(
  "test.jobs-page.flaky",
  async ({ to }) => {
    if (failing) throw new Error(`Không gửi được thư cho ông Nguyễn Văn An (${to}), số 0912 345 678`);
  },
  { maxAttempts: 1 },
);
/** A job that runs until released: to see one running. */
let release: (() => void) | null = null;
const holdJob = defineJob<Record<string, never>>(
  "test.jobs-page.hold",
  () =>
    new Promise<void>((resolve) => {
      release = resolve;
    }),
  { maxAttempts: 1 },
);

for (const target of testDatabases()) {
  describe(`background jobs page (${target.name})`, () => {
    let w: TestWorld;
    let otherWard: number;
    let ids: { here: number; there: number; nobody: number; later: number };
    const run = () =>
      runDueJobs({ db: w.db, now: w.now(), log: createLogger("silent"), dataDir: w.dataDir, files: w.files });

    before(async () => {
      failing = true;
      w = await createWorld(target);
      await w.createStaff("quantri", "admin");
      await w.createStaff("vanhanh", "admin", undefined, { operator: true });
      await w.createStaff("bientap", "coordinator");
      otherWard = await setUpOtherWard(w, "21451");
      const r = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "quantri2",
          displayName: "Quản trị phường khác",
          password: pw("quantri2"),
          role: "admin",
          wardId: otherWard,
        },
        w.now(),
      );
      assert.ok(r.ok, "the other ward's administrator is created");
      const now = w.now();
      ids = await w.db.kysely.transaction().execute(async (trx) => ({
        here: await enqueueJob(trx, flakyJob, { to: "an.nguyen@example.vn" }, { wardId: w.wardId }, now),
        there: await enqueueJob(trx, flakyJob, { to: "b.tran@example.vn" }, { wardId: otherWard }, now),
        nobody: await enqueueJob(trx, flakyJob, { to: "c.le@example.vn" }, {}, now),
        later: await enqueueJob(
          trx,
          flakyJob,
          { to: "d@example.vn" },
          { wardId: w.wardId, runAt: new Date(now.getTime() + 3600_000) },
          now,
        ),
      }));
      assert.equal(await run(), 3, "the three due jobs ran, and failed");
    });
    after(async () => {
      release?.();
      await w.cleanup();
    });

    const statusOf = async (id: number) =>
      (
        await w.db.kysely
          .selectFrom("jobs")
          .select(["status", "attempts"])
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).status;

    test("a ward's administrator sees their ward's jobs by state, errors masked, never another ward's", async () => {
      // One running while the page is read.
      await w.db.kysely.transaction().execute((trx) => enqueueJob(trx, holdJob, {}, { wardId: w.wardId }, w.now()));
      const running = run();
      while (!release) await new Promise((r) => setTimeout(r, 10));

      const admin = await logIn(w.app, "quantri", pw("quantri"));
      const page = await admin.get("/quan-tri/viec-nen");
      assert.equal(page.status, 200, "the page opens for the ward's administrator");
      const html = await page.text();
      const section = (title: string) =>
        html.slice(html.indexOf(`${title}:`), html.indexOf("</section>", html.indexOf(`${title}:`)));
      const failed = section("Bị lỗi");
      assert.ok(failed.includes(`id="viec-so-${ids.here}"`), "the ward's failed job is listed as failed");
      assert.ok(failed.includes("test.jobs-page.flaky"), "with its kind");
      assert.ok(failed.includes("Không gửi được thư cho"), "and its error");
      assert.ok(
        !html.includes("0912 345 678") && !html.includes("an.nguyen@example.vn"),
        "the phone and e-mail are masked",
      );
      assert.ok(!html.includes("Nguyễn Văn An"), "and the name");
      assert.ok(failed.includes("[số điện thoại]") && failed.includes("[thư điện tử]"), "shown as masks");
      assert.ok(section("Đang chờ").includes(`id="viec-so-${ids.later}"`), "the job due later is queued");
      assert.ok(section("Đang chạy").includes("test.jobs-page.hold"), "the job in hand is running");
      assert.ok(!html.includes(`id="viec-so-${ids.there}"`), "another ward's job is never shown");
      assert.ok(!html.includes(`id="viec-so-${ids.nobody}"`), "nor the deployment's own jobs");
      assert.ok(!html.includes("Xã, phường</th>"), "and no ward column: all are the ward's");
      assert.ok(html.includes('href="/quan-tri/viec-nen"'), "the staff navigation links the page");

      release?.();
      await running;
      release = null;
      const after = await (await admin.get("/quan-tri/viec-nen")).text();
      assert.ok(
        after.slice(after.indexOf("Đã xong")).includes("test.jobs-page.hold"),
        "the finished job is listed as recently done",
      );

      const other = await logIn(w.app, "quantri2", pw("quantri2"));
      const theirs = await (await other.get("/quan-tri/viec-nen")).text();
      assert.ok(theirs.includes(`id="viec-so-${ids.there}"`), "the other ward's administrator sees their job");
      assert.ok(!theirs.includes(`id="viec-so-${ids.here}"`), "and not this ward's");
      assert.ok(!theirs.includes("test.jobs-page.hold"), "nor this ward's finished one");

      const editor = await logIn(w.app, "bientap", pw("bientap"));
      assert.equal((await editor.get("/quan-tri/viec-nen")).status, 403, "a coordinator has no jobs page");
      assert.equal((await w.app.request("/quan-tri/viec-nen")).status, 303, "nor anyone signed out");
    });

    test("the operator sees every ward's job and the deployment's own", async () => {
      const op = await logIn(w.app, "vanhanh", pw("vanhanh"));
      const html = await (await op.get("/quan-tri/viec-nen")).text();
      for (const id of [ids.here, ids.there, ids.nobody])
        assert.ok(html.includes(`id="viec-so-${id}"`), `job ${id} is listed for the operator`);
      assert.ok(html.includes("Toàn hệ thống"), "the ward-less job says it is the deployment's");
      assert.ok(html.includes("Xã, phường</th>"), "with a ward column");
    });

    test("retry: CSRF required, another ward's job unreachable, audited, then the job runs again", async () => {
      const admin = await logIn(w.app, "quantri", pw("quantri"));
      const noCsrf = await w.app.request(`/quan-tri/viec-nen/${ids.here}/chay-lai`, {
        method: "POST",
        body: new URLSearchParams({}),
        headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(noCsrf.status, 403, "a retry without the CSRF token is refused");
      assert.equal(await statusOf(ids.here), "failed", "and changes nothing");

      const stranger = await logIn(w.app, "quantri2", pw("quantri2"));
      const cross = await stranger.post(`/quan-tri/viec-nen/${ids.here}/chay-lai`, {});
      assert.equal(cross.status, 404, "another ward's administrator cannot retry this ward's job");
      assert.equal(await statusOf(ids.here), "failed", "it stays failed");
      const ownerless = await admin.post(`/quan-tri/viec-nen/${ids.nobody}/chay-lai`, {});
      assert.equal(ownerless.status, 404, "nor a ward's administrator the deployment's job");

      const ok = await admin.post(`/quan-tri/viec-nen/${ids.here}/chay-lai`, {});
      assert.equal(ok.status, 303, "the ward's administrator retries their failed job");
      assert.equal(ok.headers.get("location"), `/quan-tri/viec-nen?da-chay-lai=${ids.here}`, "back to the page");
      const row = await w.db.kysely.selectFrom("jobs").selectAll().where("id", "=", ids.here).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, Number(row.attempts)], ["queued", 0], "queued again with its tries counted afresh");
      const again = await admin.post(`/quan-tri/viec-nen/${ids.here}/chay-lai`, {});
      assert.equal(again.status, 409, "a job no longer failed is not retried twice");
      const audited = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "actor", "ward_id", "before_json"])
        .where("entity", "=", "job")
        .where("entity_id", "=", String(ids.here))
        .execute();
      assert.equal(audited.length, 1, "one audit record of the retry");
      assert.deepEqual(
        [audited[0]?.action, audited[0]?.actor, audited[0]?.ward_id],
        ["job.retry", "quantri", w.wardId],
        "by the administrator, in the job's ward",
      );
      assert.ok(!audited[0]?.before_json?.includes("0912 345 678"), "the error in the audit record is masked too");

      failing = false;
      assert.equal(await run(), 1, "the runner takes the retried job");
      assert.equal(await statusOf(ids.here), "done", "which now succeeds");
      const html = await (await admin.get("/quan-tri/viec-nen")).text();
      assert.ok(html.includes(`Đã đưa việc số`) || html.includes("Đã xong"), "the page shows it");
      assert.ok(
        html.slice(html.indexOf("Đã xong")).includes(`id="viec-so-${ids.here}"`),
        "among the recently finished jobs",
      );
    });
  });
}
