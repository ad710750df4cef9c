/** Configuration from the environment, validated once at start: a bad value stops the process with a clear message. */
import path from "node:path";
import { z } from "zod";
import { ROLES, type Role } from "./auth/roles.ts";
import { parseTrustProxy, type TrustProxy } from "./web/proxy.ts";

const portSchema = z.coerce
  .number({ error: "phải là một số" })
  .int("phải là số nguyên")
  .min(1, "phải từ 1 đến 65535")
  .max(65535, "phải từ 1 đến 65535");

/** A per-client limit: at most `limit` requests in any `windowS` seconds. */
export interface RateLimit {
  limit: number;
  windowS: number;
}

/** Ten requests per ten minutes: enough for a citizen who mistypes, a brake on a script. */
export const PUBLIC_FORM_RATE_DEFAULT: RateLimit = { limit: 10, windowS: 600 };

/** Public page cache, in MB: about 200 gzipped notice boards, or thousands of ordinary pages. */
export const PAGE_CACHE_MB_DEFAULT = 32;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const envSchema = z
  .object({
    PORT: portSchema.default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "phải bắt đầu bằng postgres:// (để trống để dùng SQLite)")
      .optional(),
    // Frequent statements prepared once per connection (core/db/prepared.ts); 0 for a pooler in transaction mode.
    DATABASE_PREPARED_STATEMENTS: z
      .enum(["true", "false", "1", "0"], { error: "phải là true hoặc false" })
      .default("true"),
    CCHC_SHARED_DIR: z.string().min(1).default("../shared"),
    DEFAULT_WARD: z
      .string()
      .regex(/^\d{5}$/, "phải là mã đơn vị hành chính cấp xã gồm 5 chữ số, ví dụ 21439")
      .default("21439"),
    PUBLIC_URL: z.string().url("phải là một địa chỉ URL đầy đủ, ví dụ https://cchc.example.vn").optional(),
    // Who may tell us the client's address: false, a hop count, or proxy addresses/CIDRs (see core/web/proxy.ts).
    TRUST_PROXY: z
      .string()
      .default("false")
      .transform((v, ctx) => {
        const r = parseTrustProxy(v);
        if (r.ok) return r.trust;
        ctx.addIssue({ code: "custom", message: r.problem });
        return z.NEVER;
      }),
    SESSION_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(120),
    UPLOAD_MAX_MB: z.coerce.number().min(1).max(100).default(10),
    // Where stored files' bytes live: the data folder, or PostgreSQL for several processes (core/file-store.ts).
    FILE_STORE: z
      .enum(["local", "database"], { error: "phải là local (thư mục dữ liệu) hoặc database (PostgreSQL)" })
      .default("local"),
    // Memory for the public page cache (gzipped pages): bounded in bytes, since one page can be megabytes. 0 turns it
    // off (every request renders: what the scale bench measures as "uncached", and a way to rule the cache out).
    PAGE_CACHE_MB: z.coerce
      .number({ error: "phải là một số (MB)" })
      .min(0, "phải từ 0 (tắt bộ nhớ đệm) đến 4096 (MB)")
      .max(4096, "phải từ 0 (tắt bộ nhớ đệm) đến 4096 (MB)")
      .default(PAGE_CACHE_MB_DEFAULT),
    PROCEDURE_LEVELS: z
      .string()
      .default("Cấp xã")
      .transform((v) =>
        v
          .split(",")
          .map((l) => l.trim().normalize("NFC"))
          .filter(Boolean),
      )
      .pipe(z.array(z.string()).min(1, "cần ít nhất một cấp, ví dụ “Cấp xã”")),
    SMTP_URL: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .refine((v) => {
          try {
            const u = new URL(v);
            return (u.protocol === "smtp:" || u.protocol === "smtps:") && u.hostname !== "";
          } catch {
            return false;
          }
        }, "phải có dạng smtp://tên:mật-khẩu@máy-chủ:cổng (hoặc smtps://)")
        .optional(),
    ),
    MAIL_FROM: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(
          /^(?:[^<>@\s][^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/,
          "phải là một địa chỉ thư, ví dụ CCHC <no-reply@example.vn>",
        )
        .optional(),
    ),
    // Requests per client and bucket in the window on public forms and the feedback API; a loopback benchmark
    // raises it, since every request then comes from one address.
    PUBLIC_FORM_RATE_LIMIT: z.coerce
      .number({ error: "phải là một số" })
      .int("phải là số nguyên")
      .min(1, "phải từ 1 trở lên")
      .max(1_000_000_000, "quá lớn")
      .default(PUBLIC_FORM_RATE_DEFAULT.limit),
    PUBLIC_FORM_RATE_WINDOW_S: z.coerce
      .number({ error: "phải là một số" })
      .int("phải là số nguyên")
      .min(1, "phải từ 1 giây trở lên")
      .max(7 * 24 * 3600, "tối đa 604800 giây (7 ngày)")
      .default(PUBLIC_FORM_RATE_DEFAULT.windowS),
    // Days personal data of a closed feedback item or question is kept; 0 keeps it until erased by hand.
    PERSONAL_DATA_RETENTION_DAYS: z.coerce
      .number({ error: "phải là một số ngày" })
      .int("phải là số nguyên")
      .min(0, "phải từ 0 (giữ mãi) đến 36500")
      .max(36500, "phải từ 0 (giữ mãi) đến 36500")
      .default(1825),
    // Days the search log (public queries, counted per ward and day, without personal data) is kept; 0 turns it off.
    SEARCH_LOG_RETENTION_DAYS: z.coerce
      .number({ error: "phải là một số ngày" })
      .int("phải là số nguyên")
      .min(0, "phải từ 0 (tắt nhật ký) đến 3650")
      .max(3650, "phải từ 0 (tắt nhật ký) đến 3650")
      .default(180),
    // Whether the roll-up of a province's wards (its table and GET /api/v1/rollup) is open to anonymous callers;
    // false: only a signed-in user of that province or a deployment operator reads it.
    ROLLUP_PUBLIC: z.enum(["true", "false", "1", "0"], { error: "phải là true hoặc false" }).default("true"),
    // How often the server looks for due background jobs (speech audio, scheduled publications), in milliseconds.
    JOBS_POLL_MS: z.coerce
      .number({ error: "phải là một số mili giây" })
      .int("phải là số nguyên")
      .min(100, "phải từ 100 đến 3600000")
      .max(3_600_000, "phải từ 100 đến 3600000")
      .default(2000),
    // The token a Prometheus scraper sends (Authorization: Bearer …) to read /metrics; unset: /metrics does not exist.
    METRICS_TOKEN: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .min(16, "phải dài ít nhất 16 ký tự (một chuỗi ngẫu nhiên, ví dụ từ: openssl rand -hex 24)")
        .max(512, "tối đa 512 ký tự")
        .regex(/^[\x21-\x7e]+$/, "chỉ gồm chữ, số và ký hiệu ASCII, không có khoảng trắng")
        .optional(),
    ),
    // Roles whose accounts must sign in with a one-time code (TOTP) besides the password, e.g. "admin,leader";
    // empty: the second factor is each account's choice.
    TOTP_REQUIRED_ROLES: z
      .string()
      .default("")
      .transform((v, ctx) => {
        const roles = [
          ...new Set(
            v
              .split(",")
              .map((r) => r.trim())
              .filter(Boolean),
          ),
        ];
        const unknown = roles.filter((r) => !Object.hasOwn(ROLES, r));
        if (unknown.length) {
          ctx.addIssue({
            code: "custom",
            message: `vai trò không có: ${unknown.join(", ")} (chọn trong ${Object.keys(ROLES).join(", ")}, cách nhau bởi dấu phẩy)`,
          });
          return z.NEVER;
        }
        return roles as Role[];
      }),
    // Staff sign-in through the province's single sign-on (OpenID Connect); unset OIDC_ISSUER: no sign-on button.
    OIDC_ISSUER: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .refine((v) => {
          try {
            const u = new URL(v);
            // Plain HTTP only to a provider on this machine (a test, a provider behind the same host's proxy).
            return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.has(u.hostname));
          } catch {
            return false;
          }
        }, "phải là địa chỉ https:// của nhà cung cấp đăng nhập một lần (issuer), ví dụ https://sso.quangngai.gov.vn/realms/can-bo")
        .optional(),
    ),
    OIDC_CLIENT_ID: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(500, "quá dài").optional()),
    OIDC_CLIENT_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(2000, "quá dài").optional()),
    OIDC_LABEL: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .transform((v) => v.normalize("NFC").trim())
        .pipe(z.string().min(2, "cần chữ trên nút đăng nhập").max(120, "tối đa 120 ký tự"))
        .default("Đăng nhập bằng tài khoản của tỉnh"),
    ),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    NODE_ENV: z.string().default("development"),
  })
  .superRefine((e, ctx) => {
    if (!e.OIDC_ISSUER) return;
    if (!e.OIDC_CLIENT_ID)
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_CLIENT_ID"],
        message: "cần mã ứng dụng (client id) khi có OIDC_ISSUER",
      });
    if (!e.PUBLIC_URL)
      ctx.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message: "cần địa chỉ công khai của cổng khi có OIDC_ISSUER (địa chỉ trả về sau khi đăng nhập một lần)",
      });
  });

