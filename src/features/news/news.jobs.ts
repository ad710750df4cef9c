/**
 * Scheduled publication through the shared job interface (core/jobs): a leader's approval with a time to come queues
 * a `news.publish` job in the approval's transaction, keyed by the article (approving again reschedules, withdrawing
 * cancels); when the time comes the runner publishes it as a step (news.service.ts `publishScheduled`), so the
 * ledger, the search, the feed and every cached page change then. Safe to run twice: an article no longer waiting is
 * left as it is.
 */
import { cancelJobs, defineJob, enqueueJob } from "../../core/jobs/jobs.ts";
import { type PublicationQueue, publishScheduled } from "./news.service.ts";

export const publishJob = defineJob<{ articleId: number }>("news.publish", async ({ articleId }, ctx) => {
  const r = await publishScheduled(ctx.db.kysely, articleId, ctx.now);
  if (!r.ok) ctx.log.info({ event: "news.publish_skipped", articleId, reason: r.errors._ });
});

const keyOf = (articleId: number) => `news-publish:${articleId}`;

export const publicationQueue: PublicationQueue = {
  async schedule(trx, articleId, wardId, at, now) {
    await enqueueJob(trx, publishJob, { articleId }, { runAt: at, key: keyOf(articleId), wardId }, now);
  },
  async cancel(trx, articleId) {
    await cancelJobs(trx, keyOf(articleId));
  },
};
