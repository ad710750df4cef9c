/**
 * Posters and banners (băng rôn, pa nô, áp phích): recording one put up — its slogan, place, day, how many, cost and a
 * photo (re-encoded without metadata) — writes its one ledger activity (channel: banners and posters) in the same
 * transaction. The photo is the evidence, stored as a file the ward's staff read.
 */

import type { Kysely } from "kysely";
import { actorOf, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { prepareUpload, saveFileRow } from "../../core/files.ts";
import { preparePhoto } from "../../core/images.ts";
import type { Ward } from "../../core/web/context.ts";
import { type Validated, validate } from "../../core/web/validation.ts";
import { channelAreasOf, checkChannelRefs } from "../events/events.service.ts";
import { recordLedgerEntry } from "../plans/ledger.ts";
import { POSTER_KINDS, type PosterKind, writesFor } from "./news.rules.ts";
import { posterForm } from "./news.schemas.ts";
import { type NewsStaff, type PhotoDeps, personalIn } from "./news.service.ts";
import * as q from "./news.sql.ts";

/** Owner kind, in the file store, of a poster's photo (owner id: the poster's). */
export const POSTER_FILE_OWNER = "news_poster";

export async function recordPoster(
  deps: PhotoDeps,
  user: NewsStaff,
  ward: Ward,
  raw: unknown,
  file: { name: string; bytes: Uint8Array } | null,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }>> {
  const db = deps.db.kysely as Kysely<Database>;
  const v = validate(posterForm, raw);
  if (!v.ok) return v;
  const input = v.value;
  const leak = personalIn([
    ["title", "Nội dung khẩu hiệu", input.title],
    ["alt", "Mô tả ảnh", input.alt],
  ]);
  if (leak) return { ok: false, errors: leak };
  const refs = await checkChannelRefs(db, ward, input, today, (unitId) => writesFor(user, unitId), {
    unit: "Đơn vị",
    ownOnly: "Cán bộ đơn vị chỉ ghi nhận việc của đơn vị mình.",
  });
  if (refs) return { ok: false, errors: refs };
  const areas = await channelAreasOf(db, ward.scopeIds);
  if (input.putUpOn > today) return { ok: false, errors: { putUpOn: "Ngày treo, dựng không được sau hôm nay." } };
  if (!file) return { ok: false, errors: { photo: "Chọn ảnh chụp băng rôn, pa nô, áp phích đã treo, dựng." } };
  const photo = await preparePhoto(file.bytes, { maxBytes: deps.config.uploadMaxBytes });
  if (!photo.ok) return { ok: false, errors: { photo: photo.error } };
  const prepared = await prepareUpload(
    { config: deps.config, files: fileStoreOf(deps) },
    { name: "anh.jpg", bytes: photo.bytes },
  );
  if (!prepared.ok) return { ok: false, errors: { photo: prepared.error } };
  const actor = actorOf(user);
  const id = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: ward.unit.id,
      org_unit_id: input.orgUnitId,
      kind: input.kind,
      title: input.title,
      place: input.place,
      put_up_on: input.putUpOn,
      quantity: input.quantity as number,
      area_ids_json: JSON.stringify([...new Set(input.areaIds)]),
      cost: input.cost,
      alt: input.alt,
      created_by: user.id,
      created_at: now.toISOString(),
    };
    const posterId = await q.insertPoster(trx, row);
    const stored = await saveFileRow(
      trx,
      prepared,
      { wardId: ward.unit.id, userId: user.id, owner: { kind: POSTER_FILE_OWNER, id: posterId } },
      now,
    );
    await trx
      .updateTable("news_posters")
      .set({ file_id: Number(stored.id) })
      .where("id", "=", posterId)
      .execute();
    await audit(trx, actor, { action: "poster.record", entity: "poster", entityId: posterId, after: row }, now);
    const pillar = areas.find((a) => a.id === input.areaIds[0])?.pillar ?? null;
    await recordLedgerEntry(
      trx,
      actor,
      {
        wardId: ward.unit.id,
        orgUnitId: input.orgUnitId,
        topic: "poster",
        channel: "banner_poster",
        pillar,
        title: `${POSTER_KINDS[input.kind as PosterKind]} (${input.quantity}): ${input.title}`,
        occurredOn: input.putUpOn,
        audience: null,
        place: input.place,
        cost: input.cost,
        source: "poster",
        sourceRef: String(posterId),
        createdBy: user.id,
      },
      now,
    );
    return posterId;
  });
  return { ok: true, value: { id } };
}
