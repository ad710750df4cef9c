import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.ts";

test("defaults give the embedded SQLite mode for the demo ward", () => {
  const c = loadConfig({}, "/srv/cchc");
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, null);
  assert.equal(c.sqliteFile, "/srv/cchc/data/cchc.sqlite");
  assert.equal(c.defaultWard, "21439");
  assert.deepEqual(c.procedureLevels, ["Cấp xã"]);
});

test("a bad value stops the start with a Vietnamese message naming the setting", () => {
  assert.throws(
    () => loadConfig({ PORT: "tám nghìn" }),
    (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /Cấu hình không hợp lệ/.test(e.message),
  );
  assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /postgres:\/\//);
  assert.throws(() => loadConfig({ DEFAULT_WARD: "2143" }), /5 chữ số/);
  assert.throws(() => loadConfig({ PROCEDURE_LEVELS: " , " }), /PROCEDURE_LEVELS/);
});

test("the catalogue's levels and the database come from the environment", () => {
  const c = loadConfig({
    PROCEDURE_LEVELS: "Cấp xã, Cấp tỉnh".normalize("NFD"),
    DATABASE_URL: "postgres://u:p@127.0.0.1/cchc",
  });
  assert.deepEqual(c.procedureLevels, ["Cấp xã", "Cấp tỉnh"]);
  assert.equal(c.databaseUrl, "postgres://u:p@127.0.0.1/cchc");
});

test("the public forms' rate limit defaults to 10 per 10 minutes and can be changed, within sane bounds", () => {
  assert.deepEqual(loadConfig({}).publicFormRate, { limit: 10, windowS: 600 });
  assert.deepEqual(loadConfig({ PUBLIC_FORM_RATE_LIMIT: "5000", PUBLIC_FORM_RATE_WINDOW_S: "60" }).publicFormRate, {
    limit: 5000,
    windowS: 60,
  });
  assert.throws(() => loadConfig({ PUBLIC_FORM_RATE_LIMIT: "0" }), /PUBLIC_FORM_RATE_LIMIT/);
  assert.throws(() => loadConfig({ PUBLIC_FORM_RATE_LIMIT: "mười" }), /PUBLIC_FORM_RATE_LIMIT/);
  assert.throws(() => loadConfig({ PUBLIC_FORM_RATE_WINDOW_S: "1.5" }), /PUBLIC_FORM_RATE_WINDOW_S/);
});

test("the page cache is bounded in megabytes: 32 by default, 0 turns it off, a bad value stops the start", () => {
  assert.equal(loadConfig({}).pageCacheBytes, 32 * 1024 * 1024);
  assert.equal(loadConfig({ PAGE_CACHE_MB: "8" }).pageCacheBytes, 8 * 1024 * 1024);
  assert.equal(loadConfig({ PAGE_CACHE_MB: "0" }).pageCacheBytes, 0);
  for (const bad of ["-1", "lots", "99999"])
    assert.throws(
      () => loadConfig({ PAGE_CACHE_MB: bad }),
      (e: unknown) => e instanceof ConfigError && /PAGE_CACHE_MB/.test(e.message),
      bad,
    );
});

test("single sign-on: off by default; needs a client id and PUBLIC_URL; HTTPS unless the provider is on this machine", () => {
  assert.equal(loadConfig({}).sso, null);
  const on = loadConfig({
    OIDC_ISSUER: "https://sso.quangngai.gov.vn/realms/can-bo",
    OIDC_CLIENT_ID: "cchc",
    OIDC_CLIENT_SECRET: "bí-mật",
    PUBLIC_URL: "https://cchc.example.vn/",
  });
  assert.deepEqual(on.sso, {
    issuer: "https://sso.quangngai.gov.vn/realms/can-bo",
    clientId: "cchc",
    clientSecret: "bí-mật",
    label: "Đăng nhập bằng tài khoản của tỉnh",
    redirectUri: "https://cchc.example.vn/dang-nhap/sso/callback",
    postLogoutRedirectUri: "https://cchc.example.vn/da-dang-xuat",
  });
  assert.throws(
    () => loadConfig({ OIDC_ISSUER: "https://sso.example.vn", PUBLIC_URL: "https://x.vn" }),
    /OIDC_CLIENT_ID/,
  );
  assert.throws(() => loadConfig({ OIDC_ISSUER: "https://sso.example.vn", OIDC_CLIENT_ID: "c" }), /PUBLIC_URL/);
  assert.throws(
    () => loadConfig({ OIDC_ISSUER: "http://sso.example.vn", OIDC_CLIENT_ID: "c", PUBLIC_URL: "https://x.vn" }),
    /OIDC_ISSUER/,
  );
  assert.equal(
    loadConfig({ OIDC_ISSUER: "http://127.0.0.1:9000", OIDC_CLIENT_ID: "c", PUBLIC_URL: "http://localhost:3000" }).sso
      ?.redirectUri,
    "http://localhost:3000/dang-nhap/sso/callback",
  );
  // The secret never appears in the error message.
  assert.throws(
    () => loadConfig({ OIDC_ISSUER: "https://s.vn", OIDC_CLIENT_SECRET: "x".repeat(2001) }),
    (e: unknown) => e instanceof Error && !e.message.includes("xxxx") && /OIDC_CLIENT_SECRET/.test(e.message),
  );
});

test("TOTP_REQUIRED_ROLES: none by default, a comma list of known roles, an unknown role stops the start", () => {
  assert.deepEqual(loadConfig({}).totpRequiredRoles, []);
  assert.deepEqual(loadConfig({ TOTP_REQUIRED_ROLES: " admin, leader ,admin" }).totpRequiredRoles, ["admin", "leader"]);
  assert.throws(
    () => loadConfig({ TOTP_REQUIRED_ROLES: "admin,boss" }),
    (e: unknown) => e instanceof ConfigError && /TOTP_REQUIRED_ROLES/.test(e.message) && /boss/.test(e.message),
  );
});
