/** Login and logout pages; the second step of a sign-in is sign-in.routes.tsx. */
import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import type { AppEnv } from "../../core/web/context.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { checkOrigin, isHttps, requireCsrf, sessionCookieName } from "../../core/web/middleware.ts";
import { formFields } from "../../core/web/validation.ts";
import { logIn } from "./accounts.service.ts";
import { waitText } from "./second-factor.service.ts";
import { respondToSignIn, signInStepRoutes } from "./sign-in.routes.tsx";
import { signOut } from "./sign-in.service.ts";
import { providerSignOutUrl } from "./sso.service.ts";

function LoginPage(props: {
  error?: string;
  username?: string;
  next?: string;
  ward: AppEnv["Variables"]["ward"];
  /** The single sign-on button's text, when OIDC_* is set. */
  ssoLabel?: string | null;
}) {
  const ssoHref = `/dang-nhap/sso${props.next ? `?tiep=${encodeURIComponent(props.next)}` : ""}`;
  return (
    <Layout title="Đăng nhập" ward={props.ward}>
      <h1>Cán bộ đăng nhập</h1>
      {props.error ? <ErrorSummary errors={{ username: props.error }} /> : null}
      <form method="post" action="/dang-nhap">
        <input type="hidden" name="tiep" value={props.next ?? ""} />
        <label for="username">Tên đăng nhập</label>
        <input
          type="text"
          id="username"
          name="username"
          autocomplete="username"
          value={props.username ?? ""}
          required
        />
        <label for="password">Mật khẩu</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <div>
          <button type="submit" class="btn">
            Đăng nhập
          </button>
        </div>
      </form>
      {props.ssoLabel ? (
        <p>
          <a class="btn" href={ssoHref}>
            {props.ssoLabel}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function accountsRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/dang-nhap", (c) => {
    if (c.get("session")) return c.redirect("/quan-tri", 303);
    c.header("Cache-Control", "no-store");
    return c.html(
      <LoginPage ward={c.get("ward")} next={c.req.query("tiep")} ssoLabel={c.get("deps").config.sso?.label} />,
    );
  });

  app.post("/dang-nhap", async (c) => {
    checkOrigin(c);
    const { db, config, clock, log } = c.get("deps");
    const body = formFields(await c.req.parseBody());
    const username = (body.username ?? "").slice(0, 100);
    const result = await logIn(
      db.kysely,
      { username, password: body.password ?? "", ip: c.get("ip") },
      { absoluteHours: config.sessionHours, idleMinutes: config.sessionIdleMinutes },
      clock(),
      config.totpRequiredRoles,
    );
    // JSON.stringify escapes CR/LF, so a crafted username cannot forge log lines.
    log.info(
      {
        event: !result.ok
          ? `login.${result.reason}`
          : result.outcome.step === "signed_in"
            ? "login.ok"
            : `login.password_ok_${result.outcome.step}`,
        username: JSON.stringify(username),
        ip: c.get("ip"),
      },
      "login",
    );
    if (!result.ok) {
      const message =
        result.reason === "throttled"
          ? `Đăng nhập sai nhiều lần. Vui lòng chờ ${waitText(result.wait)} rồi thử lại.`
          : "Tên đăng nhập hoặc mật khẩu không đúng.";
      if (result.reason === "throttled") c.header("Retry-After", String(result.wait));
      c.status(result.reason === "throttled" ? 429 : 401);
      return c.html(
        <LoginPage
          ward={c.get("ward")}
          error={message}
          username={username}
          next={body.tiep}
          ssoLabel={config.sso?.label}
        />,
      );
    }
    return respondToSignIn(c, result.outcome, body.tiep);
  });

  app.route("/", signInStepRoutes());

  // Sign-out ends the portal's session; one opened through the province's single sign-on then goes on to the
  // provider's sign-out (its ID token, kept with the session, as the hint), which comes back to /da-dang-xuat.
  app.post("/dang-xuat", requireCsrf, async (c) => {
    const { db, config, log, clock } = c.get("deps");
    const token = getCookie(c, sessionCookieName(c));
    const ended = token ? await signOut(db.kysely, token, c.get("session")?.user ?? null, clock()) : null;
    deleteCookie(c, sessionCookieName(c), { path: "/", secure: isHttps(c) });
    c.header("Cache-Control", "no-store");
    if (ended?.ssoIdToken && config.sso) {
      const url = await providerSignOutUrl(config.sso, ended.ssoIdToken);
      log.info({ event: url ? "sso.sign_out" : "sso.sign_out_local_only", issuer: config.sso.issuer }, "sso");
      if (url) return c.redirect(url, 303);
    }
    return c.redirect("/", 303);
  });

  return app;
}
