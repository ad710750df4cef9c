/**
 * The ward profile: `GET/POST /quan-tri/ho-so-phuong` (`ward_profile.manage`: the ward's administrators; CSRF on
 * the POST), and the middleware that hands every public page its ward's contact details (the footer, procedure
 * pages, the notice board read them off `ward.contact`).
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { ChangeMemo } from "../../core/db/change-memo.ts";
import type { Db } from "../../core/db/connection.ts";
import type { AppEnv, WardContact } from "../../core/web/context.ts";
import { type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, wardIdOf } from "../../core/web/staff.ts";
import { parseProfile, profileForForm, saveProfile, wardContact } from "./ward-profile.service.ts";
import { WardProfilePage } from "./ward-profile.views.tsx";

type C = Context<AppEnv>;

/** A ward's contact details, remembered per process until a write to the ward's data (core/db/change-memo.ts). */
const contacts = new ChangeMemo<WardContact | null>(10_000);
const rememberedContact = (db: Db, wardId: number) =>
  contacts.get(db, String(wardId), async () => ({ value: await wardContact(db.kysely, wardId), units: [wardId] }));

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