/** The path the provider sends the browser back to; register PUBLIC_URL + this at the provider. */
export const SSO_CALLBACK_PATH = "/dang-nhap/sso/callback";
/** Where the provider sends the browser after signing it out there; register PUBLIC_URL + this too. */
export const SSO_SIGNED_OUT_PATH = "/da-dang-xuat";

/** Single sign-on through an OpenID Connect provider (OIDC_* settings). */
export interface SsoConfig {
  issuer: string;
  clientId: string;
  /** Null: a public client (PKCE only, no secret). */
  clientSecret: string | null;
  /** The text of the sign-on button. */
  label: string;
  /** PUBLIC_URL + SSO_CALLBACK_PATH. */
  redirectUri: string;
  /** PUBLIC_URL + SSO_SIGNED_OUT_PATH: the `post_logout_redirect_uri` of a sign-out at the provider. */
  postLogoutRedirectUri: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** DATABASE_PREPARED_STATEMENTS (default true): PostgreSQL statements run often are prepared per connection. */
  databasePreparedStatements?: boolean;
  sqliteFile: string;
  sharedDir: string;
  defaultWard: string;
  publicUrl: string | null;
  /** The proxies in front of the portal whose X-Forwarded-* headers are believed (TRUST_PROXY). */
  trustProxy: TrustProxy;
  sessionHours: number;
  sessionIdleMinutes: number;
  uploadMaxBytes: number;
  /**
   * FILE_STORE (default local): stored files in the data folder, or (`database`, PostgreSQL only) in the database
   * every process reaches (core/file-store.ts). Optional so hand-built configs get local.
   */
  fileStore?: "local" | "database";
  /** PAGE_CACHE_MB in bytes: the most the public page cache holds (optional so hand-built configs get the default). */
  pageCacheBytes?: number;
  logLevel: string;
  /** Levels of national procedures the ward's catalogue shows, as the portal names them ("Cấp xã"). */
  procedureLevels: string[];
  /** Where email notifications go out (`smtp://user:pass@host:port`); null: no email is sent. */
  smtpUrl?: string | null;
  /** The sender of notification emails. */
  mailFrom?: string;
  /** Rate limit of public forms and the feedback API (optional so hand-built configs get the default). */
  publicFormRate?: RateLimit;
  /**
   * PERSONAL_DATA_RETENTION_DAYS (default 1825, five years): the senders' and askers' personal data of items closed
   * longer ago than this is erased once a day by the server and by `cli purge-personal-data`; 0 keeps it.
   * Optional only so hand-made configs in tests need not name it; `loadConfig` always sets it.
   */
  personalDataRetentionDays?: number;
  /**
   * SEARCH_LOG_RETENTION_DAYS (default 180): days of the search log kept (features/search/search-log.ts), purged
   * daily by the server and by `cli purge-search-log`; 0 turns the log off. Optional for hand-made configs (then 180).
   */
  searchLogRetentionDays?: number;
  /** ROLLUP_PUBLIC (default true): anonymous callers read a province's roll-up; optional for hand-made configs. */
  rollupPublic?: boolean;
  /** METRICS_TOKEN: the bearer token /metrics requires; null or absent: /metrics answers 404 (off). */
  metricsToken?: string | null;
  /**
   * TOTP_REQUIRED_ROLES (default none): accounts in these roles sign in with a one-time code besides the password,
   * and are made to set one up at their next sign-in; optional for hand-made configs (then none).
   */
  totpRequiredRoles?: Role[];
  /** JOBS_POLL_MS (default 2000): the background job runner's polling interval; optional for hand-made configs. */
  jobsPollMs?: number;
  /** OIDC_*: staff sign-in through the province's single sign-on; null or absent: passwords only, no button. */
  sso?: SsoConfig | null;
  production: boolean;
}

