/**
 * Staff sign-in through the province's single sign-on (OIDC_* settings): `GET /dang-nhap/sso` sends the browser to
 * the provider, `GET /dang-nhap/sso/callback` (the redirect URI registered there) finishes it. Without the settings
 * both answer 404. Signing out (`POST /dang-xuat`, accounts.routes.tsx) ends the portal's session and, for a session
 * opened here, sends the browser on to the provider's sign-out, which sends it back to `GET /da-dang-xuat`.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SSO_SIGNED_OUT_PATH } from "../../core/config.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { isHttps } from "../../core/web/middleware.ts";
import { respondToSignIn, safeNext } from "./sign-in.routes.tsx";
import { finishSignIn } from "./sign-in.service.ts";
import {
  beginSignIn,
  completeSignIn,
  ProviderUnavailable,
  type SignInRefusal,
  SSO_PENDING_MINUTES,
} from "./sso.service.ts";

type C = Context<AppEnv>;

/** The cookie holding the state of a sign-in under way (the verifier and nonce stay in the database). */
const stateCookieName = (c: C) => (isHttps(c) ? "__Host-cchc_sso" : "cchc_sso");

const ssoOf = (c: C) => {
  const sso = c.get("deps").config.sso;
  if (!sso) throw notFound();
  return sso;
};

const REFUSALS: Record<SignInRefusal | "unavailable", { status: 400 | 403 | 502 | 503; title: string; text: string }> =
  {
    unknown: {
      status: 403,
      title: "Tài khoản chưa được cấp quyền",
      text:
        "Tỉnh đã xác nhận danh tính của bạn, nhưng bạn chưa được cấp quyền sử dụng cổng thông tin này. " +
        "Vui lòng liên hệ quản trị viên của xã, phường để được tạo tài khoản với địa chỉ thư điện tử của bạn.",
    },
    disabled: {
      status: 403,
      title: "Tài khoản đã bị khóa",
      text: "Tài khoản của bạn trên cổng thông tin này đang bị khóa. Vui lòng liên hệ quản trị viên của xã, phường.",
    },
    state: {
      status: 400,
      title: "Phiên đăng nhập không hợp lệ",
      text: `Lượt đăng nhập này không hợp lệ, đã được dùng hoặc đã quá ${SSO_PENDING_MINUTES} phút. Vui lòng đăng nhập lại.`,
    },
    provider: {
      status: 502,
      title: "Không hoàn tất được đăng nhập một lần",
      text: "Hệ thống đăng nhập một lần của tỉnh không xác nhận được lượt đăng nhập này. Vui lòng đăng nhập lại.",
    },
    unavailable: {
      status: 503,
      title: "Chưa kết nối được hệ thống đăng nhập một lần",
      text:
        "Hiện không kết nối được hệ thống đăng nhập một lần của tỉnh. Vui lòng thử lại sau ít phút, " +
        "hoặc đăng nhập bằng tên đăng nhập và mật khẩu nếu bạn có.",
    },
  };

function refusalPage(c: C, why: SignInRefusal | "unavailable") {
  const r = REFUSALS[why];
  c.status(r.status);
  c.header("Cache-Control", "no-store");
  if (why === "unavailable") c.header("Retry-After", "60");
  return c.html(
    <Layout title={r.title} ward={c.get("ward")}>
      <h1>{r.title}</h1>
      <p>{r.text}</p>
      <p>
        <a href="/dang-nhap">Quay lại trang đăng nhập</a>
      </p>
    </Layout>,
  );
}

export function ssoRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/dang-nhap/sso", async (c) => {
    const sso = ssoOf(c);
    const { db, clock, log } = c.get("deps");
    try {
      const { url, state } = await beginSignIn(db.kysely, sso, safeNext(c.req.query("tiep")), clock());
      setCookie(c, stateCookieName(c), state, {
        path: "/",
        httpOnly: true,
        // Lax: sent with the provider's top-level redirect back to the callback.
        sameSite: "Lax",
        secure: isHttps(c),
        maxAge: SSO_PENDING_MINUTES * 60,
      });
      c.header("Cache-Control", "no-store");
      return c.redirect(url, 303);
    } catch (e) {
      if (!(e instanceof ProviderUnavailable)) throw e;
      log.warn({ event: "sso.unavailable", issuer: sso.issuer, err: e.message }, "sso");
      return refusalPage(c, "unavailable");
    }
  });

  // Back from the provider's sign-out: both sessions are over.
  app.get(SSO_SIGNED_OUT_PATH, (c) => {
    ssoOf(c);
    c.header("Cache-Control", "no-store");
    return c.html(
      <Layout title="Đã đăng xuất" ward={c.get("ward")}>
        <h1>Đã đăng xuất</h1>
        <p>Bạn đã đăng xuất khỏi cổng thông tin và khỏi hệ thống đăng nhập một lần của tỉnh.</p>
        <p>
          <a href="/dang-nhap">Đăng nhập lại</a> · <a href="/">Về trang chủ</a>
        </p>
      </Layout>,
    );
  });

  app.get("/dang-nhap/sso/callback", async (c) => {
    const sso = ssoOf(c);
    const { db, clock, log } = c.get("deps");
    const cookieState = getCookie(c, stateCookieName(c));
    deleteCookie(c, stateCookieName(c), { path: "/", secure: isHttps(c) });
    let outcome: Awaited<ReturnType<typeof completeSignIn>>;
    try {
      outcome = await completeSignIn(
        db.kysely,
        sso,
        { query: new URL(c.req.url).search, cookieState, ip: c.get("ip") },
        clock(),
      );
    } catch (e) {
      if (!(e instanceof ProviderUnavailable)) throw e;
      log.warn({ event: "sso.unavailable", issuer: sso.issuer, err: e.message }, "sso");
      return refusalPage(c, "unavailable");
    }
    if (!outcome.ok) {
      log.info({ event: `sso.${outcome.reason}`, ip: c.get("ip"), detail: outcome.detail }, "sso");
      return refusalPage(c, outcome.reason);
    }
    log.info({ event: "sso.ok", userId: outcome.user.id, bound: outcome.bound, ip: c.get("ip") }, "sso");
    // The same end as a password sign-in: the second factor where the account has one or its role requires it.
    const config = c.get("deps").config;
    const signedIn = await finishSignIn(db.kysely, outcome.user, {
      method: "oidc",
      policy: { absoluteHours: config.sessionHours, idleMinutes: config.sessionIdleMinutes },
      totpRequiredRoles: config.totpRequiredRoles,
      now: clock(),
      ssoIdToken: outcome.idToken,
    });
    return respondToSignIn(c, signedIn, outcome.next);
  });

  return app;
}
