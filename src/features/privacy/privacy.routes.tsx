/**
 * Staff pages of personal data, for administrators ("personal_data.manage"):
 * - `GET /quan-tri/du-lieu-ca-nhan` the search form; `POST` the same path searches by tracking code or phone (in the
 *   body: a phone number never goes into a URL) and lists the ward's matching feedback items and questions;
 * - `POST …/xuat` downloads everything held about the person for the chosen items as JSON (attachment, no-store);
 * - `POST …/xoa` erases their personal data, with a reason and a confirmation;
 * - `GET/POST …/dong-y` the consent texts of the public forms.
 * Thin handlers: validate → authorise (middleware) → one service call → render, download or redirect.
 */

import { type Context, Hono } from "hono";
import { fileStoreOf } from "../../core/file-store.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, wardIdOf } from "../../core/web/staff.ts";
import { validate } from "../../core/web/validation.ts";
import { consentInput, eraseInput, exportInput, searchInput } from "./privacy.schemas.ts";
import {
  consentTexts,
  erasePersonalData,
  exportPersonalData,
  findPersonItems,
  updateConsentTexts,
} from "./privacy.service.ts";
import { ConsentPage, PersonSearchPage } from "./privacy.views.tsx";

type C = Context<AppEnv>;

/** A posted form with repeated fields (`item`) kept as lists; prototype keys and the CSRF token dropped. */
async function readAll(c: C): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of Object.entries(body)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype" || k === "_csrf") continue;
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
  }
  return out;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/** The search page, with the results of `q` when it is a valid code or phone. */
async function renderSearch(c: C, state: FormState, status: 200 | 400 | 404 = 200, notice?: string) {
  c.header("Cache-Control", "no-store");
  const page = (s: FormState, results?: Awaited<ReturnType<typeof findPersonItems>>) =>
    c.html(
      <PersonSearchPage ward={c.get("ward")} session={sessionOf(c)} state={s} results={results} notice={notice} />,
      status,
    );
  if (state.values.q === undefined) return page(state);
  const parsed = validate(searchInput, { q: state.values.q });
  if (!parsed.ok) return page({ ...state, errors: { ...pageErrors(parsed.errors, "tk", "tk-form"), ...state.errors } });
  return page(state, await findPersonItems(c.get("deps").db.kysely, wardIdOf(c), parsed.value));
}

export function privacyRoutes() {
  const app = new Hono<AppEnv>();
  const manage = requireAction("personal_data.manage");

  app.get("/du-lieu-ca-nhan", requireStaff, requireCsrf, manage, (c) => {
    const n = Number(c.req.query("da-xoa"));
    return renderSearch(
      c,
      EMPTY_FORM,
      200,
      Number.isInteger(n) && n > 0 ? `Đã xoá dữ liệu cá nhân của ${n} mục.` : undefined,
    );
  });

  app.post("/du-lieu-ca-nhan", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(searchInput, values);
    if (!parsed.ok) return renderSearch(c, { values: { q: values.q ?? "" }, errors: {} }, 400);
    return renderSearch(c, { values: { q: values.q ?? "" }, errors: {} });
  });

  app.post("/du-lieu-ca-nhan/xuat", requireStaff, requireCsrf, manage, async (c) => {
    const body = await readAll(c);
    const parsed = validate(exportInput, { item: list(body.item) });
    if (!parsed.ok)
      return renderSearch(c, { values: {}, errors: pageErrors(parsed.errors, "", "tk-form", ["item"]) }, 400);
    const { db, clock } = c.get("deps");
    const now = clock();
    const r = await exportPersonalData(db.kysely, actorOf(c), wardIdOf(c), parsed.value.item, now);
    if (!r.ok) throw notFound(r.message);
    c.header("Content-Type", "application/json; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="du-lieu-ca-nhan-${vnToday(now)}.json"`);
    c.header("Cache-Control", "no-store");
    return c.body(JSON.stringify(r.value, null, 2));
  });

  app.post("/du-lieu-ca-nhan/xoa", requireStaff, requireCsrf, manage, async (c) => {
    const body = await readAll(c);
    const input = { item: list(body.item), reason: one(body.reason), confirm: one(body.confirm) };
    const parsed = validate(eraseInput, input);
    const values = { q: one(body.q), item: input.item.join("\n"), reason: input.reason };
    if (!parsed.ok)
      return renderSearch(c, { form: "erase", values, errors: pageErrors(parsed.errors, "xoa", "xoa-form") }, 400);
    const { db, clock, config } = c.get("deps");
    const r = await erasePersonalData(
      db.kysely,
      actorOf(c),
      wardIdOf(c),
      parsed.value.item,
      parsed.value.reason,
      clock(),
      fileStoreOf({ db, config }),
    );
    if (!r.ok) return renderSearch(c, { form: "erase", values, errors: { "xoa-form": r.message } }, 404);
    return c.redirect(`/quan-tri/du-lieu-ca-nhan?da-xoa=${r.value.erased.length + r.value.already.length}`, 303);
  });

  const renderConsent = async (c: C, state: FormState, status: 200 | 400 = 200) => {
    const texts = await consentTexts(c.get("deps").db.kysely, wardIdOf(c));
    return c.html(
      <ConsentPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        state={state}
        texts={texts}
        saved={c.req.method === "GET" && c.req.query("da-luu") === "1"}
      />,
      status,
    );
  };

  app.get("/du-lieu-ca-nhan/dong-y", requireStaff, requireCsrf, manage, (c) => renderConsent(c, EMPTY_FORM));

  app.post("/du-lieu-ca-nhan/dong-y", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(consentInput, values);
    if (!parsed.ok) return renderConsent(c, { values, errors: pageErrors(parsed.errors, "dy", "dy-form") }, 400);
    const { db, clock } = c.get("deps");
    await updateConsentTexts(db.kysely, actorOf(c), wardIdOf(c), parsed.value, clock());
    return c.redirect("/quan-tri/du-lieu-ca-nhan/dong-y?da-luu=1", 303);
  });

  return app;
}
