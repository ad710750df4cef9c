/**
 * Feedback received off the web — at the desk (Bộ phận một cửa), by phone, by letter, or passed on by the Front or a
 * union (Mặt trận Tổ quốc, đoàn thể) — typed in by staff: the same item as the web form files, with its channel,
 * the day it reached the ward, who entered it, the officer's confirmation that the citizen agreed to the use of
 * their data, and any papers scanned or photographed. The tracking code is read back to the citizen.
 */

import { can, type Role } from "../../core/auth/roles.ts";
import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/connection.ts";
import type { User } from "../../core/db/schema.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { consentText } from "../privacy/consent.ts";
import { submitWithAttachments, type Upload } from "./feedback.files.ts";
import { CONSENT_TEXT, type StaffFeedbackInput } from "./feedback.schemas.ts";
import * as q from "./feedback.sql.ts";

type Staff = Pick<User, "id" | "username" | "role" | "ward_id" | "org_unit_id">;

/** What is recorded as agreed when an officer ticks the box for the citizen. */
export const staffConsentText = (text: string = CONSENT_TEXT) =>
  `Cán bộ tiếp nhận xác nhận người gửi đã đồng ý: ${text}`;

/** The instant a day's item counts as received: now when it is today, else the start of that day in Vietnam. */
export function receivedAtOf(receivedOn: string, now: Date): string {
  return receivedOn === vnToday(now) ? now.toISOString() : new Date(`${receivedOn}T00:00:00+07:00`).toISOString();
}

export type EntryResult =
  | { ok: true; id: number; code: string }
  | { ok: false; status: 400 | 403 | 413 | 415; errors: FieldErrors };

/** Enter one item for a citizen (staff holding "feedback.handle"); a form sent twice files once. */
export async function enterFeedback(
  deps: { db: Db; config: Pick<Config, "dataDir" | "uploadMaxBytes" | "fileStore"> },
  user: Staff,
  input: StaffFeedbackInput,
  uploads: readonly Upload[],
  idempotencyKey: string | null,
  now: Date,
): Promise<EntryResult> {
  if (!can(user.role as Role, "feedback.handle"))
    return { ok: false, status: 403, errors: { _: "Bạn không có quyền tiếp nhận phản ánh, kiến nghị." } };
  const { channel, receivedOn, ...fields } = input;
  const r = await submitWithAttachments(
    deps.db,
    deps.config,
    {
      ...fields,
      wardId: user.ward_id,
      channel,
      idempotencyKey,
      entry: { user: { id: user.id, username: user.username }, receivedAt: receivedAtOf(receivedOn, now) },
      // The ward's text in force, as the citizen heard it read or saw it printed at the desk.
      consentText: staffConsentText(await consentText(deps.db.kysely, "feedback", user.ward_id)),
    },
    uploads,
    now,
  );
  if (!r.ok) return { ok: false, status: r.status, errors: { files: r.error } };
  const id = await q.idByCode(deps.db.kysely, user.ward_id, r.code);
  if (id == null) throw new Error(`feedback ${r.code} filed but not found`);
  return { ok: true, id, code: r.code };
}
