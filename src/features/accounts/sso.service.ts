/**
 * Staff sign-in through the province's single sign-on (OpenID Connect, issue 12 §8), with the maintained client
 * `openid-client`: authorization code flow with PKCE, state and nonce, the ID token checked by the library.
 *
 * The provider identifies a person, nothing more: which account they are, and so their role and unit, is the
 * portal's. An administrator grants an account single sign-on by giving it the person's e-mail (`users.sso_email`);
 * the first sign-in with that e-mail, verified by the provider, binds the provider's (issuer, subject) to the account
 * (`sso_identities`), used from then on. Claims such as roles or groups the provider sends are never read. An unknown
 * person is refused and nothing is created; a disabled account is refused. Every sign-in, binding and refusal is
 * audited.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import * as oidc from "openid-client";
import { audit, SYSTEM_ACTOR } from "../../core/audit.ts";
import type { SsoConfig } from "../../core/config.ts";
import type { Database, User } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";

/** How long a sign-in may stay at the provider (typing a password, a second factor there) before it is void. */
export const SSO_PENDING_MINUTES = 10;
/** Discovery (the provider's metadata) is kept this long, then read again; a failure is retried at the next sign-in. */
const DISCOVERY_TTL_MS = 6 * 3600_000;
const SCOPE = "openid email profile";

const hashOf = (s: string) => createHash("sha256").update(s).digest("hex");

/** The e-mail as the portal keeps it: NFC, trimmed, lower case. */
export const normalEmail = (email: string) => email.normalize("NFC").trim().toLowerCase();

// ---------------------------------------------------------------------------------------------------------------
// The provider's configuration, discovered lazily and cached per process

const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

function discover(sso: SsoConfig): Promise<oidc.Configuration> {
  const issuer = new URL(sso.issuer);
  const auth = sso.clientSecret ? oidc.ClientSecretBasic(sso.clientSecret) : oidc.None();
  return oidc.discovery(issuer, sso.clientId, sso.clientSecret ?? undefined, auth, {
    // Plain HTTP is allowed by the settings only to a provider on this machine (config.ts).
    execute: issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
  });
}

