/**
 * The ward's contact details (hồ sơ phường): read for every public page, edited by the ward's administrator.
 * Validated at the edge (zod, Vietnamese messages), saved with its audit record in one transaction.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { nfc, squash } from "../../core/text/vi.ts";
import type { WardContact } from "../../core/web/context.ts";
import { type Validated, validate } from "../../core/web/validation.ts";
import * as q from "./ward-profile.sql.ts";

const oneLine = (v: unknown) => (typeof v === "string" ? squash(nfc(v)) : "");
/** Several lines kept (desk hours are often one line per day), each squashed, empty lines dropped. */
const lines = (v: unknown) =>
  typeof v === "string" ? nfc(v).split(/\r?\n/).map(squash).filter(Boolean).join("\n") : "";

const text = (max: number, label: string) =>
  z.preprocess(oneLine, z.string().max(max, `${label} dài quá ${max} ký tự.`));

/** What the administrator may write; every field may be left empty (then nothing is shown for it). */
export const profileInput = z.object({
  address: text(300, "Địa chỉ"),
  deskHours: z.preprocess(lines, z.string().max(500, "Thời gian tiếp nhận dài quá 500 ký tự.")),
  hotline: z.preprocess(
    oneLine,
    z
      .string()
      .max(40, "Số điện thoại đường dây nóng dài quá 40 ký tự.")
      .refine(
        (v) => v === "" || (/^\+?[\d .()-]+$/.test(v) && /^\d{8,15}$/.test(v.replace(/\D/g, ""))),
        "Số điện thoại đường dây nóng chỉ gồm chữ số (8 đến 15 số), có thể có dấu cách, dấu chấm, dấu gạch hoặc dấu + ở đầu.",
      ),
  ),
  email: z.preprocess(
    oneLine,
    z
      .string()
      .max(200, "Thư điện tử dài quá 200 ký tự.")
      .refine(
        (v) => v === "" || z.email().safeParse(v).success,
        "Thư điện tử không đúng dạng (ví dụ: ubnd@phuong.gov.vn).",
      ),
  ),
  mapUrl: z.preprocess(
    oneLine,
    z
      .string()
      .max(500, "Đường dẫn bản đồ dài quá 500 ký tự.")
      .refine((v) => {
        if (v === "") return true;
        try {
          return new URL(v).protocol === "https:";
        } catch {
          return false;
        }
      }, "Đường dẫn bản đồ phải là một địa chỉ bắt đầu bằng https://."),
  ),
});
export type ProfileInput = z.infer<typeof profileInput>;

export const parseProfile = (values: unknown): Validated<ProfileInput> => validate(profileInput, values);

const EMPTY: WardContact = { address: "", deskHours: "", hotline: "", email: "", mapUrl: "" };

/** The ward's contact details; null when its administrator has written none. */
export async function wardContact(db: Kysely<Database>, wardId: number): Promise<WardContact | null> {
  const row = await q.profileOf(db, wardId);
  if (!row) return null;
  const contact = {
    address: row.address,
    deskHours: row.desk_hours,
    hotline: row.hotline,
    email: row.email,
    mapUrl: row.map_url,
  };
  return Object.values(contact).some(Boolean) ? contact : null;
}

/** The form's starting values: what is saved, or empty fields. */
export const profileForForm = async (db: Kysely<Database>, wardId: number): Promise<WardContact> =>
  (await wardContact(db, wardId)) ?? EMPTY;

/** Save the ward's contact details, with the audit record (before → after), in one transaction. */
export async function saveProfile(
  db: Kysely<Database>,
  actor: Actor,
  wardId: number,
  input: ProfileInput,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await q.profileOf(trx, wardId);
    await q.upsertProfile(trx, {
      ward_id: wardId,
      address: input.address,
      desk_hours: input.deskHours,
      hotline: input.hotline,
      email: input.email,
      map_url: input.mapUrl,
      updated_at: now.toISOString(),
      updated_by: actor.userId,
    });
    await audit(
      trx,
      actor,
      {
        action: "ward_profile.update",
        entity: "ward_profiles",
        entityId: wardId,
        wardId,
        before: before
          ? {
              address: before.address,
              deskHours: before.desk_hours,
              hotline: before.hotline,
              email: before.email,
              mapUrl: before.map_url,
            }
          : null,
        after: input,
      },
      now,
    );
  });
}
