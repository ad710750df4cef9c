/**
 * Scheduled publication. A leader's approval with a time to come queues the article's publication; when that time
 * comes the publication is taken as a step (news.service.ts `publishScheduled`), so the ledger, the search, the feed
 * and every cached page change then. The queue also keeps `publish_at` on the article itself, so
 * `publishDueArticles` finds any article whose time has passed even if its queued job was lost.
 */
import type { PublicationQueue } from "./news.service.ts";

/** Until the shared job interface carries it, the article's own `publish_at` is the queue (see the header). */
export const publicationQueue: PublicationQueue = {
  async schedule() {},
  async cancel() {},
};
