/**
 * The end of every sign-in: `respondToSignIn` turns `finishSignIn`'s outcome into cookies and a redirect, and the
 * second step's pages (`/dang-nhap/xac-thuc` for the code, `/dang-nhap/thiet-lap-xac-thuc` to set one up) finish
 * a sign-in in progress. Its cookie is its own, short-lived, HttpOnly; its forms carry its own CSRF token.
 */
import { timingSafeEqual } from "node:crypto";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import {
  deleteSession,
  findPendingSignIn,
  PENDING_SIGN_IN_MINUTES,
  type PendingSignIn,
  type SignInStep,
} from "../../core/auth/sessions.ts";
import { totpUri } from "../../core/auth/totp.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { checkOrigin, isHttps, sessionCookieName } from "../../core/web/middleware.ts";
import { formFields } from "../../core/web/validation.ts";
import { secondFactorOf } from "./second-factor.service.ts";
import { CodeStepPage, EnrolStepPage, RecoveryCodes } from "./second-factor.views.tsx";
import { completeEnrolment, completeSecondFactor, type SignInOutcome } from "./sign-in.service.ts";

type C = Context<AppEnv>;

/** Only same-site paths may follow a login, never another host. */
export const safeNext = (next: string | undefined) =>
  next && /^\/[a-z0-9/_-]*$/i.test(next) && !next.startsWith("//") ? next : "/quan-tri";

/** The cookie of a sign-in in progress (secure cookies need the __Host- prefix, as the session's). */
const pendingCookieName = (c: C) => (isHttps(c) ? "__Host-cchc_signin" : "cchc_signin");

const policyOf = (c: C) => {
  const { config } = c.get("deps");
  return { absoluteHours: config.sessionHours, idleMinutes: config.sessionIdleMinutes };
};

/** The name the authenticator app shows the account under: the portal's host. */
const issuerOf = (c: C) => {
  const url = c.get("deps").config.publicUrl ?? c.req.url;
  return `CCHC ${new URL(url).host}`;
};

/** Put the staff session in its cookie, replacing any earlier one. */
async function setSessionCookie(c: C, token: string) {
  const { db, config } = c.get("deps");
  const old = getCookie(c, sessionCookieName(c));
  if (old) await deleteSession(db.kysely, old);
  setCookie(c, sessionCookieName(c), token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    maxAge: config.sessionHours * 3600,
  });
}

/**
 * Answer a finished sign-in (`finishSignIn`'s outcome): the session cookie and the page asked for, or the sign-in in
 * progress's cookie and its second step. Every sign-in method's route ends here.
 */
export async function respondToSignIn(c: C, outcome: SignInOutcome, next: string | undefined) {
  const target = safeNext(next);
  if (outcome.step === "signed_in") {
    await setSessionCookie(c, outcome.token);
    return c.redirect(target, 303);
  }
  setCookie(c, pendingCookieName(c), outcome.token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    maxAge: PENDING_SIGN_IN_MINUTES * 60,
  });
  const page = outcome.step === "second_factor" ? "/dang-nhap/xac-thuc" : "/dang-nhap/thiet-lap-xac-thuc";
  const query = target === "/quan-tri" ? "" : `?tiep=${encodeURIComponent(target)}`;
  return c.redirect(`${page}${query}`, 303);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The sign-in in progress of this browser at this step, or a redirect: to the login page when there is none (it
 * expired, or never was), to the other step's page when it is at the other step. A POST must carry its CSRF token.
 */
async function pendingAt(c: C, step: SignInStep, body?: Record<string, string>) {
  const { db, clock } = c.get("deps");
  const token = getCookie(c, pendingCookieName(c));
  const pending = token ? await findPendingSignIn(db.kysely, token, clock()) : null;
  if (body) {
    checkOrigin(c);
    if (pending && !(body._csrf && sameToken(body._csrf, pending.csrfToken)))
      throw new AppError(
        403,
        "csrf",
        "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.",
      );
  }
  if (!pending) {
    if (token) deleteCookie(c, pendingCookieName(c), { path: "/", secure: isHttps(c) });
    return { redirect: c.redirect("/dang-nhap", 303) };
  }
  if (pending.step !== step)
    return {
      redirect: c.redirect(pending.step === "pending" ? "/dang-nhap/xac-thuc" : "/dang-nhap/thiet-lap-xac-thuc", 303),
    };
  return { pending };
}

