/**
 * What every public form needs, shared by feedback, questions and surveys: a signed one-time token, so a double
 * click or a retried POST files once (the token's nonce becomes the row's UNIQUE idempotency key), a per-client
 * rate limit that works across processes (hits are rows of `public_form_rate_hits`), and filing under a fresh tracking
 * code once per key. The labels "feedback|" inside the token signature and the hashed client key are kept as they
 * were: changing them would void every form already rendered and every hit already counted.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import { PUBLIC_FORM_RATE_DEFAULT, type RateLimit } from "../config.ts";
import type { Database } from "../db/schema.ts";
import { newTrackingCode, type TrackingPrefix } from "../text/tracking-code.ts";
import { vnToday } from "../text/vi.ts";

type Db = Kysely<Database>;

/** The secret never changes once made: read once per database, not on every form. */
const secrets = new WeakMap<Db, Promise<string>>();

/** The server secret that signs the public forms' tokens (made by migration 007, renamed by 019). */
function formSecret(db: Db): Promise<string> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", "public_form_secret")
      .executeTakeFirstOrThrow()
      .then((r) => r.value);
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

/**
 * The time of a client's n-th latest hit in a bucket since `since`, or null when it has fewer: one row read from the
 * index however high the limit, so a raised limit costs no more per request.
 */
async function nthLatestHitSince(
  db: Db,
  bucket: string,
  clientKey: string,
  since: string,
  n: number,
): Promise<string | null> {
  const row = await db
    .selectFrom("public_form_rate_hits")
    .select("at")
    .where("bucket", "=", bucket)
    .where("client_key", "=", clientKey)
    .where("at", ">", since)
    .orderBy("at", "desc")
    .limit(1)
    .offset(n - 1)
    .executeTakeFirst();
  return row?.at ?? null;
}

async function addHit(db: Db, bucket: string, clientKey: string, at: string): Promise<void> {
  await db.insertInto("public_form_rate_hits").values({ bucket, client_key: clientKey, at }).execute();
}

/** Forget hits older than any window: the per-address buckets, or (`failedLookups`) the longer per-subject one. */
async function pruneHits(db: Db, before: string, failedLookups = false): Promise<void> {
  await db
    .deleteFrom("public_form_rate_hits")
    .where("at", "<", before)
    .where("bucket", failedLookups ? "=" : "<>", FAILED_LOOKUP_BUCKET)
    .execute();
}

/** The bucket of failed lookups per phone or code, kept for its own, longer window. */
const FAILED_LOOKUP_BUCKET = "lookup-failed";

// --- The public form's one-time token ---------------------------------------------------------------------

/** How long a rendered form may be sent. */
const FORM_TOKEN_MS = 24 * 60 * 60 * 1000;

const sign = (secret: string, wardId: number, issued: string, nonce: string) =>
  createHmac("sha256", secret).update(`feedback|${wardId}|${issued}|${nonce}`).digest("base64url");

/** A new token for a rendered form: issued time, random nonce, and their signature by the server secret. */
export async function issueFormToken(db: Db, wardId: number, now: Date): Promise<string> {
  const issued = String(now.getTime());
  const nonce = randomBytes(16).toString("base64url");
  return `${issued}.${nonce}.${sign(await formSecret(db), wardId, issued, nonce)}`;
}

/**
 * The idempotency key a sent form files under, when its token is ours, for this ward, and fresh; null otherwise.
 * The token is used up by the UNIQUE key: a second post of the same form finds the first item.
 */
export async function formTokenKey(db: Db, wardId: number, token: string | undefined, now: Date) {
  const [issued, nonce, sig] = (token ?? "").split(".");
  if (!issued || !nonce || !sig || !/^\d{1,15}$/.test(issued)) return null;
  const age = now.getTime() - Number(issued);
  if (age < -60_000 || age > FORM_TOKEN_MS) return null;
  const want = Buffer.from(sign(await formSecret(db), wardId, issued, nonce));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return `form:${nonce}`;
}

// --- Rate limit -------------------------------------------------------------------------------------------

/**
 * Count one public request of a client in a bucket ("submit", "lookup", "question", "survey") against the configured
 * limit (PUBLIC_FORM_RATE_LIMIT requests per PUBLIC_FORM_RATE_WINDOW_S; the default when `rate` is undefined).
 * Refused once the window already holds `limit` hits, with the seconds until the limit-th latest of them leaves it.
 * The address is stored hashed: it is personal data, and only equality matters here. Check and insert are not
 * atomic, so concurrent requests may overshoot by a few: acceptable for a spam brake.
 */
