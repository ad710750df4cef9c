/**
 * Photos of a held event (issue 10 §4): added by whoever writes for its organising unit (its officer, a coordinator,
 * an admin), each checked to be an image by its content and re-encoded without metadata (core/images.ts), with alt
 * text that names nobody (it is public); removed the same way. Every change audited, in one transaction that holds
 * the event as held. The public sees them on the event's page while it is held; a withdrawn event's are not served.
 */

import type { Kysely } from "kysely";
import { actorOf, audit } from "../../core/audit.ts";
import type { Config } from "../../core/config.ts";
import type { Db as AppDb } from "../../core/db/connection.ts";
import type { Database } from "../../core/db/schema.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { saveFileRow } from "../../core/files.ts";
import { checkAlt, preparePhotoUpload } from "../../core/web/photos.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import { writesFor } from "./events.rules.ts";
import type { EventStaff } from "./events.service.ts";
import * as q from "./events.sql.ts";

/** Owner kind, in the file store, of an event's photos (owner id: the event's). */
export const EVENT_PHOTO_OWNER = "event_photo";

export type PhotoResult = { ok: true; id: number } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors };

/** Why photos cannot be changed on an event in this status now; null when they can. */
export function photosClosed(status: string): string | null {
  if (status === "held") return null;
  if (status === "withdrawn") return "Sự kiện đã hủy nên không thêm, bỏ ảnh được nữa.";
  return "Ảnh được thêm sau khi sự kiện đã tổ chức: trước hết ghi nhận đã tổ chức.";
}

async function loadWritable(db: Kysely<Database>, user: EventStaff, id: number) {
  const e = await q.eventOf(db, [user.ward_id], id);
  if (!e) return { ok: false, status: 404, errors: { _: "Không tìm thấy sự kiện." } } as const;
  if (!writesFor(user, e.org_unit_id))
    return { ok: false, status: 403, errors: { _: "Cán bộ đơn vị chỉ thêm ảnh sự kiện của đơn vị mình." } } as const;
  const closed = photosClosed(e.status);
  if (closed) return { ok: false, status: 409, errors: { _: closed } } as const;
  return e;
}

/** Add a photo to a held event of the user's ward. */
export async function addEventPhoto(
  deps: { db: AppDb; config: Pick<Config, "dataDir" | "uploadMaxBytes" | "fileStore"> },
  user: EventStaff,
  id: number,
  file: { name: string; bytes: Uint8Array } | null,
  rawAlt: unknown,
  now: Date,
): Promise<PhotoResult> {
  const db = deps.db.kysely;
  const e = await loadWritable(db, user, id);
  if ("ok" in e) return e;
  const alt = checkAlt(rawAlt);
  if (!alt.ok) return { ok: false, status: 400, errors: { alt: alt.error } };
  const photo = await preparePhotoUpload({ config: deps.config, files: fileStoreOf(deps) }, file);
  if (!photo.ok) return { ok: false, status: 400, errors: { photo: photo.error } };
  return db.transaction().execute(async (trx): Promise<PhotoResult> => {
    if (!(await q.lockHeldEvent(trx, e.ward_id, id)))
      return { ok: false, status: 409, errors: { _: "Sự kiện vừa được hủy, ảnh không lưu được." } };
    const stored = await saveFileRow(
      trx,
      photo.upload,
      { wardId: e.ward_id, userId: user.id, owner: { kind: EVENT_PHOTO_OWNER, id } },
      now,
    );
    const pid = await q.insertPhoto(trx, {
      event_id: id,
      file_id: Number(stored.id),
      alt: alt.value,
      width: photo.width,
      height: photo.height,
      created_by: user.id,
      created_at: now.toISOString(),
    });
    await audit(
      trx,
      actorOf(user),
      { action: "event.photo_add", entity: "event", entityId: id, after: { photo: pid, alt: alt.value } },
      now,
    );
    return { ok: true, id: pid };
  });
}

/** Remove a photo from a held event of the user's ward. */
export async function removeEventPhoto(
  db: Kysely<Database>,
  user: EventStaff,
  id: number,
  photoId: number,
  now: Date,
): Promise<PhotoResult> {
  const e = await loadWritable(db, user, id);
  if ("ok" in e) return e;
  return db.transaction().execute(async (trx): Promise<PhotoResult> => {
    if (!(await q.lockHeldEvent(trx, e.ward_id, id)))
      return { ok: false, status: 409, errors: { _: "Sự kiện vừa được hủy." } };
    const before = await q.deletePhoto(trx, id, photoId);
    if (!before) return { ok: false, status: 404, errors: { _: "Không tìm thấy ảnh." } };
    await audit(
      trx,
      actorOf(user),
      { action: "event.photo_remove", entity: "event", entityId: id, before: { photo: photoId, alt: before.alt } },
      now,
    );
    return { ok: true, id: photoId };
  });
}