function renderCodeStep(c: C, pending: PendingSignIn, state: FormState = EMPTY_FORM) {
  c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Xác thực hai bước" ward={c.get("ward")}>
      <CodeStepPage
        csrf={pending.csrfToken}
        username={pending.user.username}
        next={safeNext(c.req.query("tiep"))}
        state={state}
      />
    </Layout>,
  );
}

async function renderEnrolStep(c: C, pending: PendingSignIn, state: FormState = EMPTY_FORM) {
  const { db, config } = c.get("deps");
  const view = await secondFactorOf(db.kysely, pending.user.id, config.totpRequiredRoles);
  const secret = view.pendingSecret;
  // Set up meanwhile (another tab): the code step now applies.
  if (!secret) throw new AppError(409, "conflict", "Xác thực hai bước đã được bật. Hãy đăng nhập lại.");
  c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Cần bật xác thực hai bước" ward={c.get("ward")}>
      <EnrolStepPage
        csrf={pending.csrfToken}
        username={pending.user.username}
        secret={secret}
        uri={totpUri(secret, pending.user.username, issuerOf(c))}
        next={safeNext(c.req.query("tiep"))}
        state={state}
      />
    </Layout>,
  );
}

/** The second step's pages, mounted at "/" beside the login page. */
export function signInStepRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/dang-nhap/xac-thuc", async (c) => {
    const r = await pendingAt(c, "pending");
    return r.redirect ?? renderCodeStep(c, r.pending);
  });

  app.post("/dang-nhap/xac-thuc", async (c) => {
    const body = formFields(await c.req.parseBody());
    const r = await pendingAt(c, "pending", body);
    if (r.redirect) return r.redirect;
    const { db, clock, log } = c.get("deps");
    const done = await completeSecondFactor(
      db.kysely,
      r.pending,
      { code: (body.code ?? "").slice(0, 64), ip: c.get("ip") },
      policyOf(c),
      clock(),
    );
    log.info(
      { event: done.ok ? "login.second_factor_ok" : "login.second_factor_failed", user: r.pending.user.id },
      "login",
    );
    if (!done.ok) {
      if (done.wait) c.header("Retry-After", String(done.wait));
      c.status(done.status === 429 ? 429 : done.status === 409 ? 409 : 401);
      return renderCodeStep(c, r.pending, { values: {}, errors: done.errors });
    }
    deleteCookie(c, pendingCookieName(c), { path: "/", secure: isHttps(c) });
    await setSessionCookie(c, done.value.token);
    // A recovery code used: say how many are left, on the way in.
    if (done.value.recoveryCodeUsed)
      return c.redirect(`/quan-tri/tai-khoan/xac-thuc-hai-buoc?da-dung-ma=${done.value.recoveryCodesLeft}`, 303);
    return c.redirect(safeNext(c.req.query("tiep")), 303);
  });

  app.get("/dang-nhap/thiet-lap-xac-thuc", async (c) => {
    const r = await pendingAt(c, "enrol");
    return r.redirect ?? renderEnrolStep(c, r.pending);
  });

  app.post("/dang-nhap/thiet-lap-xac-thuc", async (c) => {
    const body = formFields(await c.req.parseBody());
    const r = await pendingAt(c, "enrol", body);
    if (r.redirect) return r.redirect;
    const { db, clock } = c.get("deps");
    const done = await completeEnrolment(
      db.kysely,
      r.pending,
      { code: (body.code ?? "").slice(0, 64) },
      policyOf(c),
      clock(),
    );
    if (!done.ok) {
      c.status(done.status === 404 ? 400 : done.status);
      return renderEnrolStep(c, r.pending, { values: {}, errors: done.errors });
    }
    deleteCookie(c, pendingCookieName(c), { path: "/", secure: isHttps(c) });
    await setSessionCookie(c, done.value.token);
    c.header("Cache-Control", "no-store");
    return c.html(
      <Layout title="Mã khôi phục" ward={c.get("ward")}>
        <RecoveryCodes codes={done.value.recoveryCodes} continueTo={safeNext(c.req.query("tiep"))} />
      </Layout>,
    );
  });

  return app;
}