export class ConfigError extends Error {}

/** Read and validate the environment. `cwd` resolves relative paths (npm's INIT_CWD is not used here: data lives with the app). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) =>
        `- ${i.path.join(".")}: ${i.message} (giá trị: ${["SMTP_URL", "METRICS_TOKEN", "OIDC_CLIENT_SECRET"].includes(String(i.path[0])) ? "(ẩn)" : JSON.stringify(env[String(i.path[0])] ?? "")})`,
    );
    throw new ConfigError(`Cấu hình không hợp lệ:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS === "true" || e.DATABASE_PREPARED_STATEMENTS === "1",
    sqliteFile: path.join(dataDir, "cchc.sqlite"),
    sharedDir: path.resolve(cwd, e.CCHC_SHARED_DIR),
    defaultWard: e.DEFAULT_WARD,
    publicUrl: e.PUBLIC_URL ?? null,
    trustProxy: e.TRUST_PROXY,
    sessionHours: e.SESSION_HOURS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    uploadMaxBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
    fileStore: e.FILE_STORE,
    pageCacheBytes: Math.round(e.PAGE_CACHE_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
    procedureLevels: e.PROCEDURE_LEVELS,
    smtpUrl: e.SMTP_URL || null,
    mailFrom: e.MAIL_FROM ?? "CCHC <no-reply@localhost>",
    publicFormRate: { limit: e.PUBLIC_FORM_RATE_LIMIT, windowS: e.PUBLIC_FORM_RATE_WINDOW_S },
    personalDataRetentionDays: e.PERSONAL_DATA_RETENTION_DAYS,
    searchLogRetentionDays: e.SEARCH_LOG_RETENTION_DAYS,
    rollupPublic: e.ROLLUP_PUBLIC === "true" || e.ROLLUP_PUBLIC === "1",
    jobsPollMs: e.JOBS_POLL_MS,
    totpRequiredRoles: e.TOTP_REQUIRED_ROLES,
    metricsToken: e.METRICS_TOKEN ?? null,
    sso:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.PUBLIC_URL
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET ?? null,
            label: e.OIDC_LABEL,
            redirectUri: `${e.PUBLIC_URL.replace(/\/+$/, "")}${SSO_CALLBACK_PATH}`,
            postLogoutRedirectUri: `${e.PUBLIC_URL.replace(/\/+$/, "")}${SSO_SIGNED_OUT_PATH}`,
          }
        : null,
    production: e.NODE_ENV === "production",
  };
}
