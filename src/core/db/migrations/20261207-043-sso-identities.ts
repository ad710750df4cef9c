/**
 * Staff sign-in through the province's single sign-on (issue 12 §8). The provider identifies a person only; what
 * they may do stays the portal's (roles and units of `users`).
 * - `users.sso_email`: the verified e-mail an administrator granted the account for single sign-on (lower case);
 *   the first sign-in with it binds the provider's identity to the account.
 * - `sso_identities`: the bound identities, (issuer, subject) → account; used from then on, whatever the e-mail.
 * - `sso_pending`: a sign-in under way (PKCE verifier, nonce, where to go next), keyed by the SHA-256 of its state;
 *   taken (deleted) by the callback, so a callback is honoured once.
 * Frozen: a migration never imports live code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("sso_email", "text").execute();
  await db.schema.createIndex("users_sso_email").unique().on("users").column("sso_email").execute();
  await db.schema
    .createTable("sso_identities")
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("email", "text")
    .addColumn("bound_at", "text", (c) => c.notNull())
    .addColumn("last_sign_in_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sso_identities_pk", ["issuer", "subject"])
    .execute();
  await db.schema.createIndex("sso_identities_user").on("sso_identities").column("user_id").execute();
  await db.schema
    .createTable("sso_pending")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("next_path", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sso_pending_expires").on("sso_pending").column("expires_at").execute();
}
