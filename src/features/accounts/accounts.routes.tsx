/** Login and logout pages. */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { deleteSession } from "../../core/auth/sessions.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { checkOrigin, isHttps, requireCsrf, sessionCookieName } from "../../core/web/middleware.ts";
import { formFields } from "../../core/web/validation.ts";
import { logIn } from "./accounts.service.ts";

/** A wait in words: "45 giây", "4 phút". */
const waitText = (seconds: number) => (seconds < 90 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`);

/** Only same-site paths may follow a login, never another host. */
export const safeNext = (next: string | undefined) =>
  next && /^\/[a-z0-9/_-]*$/i.test(next) && !next.startsWith("//") ? next : "/quan-tri";

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
    );
    // JSON.stringify escapes CR/LF, so a crafted username cannot forge log lines.
    log.info(
      { event: result.ok ? "login.ok" : `login.${result.reason}`, username: JSON.stringify(username), ip: c.get("ip") },
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
    const old = getCookie(c, sessionCookieName(c));
    if (old) await deleteSession(db.kysely, old);
    setCookie(c, sessionCookieName(c), result.token, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: isHttps(c),
      maxAge: config.sessionHours * 3600,
    });
    return c.redirect(safeNext(body.tiep), 303);
  });

  app.post("/dang-xuat", requireCsrf, async (c) => {
    const token = getCookie(c, sessionCookieName(c));
    if (token) await deleteSession(c.get("deps").db.kysely, token);
    deleteCookie(c, sessionCookieName(c), { path: "/", secure: isHttps(c) });
    return c.redirect("/", 303);
  });

  return app;
}
