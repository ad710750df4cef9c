/** What a staff page's handler reads off the request: the session, the actor for the audit trail, the ward, today. */
import type { Context } from "hono";
import type { Actor } from "../audit.ts";
import { vnToday } from "../text/vi.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

type C = Context<AppEnv>;

/** The staff session; `requireStaff` has run, so a missing one is a 401, never a page without a user. */
export function sessionOf(c: C) {
  const s = c.get("session");
  if (!s) throw new AppError(401, "unauthenticated", "Cần đăng nhập.");
  return s;
}

/** The signed-in staff member as the audit trail records them. */
export const actorOf = (c: C): Actor => {
  const u = sessionOf(c).user;
  return { userId: u.id, name: u.username, wardId: u.ward_id };
};

/** The ward of the signed-in staff member. */
export const wardIdOf = (c: C) => sessionOf(c).user.ward_id;

/** Today in Vietnam, by the app's clock. */
export const todayOf = (c: C) => vnToday(c.get("deps").clock());
