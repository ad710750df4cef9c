/** Cross-cutting request handling: security headers, client address, staff session, CSRF, roles. */
import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { isOperator } from "../auth/owners.ts";
import { type Action, allowed } from "../auth/roles.ts";
import { findSession } from "../auth/sessions.ts";
import type { AppEnv } from "./context.ts";
import { AppError, forbidden } from "./errors.ts";
import { forwardedClient, lastForwardedValue } from "./proxy.ts";

/** Headers every response carries (CSP without inline script; the pages need none). */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  for (const [name, value] of Object.entries(securityHeaderPairs(isHttps(c)))) h.set(name, value);
};

/** The security headers of every answer (also sent by the page cache's hot path, cached-listener.ts). */
export function securityHeaderPairs(https: boolean): Record<string, string> {
  return {
    "Content-Security-Policy":
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    ...(https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Whether the client reached us over HTTPS (directly, or through a trusted proxy). */
export function isHttps(c: Context<AppEnv>): boolean {
  const { config } = c.get("deps");
  if (new URL(c.req.url).protocol === "https:") return true;
  if (c.get("viaTrustedProxy") && lastForwardedValue(c.req.header("x-forwarded-proto")) === "https") return true;
  return config.publicUrl?.startsWith("https://") ?? false;
}

/** Secure cookies need the __Host- prefix; plain HTTP (a local install) cannot use it. */
export const sessionCookieName = (c: Context<AppEnv>) => (isHttps(c) ? "__Host-cchc_sid" : "cchc_sid");

/**
 * The client's address: the socket's, or behind trusted proxies the one the nearest untrusted hop was seen at
 * (proxy.ts), never the part of X-Forwarded-For the client wrote itself.
 */
export const clientAddress =
  (remote: (c: Context<AppEnv>) => string | undefined): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const { config } = c.get("deps");
    const client = forwardedClient(config.trustProxy, remote(c), c.req.header("x-forwarded-for"));
    c.set("ip", client.address);
    c.set("viaTrustedProxy", client.peerIsProxy);
    await next();
  };

/** Attach the staff session, if any; never fails. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, sessionCookieName(c));
  const { db, config, clock } = c.get("deps");
  c.set(
    "session",
    token
      ? await findSession(
          db.kysely,
          token,
          { absoluteHours: config.sessionHours, idleMinutes: config.sessionIdleMinutes },
          clock(),
        )
      : null,
  );
  await next();
};

/** Staff pages: a session is required; browsers are sent to the login page, API clients get 401. */
export const requireStaff: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("session")) {
    if (c.req.path.startsWith("/api/")) throw new AppError(401, "unauthenticated", "Cần đăng nhập.");
    const back = c.req.method === "GET" ? `?tiep=${encodeURIComponent(c.req.path)}` : "";
    return c.redirect(`/dang-nhap${back}`, 303);
  }
  c.header("Cache-Control", "no-store");
  await next();
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Every state-changing staff request carries the session's CSRF token (form field `_csrf` or header
 * `x-csrf-token`), and a browser's Origin, when sent, must be ours.
 */
export const requireCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  checkOrigin(c);
  const session = c.get("session");
  let sent = c.req.header("x-csrf-token");
  if (!sent) {
    const type = c.req.header("content-type") ?? "";
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      const body = await c.req.parseBody();
      sent = typeof body._csrf === "string" ? body._csrf : undefined;
    }
  }
  if (!session || !sent || !sameToken(sent, session.csrfToken)) {
    throw new AppError(
      403,
      "csrf",
      "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.",
    );
  }
  await next();
};

/**
 * Refuse a cross-site POST (login CSRF and the like). The host the browser addressed is `Host`, or the
 * `X-Forwarded-Host` a trusted proxy set; from anyone else that header is the attacker's word and is ignored.
 */
export function checkOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return;
  const forwardedHost = c.get("viaTrustedProxy") ? lastForwardedValue(c.req.header("x-forwarded-host")) : undefined;
  const host = forwardedHost ?? c.req.header("host");
  try {
    if (new URL(origin).host !== host) throw forbidden("Yêu cầu đến từ trang khác bị từ chối.");
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw forbidden("Yêu cầu đến từ trang khác bị từ chối.");
  }
}

/** Only accounts allowed this action pass (by role, and by level: a ward's or a province's, roles.ts). */
export const requireAction =
  (action: Action): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const session = c.get("session");
    if (!session || !allowed(session.user, action)) {
      c.get("deps").log.warn(
        { event: "forbidden", user: session?.user.id ?? null, action, path: c.req.path },
        "forbidden",
      );
      throw forbidden();
    }
    await next();
  };

/** What a ward account is told when it tries to change a record owned above its ward. */
export const NATIONAL_ONLY =
  "Chỉ người vận hành hệ thống (quản trị cấp triển khai) được thay đổi dữ liệu dùng chung cho mọi phường, xã: thủ tục hành chính do cấp trên công bố, ngày nghỉ lễ, từ đồng nghĩa và thời hạn mặc định. Phường chỉ sửa giá trị riêng của mình.";

/** Only accounts that may change the nation's records (deployment operators, core/auth/owners.ts) pass. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.get("session");
  if (!session || !isOperator(session.user)) {
    c.get("deps").log.warn(
      { event: "forbidden", user: session?.user.id ?? null, owner: "nation", path: c.req.path },
      "forbidden",
    );
    throw forbidden(NATIONAL_ONLY);
  }
  await next();
};

/** The largest row id either database holds (PostgreSQL's `integer`). */
export const MAX_ROW_ID = 2_147_483_647;

/**
 * A path with a number no row id can be (`/su-kien/99999999999999999999`) names no record: "not found" at once, before
 * a route hands it to PostgreSQL, which would refuse it as out of range (a 500).
 */
export const oversizedIds: MiddlewareHandler<AppEnv> = async (c, next) => {
  for (const part of c.req.path.split("/"))
    if (part.length >= 10 && /^\d+$/.test(part) && Number(part) > MAX_ROW_ID)
      throw new AppError(404, "not_found", "Không tìm thấy trang bạn cần.");
  await next();
};
