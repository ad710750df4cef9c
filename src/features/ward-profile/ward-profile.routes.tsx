/**
 * The ward profile: `GET/POST /quan-tri/ho-so-phuong` (`ward_profile.manage`: the ward's administrators; CSRF on
 * the POST), and the middleware that hands every public page its ward's contact details (the footer, procedure
 * pages, the notice board read them off `ward.contact`).
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { currentChanges } from "../../core/db/changes.ts";
import type { Db } from "../../core/db/connection.ts";
import type { AppEnv, WardContact } from "../../core/web/context.ts";
import { type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, wardIdOf } from "../../core/web/staff.ts";
import { parseProfile, profileForForm, saveProfile, wardContact } from "./ward-profile.service.ts";
import { WardProfilePage } from "./ward-profile.views.tsx";

type C = Context<AppEnv>;

/**
 * A ward's contact details as last read, per database: they change when the ward's administrators save the profile,
 * and every public page shows them. An entry holds until a write to the ward's data reaches this process (db/changes.ts:
 * at once here, by LISTEN/NOTIFY from other processes) — the rule the page cache keeps its pages by.
 */
const contactMemos = new WeakMap<object, Map<number, { contact: WardContact | null; at: number }>>();
/** Past this many (more than the country's communes), the memo starts afresh. */
const CONTACT_MEMO_MAX = 10_000;

async function rememberedContact(db: Db, wardId: number): Promise<WardContact | null> {
  let memo = contactMemos.get(db);
  if (!memo) {
    memo = new Map();
    contactMemos.set(db, memo);
  }
  const changes = await currentChanges(db);
  const hit = memo.get(wardId);
  if (hit && changes.unchangedSince(hit.at, [wardId])) return hit.contact;
  // Stamped before reading: a save landing during the read ends this entry at the next request.
  const at = changes.stamp();
  const contact = await wardContact(db.kysely, wardId);
  if (memo.size >= CONTACT_MEMO_MAX) memo.clear();
  memo.set(wardId, { contact, at });
  return contact;
}

/** Public pages: the ward in play carries its contact details. Staff pages and the API do without. */
export const withWardContact: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ward = c.get("ward");
  if (ward && !c.req.path.startsWith("/api/") && !c.req.path.startsWith("/quan-tri"))
    c.set("ward", { ...ward, contact: await rememberedContact(c.get("deps").db, ward.unit.id) });
  await next();
};

const render = (c: C, state: FormState, status: 200 | 400) =>
  c.html(
    <WardProfilePage
      ward={c.get("ward")}
      session={sessionOf(c)}
      state={state}
      saved={c.req.query("da-luu") ? "Đã lưu hồ sơ phường." : undefined}
    />,
    status,
  );

export function wardProfileRoutes() {
  const app = new Hono<AppEnv>();
  const guard = [requireStaff, requireCsrf, requireAction("ward_profile.manage")] as const;

  app.get("/ho-so-phuong", ...guard, async (c) => {
    const saved = await profileForForm(c.get("deps").db.kysely, wardIdOf(c));
    return render(c, { values: { ...saved }, errors: {} }, 200);
  });

  app.post("/ho-so-phuong", ...guard, async (c) => {
    const values = await readFormValues(c);
    const parsed = parseProfile(values);
    if (!parsed.ok) return render(c, { values, errors: pageErrors(parsed.errors, "", "hs") }, 400);
    const { db, clock } = c.get("deps");
    await saveProfile(db.kysely, actorOf(c), wardIdOf(c), parsed.value, clock());
    return c.redirect("/quan-tri/ho-so-phuong?da-luu=1", 303);
  });

  return app;
}
