/** The public forms' rate limit as a page: one check for every form, one Vietnamese 429 with `Retry-After`. */
import type { Context } from "hono";
import type { AppEnv, Ward } from "./context.ts";
import { Layout } from "./layout.tsx";
import { rateHit, TOO_MANY_LOOKUPS_MESSAGE } from "./public-forms.ts";

/** Too many requests from one client: when to come back. */
export function TooManyPage({ ward, retryAfter, why }: { ward: Ward; retryAfter: number; why?: string }) {
  return (
    <Layout title="Quá nhiều yêu cầu" ward={ward}>
      <h1>Quá nhiều yêu cầu</h1>
      <p>{why ?? "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn."}</p>
      <p>Vui lòng thử lại sau khoảng {waitText(retryAfter)}.</p>
    </Layout>
  );
}

const waitText = (seconds: number) =>
  seconds >= 5400 ? `${Math.ceil(seconds / 3600)} giờ` : `${Math.max(1, Math.ceil(seconds / 60))} phút`;

/** Count this request of the client in `bucket`; the 429 page when it is over the configured limit, else null. */
export async function overPublicLimit(c: Context<AppEnv>, bucket: string): Promise<Response | null> {
  const { db, clock, config } = c.get("deps");
  const r = await rateHit(db.kysely, bucket, c.get("ip"), clock(), config.publicFormRate);
  if (r.ok) return null;
  c.header("Retry-After", String(r.retryAfter));
  c.header("Cache-Control", "no-store");
  return c.html(<TooManyPage ward={c.get("ward")} retryAfter={r.retryAfter} />, 429);
}

/** The 429 page of a lookup whose phone number or code failed too often (public-forms.ts `limitedLookup`). */
export function tooManyLookups(c: Context<AppEnv>, retryAfter: number): Response {
  c.header("Retry-After", String(retryAfter));
  c.header("Cache-Control", "no-store");
  return c.html(
    <TooManyPage ward={c.get("ward")} retryAfter={retryAfter} why={TOO_MANY_LOOKUPS_MESSAGE} />,
    429,
  ) as Response;
}