/** The provider's configuration: discovered at the first sign-in, kept a few hours; a failed discovery is not kept. */
export function providerConfig(sso: SsoConfig): Promise<oidc.Configuration> {
  const key = `${sso.issuer}\n${sso.clientId}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const config = discover(sso);
  const entry = { at: Date.now(), config };
  discovered.set(key, entry);
  config.catch(() => {
    if (discovered.get(key) === entry) discovered.delete(key);
  });
  return config;
}

/** Thrown when the provider cannot be reached or answers nonsense at discovery: the page says so, in Vietnamese. */
export class ProviderUnavailable extends Error {}

async function providerOrUnavailable(sso: SsoConfig) {
  try {
    return await providerConfig(sso);
  } catch (e) {
    throw new ProviderUnavailable(String((e as Error)?.message ?? e));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Starting a sign-in

/**
 * Start a sign-in: the PKCE verifier, state and nonce are made here; the verifier and nonce stay in the database
 * under the state's hash, the state goes to the browser's cookie. Returns the provider's authorization URL.
 */
export async function beginSignIn(
  db: Kysely<Database>,
  sso: SsoConfig,
  next: string,
  now: Date,
): Promise<{ url: string; state: string }> {
  const config = await providerOrUnavailable(sso);
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await db.deleteFrom("sso_pending").where("expires_at", "<", now.toISOString()).execute();
  await db
    .insertInto("sso_pending")
    .values({
      id: hashOf(state),
      code_verifier: verifier,
      nonce,
      next_path: next,
      expires_at: new Date(now.getTime() + SSO_PENDING_MINUTES * 60_000).toISOString(),
    })
    .execute();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: sso.redirectUri,
    scope: SCOPE,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.href, state };
}

// ---------------------------------------------------------------------------------------------------------------
// Signing out at the provider

/**
 * Where to send the browser of a person signing out whose session came through the provider (RP-initiated logout):
 * the provider's `end_session_endpoint` with the session's ID token as `id_token_hint` and the portal's signed-out
 * page as `post_logout_redirect_uri`. Null when the provider advertises no such endpoint or cannot be reached: the
 * portal's session is ended either way, the provider's then stays.
 */
export async function providerSignOutUrl(sso: SsoConfig, idToken: string): Promise<string | null> {
  let config: oidc.Configuration;
  try {
    config = await providerConfig(sso);
  } catch {
    return null;
  }
  if (!config.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(config, {
    id_token_hint: idToken,
    post_logout_redirect_uri: sso.postLogoutRedirectUri,
  }).href;
}

// ---------------------------------------------------------------------------------------------------------------
// Completing it

export type SignInRefusal =
  /** No sign-in under way matches (wrong or missing state, a callback used twice, too late). */
  | "state"
  /** The provider refused or the answer failed a check (code, PKCE, ID token signature, issuer, nonce…). */
  | "provider"
  /** A person the portal has not granted access to. */
  | "unknown"
  /** The account exists but is disabled. */
  | "disabled";

export type SignInOutcome =
  | {
      ok: true;
      user: User;
      next: string;
      bound: boolean;
      /** The ID token as the provider issued it: kept with the session, the hint of its sign-out at the provider. */
      idToken: string;
    }
  | { ok: false; reason: SignInRefusal; detail?: string };

function sameText(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Finish a sign-in from the provider's callback: the state must be the browser's and a sign-in under way (taken once),
 * then the code is exchanged (PKCE verifier, state, nonce and the ID token checked by openid-client), then the person
 * is looked up. Only `sub`, `email` and `email_verified` are read from the provider.
 */
export async function completeSignIn(
  db: Kysely<Database>,
  sso: SsoConfig,
  input: { query: string; cookieState: string | undefined; ip: string },
  now: Date,
): Promise<SignInOutcome> {
  const params = new URLSearchParams(input.query);
  const state = params.get("state");
  if (!state || !input.cookieState || !sameText(state, input.cookieState)) return { ok: false, reason: "state" };
  // Taken in one statement: of two callbacks with the same state, one finds it.
  const pending = await db
    .deleteFrom("sso_pending")
    .where("id", "=", hashOf(state))
    .returning(["code_verifier", "nonce", "next_path", "expires_at"])
    .executeTakeFirst();
  if (!pending || pending.expires_at <= now.toISOString()) return { ok: false, reason: "state" };
  const config = await providerOrUnavailable(sso);
  // The URL the provider sent the browser to, as registered: behind a proxy the request's own URL may differ.
  const current = new URL(sso.redirectUri);
  current.search = params.toString();
  let claims: { sub: string; iss: string; email?: unknown; email_verified?: unknown };
  let idToken: string;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) return { ok: false, reason: "provider", detail: "no ID token" };
    idToken = tokens.id_token;
    claims = { sub: idClaims.sub, iss: idClaims.iss, email: idClaims.email, email_verified: idClaims.email_verified };
    // Providers that keep the e-mail out of the ID token give it at the userinfo endpoint, for the same subject.
    if (claims.email === undefined && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...claims, email: info.email, email_verified: info.email_verified };
    }
  } catch (e) {
    return { ok: false, reason: "provider", detail: String((e as Error)?.message ?? e).slice(0, 300) };
  }
  const person = await resolvePerson(db, claims, pending.next_path, input.ip, now);
  return person.ok ? { ...person, idToken } : person;
}

type PersonOutcome =
  | { ok: true; user: User; next: string; bound: boolean }
  | { ok: false; reason: SignInRefusal; detail?: string };

/** The account of the person the provider vouched for: by the bound identity, else by the granted e-mail (binding). */
async function resolvePerson(
  db: Kysely<Database>,
  claims: { sub: string; iss: string; email?: unknown; email_verified?: unknown },
  next: string,
  ip: string,
  now: Date,
): Promise<PersonOutcome> {
  const email = typeof claims.email === "string" ? normalEmail(claims.email) : null;
  const verified = claims.email_verified === true;
  const identity = { issuer: claims.iss, subject: claims.sub, email, emailVerified: verified, ip };
  return inTransaction(db, async (trx): Promise<PersonOutcome> => {
    const bound = await trx
      .selectFrom("sso_identities")
      .innerJoin("users", "users.id", "sso_identities.user_id")
      .selectAll("users")
      .where("sso_identities.issuer", "=", claims.iss)
      .where("sso_identities.subject", "=", claims.sub)
      .executeTakeFirst();
    let user: User | undefined = bound;
    let binding = false;
    if (!user && email && verified) {
      user = await trx.selectFrom("users").selectAll().where("sso_email", "=", email).executeTakeFirst();
      if (user) {
        // One identity of a provider per account: another subject already bound to it is not replaced silently.
        const other = await trx
          .selectFrom("sso_identities")
          .select("subject")
          .where("user_id", "=", user.id)
          .where("issuer", "=", claims.iss)
          .executeTakeFirst();
        if (other) {
          await refuse(trx, "conflict", { ...identity, userId: user.id, wardId: user.ward_id }, now);
          return { ok: false, reason: "unknown" };
        }
        binding = true;
      }
    }
    if (!user) {
      await refuse(trx, "unknown", identity, now);
      return { ok: false, reason: "unknown" };
    }
    if (user.active !== 1) {
      await refuse(trx, "disabled", { ...identity, userId: user.id, wardId: user.ward_id }, now);
      return { ok: false, reason: "disabled" };
    }
    const actor = { userId: user.id, name: user.username, wardId: user.ward_id };
    if (binding) {
      await trx
        .insertInto("sso_identities")
        .values({
          issuer: claims.iss,
          subject: claims.sub,
          user_id: user.id,
          email,
          bound_at: now.toISOString(),
          last_sign_in_at: now.toISOString(),
        })
        // Two first sign-ins of the same person at once: the second finds the binding made, not an error.
        .onConflict((oc) => oc.columns(["issuer", "subject"]).doNothing())
        .execute();
      await audit(
        trx,
        actor,
        {
          action: "sso.bind",
          entity: "user",
          entityId: user.id,
          after: { issuer: claims.iss, subject: claims.sub, email },
        },
        now,
      );
    } else {
      await trx
        .updateTable("sso_identities")
        .set({ last_sign_in_at: now.toISOString() })
        .where("issuer", "=", claims.iss)
        .where("subject", "=", claims.sub)
        .execute();
    }
    await audit(
      trx,
      actor,
      {
        action: "sso.login",
        entity: "user",
        entityId: user.id,
        after: { issuer: claims.iss, subject: claims.sub, ip },
      },
      now,
    );
    return { ok: true, user, next, bound: binding };
  });
}

/** A refused person, in the audit log (ward-less when unknown, so the deployment's operators see who asked). */
async function refuse(
  trx: Kysely<Database>,
  why: "unknown" | "disabled" | "conflict",
  who: {
    issuer: string;
    subject: string;
    email: string | null;
    emailVerified: boolean;
    ip: string;
    userId?: number;
    wardId?: number;
  },
  now: Date,
) {
  const { userId, wardId, ...after } = who;
  await audit(
    trx,
    SYSTEM_ACTOR,
    { action: `sso.refused.${why}`, entity: "user", entityId: userId ?? null, wardId: wardId ?? null, after },
    now,
  );
}