export async function rateHit(
  db: Db,
  bucket: string,
  ip: string,
  now: Date,
  rate: RateLimit | undefined,
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  const { limit, windowS } = rate ?? PUBLIC_FORM_RATE_DEFAULT;
  const windowMs = windowS * 1000;
  const key = createHash("sha256").update(`feedback|${ip}`).digest("base64url").slice(0, 32);
  const since = new Date(now.getTime() - windowMs).toISOString();
  const nth = await nthLatestHitSince(db, bucket, key, since, limit);
  if (nth) {
    const retryAfter = Math.max(1, Math.ceil((new Date(nth).getTime() + windowMs - now.getTime()) / 1000));
    return { ok: false, retryAfter };
  }
  await addHit(db, bucket, key, now.toISOString());
  if (Math.random() < 0.05) await pruneHits(db, new Date(now.getTime() - 2 * windowMs).toISOString());
  return { ok: true };
}

// --- Failed lookups per person -------------------------------------------------------------------------------

/**
 * Failed lookups allowed per phone number (and per tracking code) from all addresses together: a citizen who
 * mistypes gets ten tries a day, while guessing one of 2.5 million codes for a known phone (or the phone for a
 * known code) from many addresses would take centuries. Only failures count, so checking one's own item often
 * costs nothing.
 */
export const LOOKUP_FAILURES_PER_SUBJECT: RateLimit = { limit: 10, windowS: 24 * 3600 };

/** The answer when a phone number or code has failed too many lookups. */
export const TOO_MANY_LOOKUPS_MESSAGE =
  "Mã tra cứu hoặc số điện thoại này đã được tra cứu sai quá nhiều lần. Vui lòng thử lại sau hoặc liên hệ bộ phận một cửa của phường.";

const subjectKey = (subject: string) =>
  createHash("sha256").update(`lookup|${subject}`).digest("base64url").slice(0, 32);

/**
 * Run a citizen's lookup (code + phone, of feedback or of a question) unless one of its `subjects` — e.g.
 * `phone:0905123456`, `code:PA-2026-7KQ9XM`, normalised by the caller — already failed too often; a lookup that finds
 * nothing counts one failure against each subject. Subjects are stored hashed (a phone is personal data).
 */
export async function limitedLookup<T>(
  db: Db,
  subjects: string[],
  now: Date,
  lookup: () => Promise<T | null>,
  limit: RateLimit = LOOKUP_FAILURES_PER_SUBJECT,
): Promise<{ ok: true; found: T | null } | { ok: false; retryAfter: number }> {
  const windowMs = limit.windowS * 1000;
  const since = new Date(now.getTime() - windowMs).toISOString();
  const keys = [...new Set(subjects)].map(subjectKey);
  let retryAfter = 0;
  for (const key of keys) {
    const nth = await nthLatestHitSince(db, FAILED_LOOKUP_BUCKET, key, since, limit.limit);
    if (nth) retryAfter = Math.max(retryAfter, Math.ceil((new Date(nth).getTime() + windowMs - now.getTime()) / 1000));
  }
  if (retryAfter > 0) return { ok: false, retryAfter };
  const found = await lookup();
  if (found === null) {
    for (const key of keys) await addHit(db, FAILED_LOOKUP_BUCKET, key, now.toISOString());
    if (Math.random() < 0.05) await pruneHits(db, new Date(now.getTime() - windowMs).toISOString(), true);
  }
  return { ok: true, found };
}

// --- Filing once ------------------------------------------------------------------------------------------------

/**
 * File one submission under a fresh tracking code (`PA-2026-…`), once per idempotency key: a key already used
 * returns its code and files nothing. A fresh code collides rarely, and a concurrent request with the same key may
 * win the database's UNIQUE key: either way, retry, then look the key up again. `insert` owns its transaction.
 */
export async function fileOnce(opts: {
  prefix: TrackingPrefix;
  now: Date;
  key: string | null;
  findByKey: (key: string) => Promise<string | null>;
  insert: (code: string) => Promise<void>;
}): Promise<{ code: string; created: boolean }> {
  const { key } = opts;
  if (key) {
    const known = await opts.findByKey(key);
    if (known) return { code: known, created: false };
  }
  const year = Number(vnToday(opts.now).slice(0, 4));
  for (let attempt = 0; ; attempt++) {
    const code = newTrackingCode(opts.prefix, year);
    try {
      await opts.insert(code);
      return { code, created: true };
    } catch (err) {
      if (key) {
        const known = await opts.findByKey(key);
        if (known) return { code: known, created: false };
      }
      if (attempt >= 4) throw err;
    }
  }
}
