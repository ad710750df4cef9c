/**
 * Sign-out at the province's single sign-on (issue 12 §8): a session opened through the provider keeps the ID token
 * the provider issued for it, server-side only (never in a cookie), so signing out of the portal can end the
 * person's session at the provider too (RP-initiated logout, `id_token_hint`). Null for password sign-ins. A sign-in
 * still waiting for its second factor (a row of `sessions` too) carries it on to the session it becomes.
 * Frozen: a migration never imports live code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("sso_id_token", "text").execute();
}
