/** Staff side of feedback: `GET /quan-tri/phan-anh`, the received items with their senders, for "feedback.read". */
import { Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { requireAction, requireStaff } from "../../core/web/middleware.ts";
import { sessionOf, todayOf, wardIdOf } from "../../core/web/staff.ts";
import { listFeedback } from "./feedback.service.ts";
import { FeedbackListPage } from "./feedback.views.tsx";

export function feedbackStaffRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/phan-anh", requireStaff, requireAction("feedback.read"), async (c) => {
    const rows = await listFeedback(c.get("deps").db.kysely, wardIdOf(c));
    // Names and phone numbers: never stored by a browser or a proxy.
    c.header("Cache-Control", "no-store");
    return c.html(<FeedbackListPage ward={c.get("ward")} session={sessionOf(c)} rows={rows} today={todayOf(c)} />);
  });

  return app;
}
