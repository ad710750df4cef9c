/**
 * Plan layouts (issue 9 §4): the signature block's authority lines beside the position ("TM. ỦY BAN NHÂN DÂN",
 * "KT. CHỦ TỊCH"), and the kind of an organisational unit: the ward's own ("own") or a partner the ward only
 * requests ("partner": the Fatherland Front, the unions), so reports can tell them apart.
 * Frozen: the partner test and the split of an old joined position are this migration's own copies.
 */
import type { Kysely } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

const PARTNER =
  /\b(?:mat tran|mttq\w*|ubmttq\w*|doan the|hoi phu nu|hoi lien hiep phu nu|lhpn|doan thanh nien|doan tn|hoi nong dan|hoi cuu chien binh|hoi ccb|lien doan lao dong|cong doan|hoi nguoi cao tuoi|hoi chu thap do|to chuc chinh tri xa hoi)\b/;

/** "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", as plans were stored before: the authority line split from the position. */
const JOINED = /^((?:KT|TL|TUQ)\.\s*(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG|BÍ THƯ|CHÁNH VĂN PHÒNG))\s+(\S.*)$/u;

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("plans").addColumn("signer_authority", "text").execute();
  await db.schema.alterTable("plans").addColumn("signer_on_behalf_of", "text").execute();
  await db.schema
    .alterTable("org_units")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("own"))
    .execute();

  const k = db as unknown as Kysely<{
    org_units: { id: number; code: string | null; name: string; kind: string };
    plans: { id: number; signer_position: string | null; signer_on_behalf_of: string | null };
  }>;
  for (const u of await k.selectFrom("org_units").select(["id", "code", "name"]).execute()) {
    if (u.code === "front" || PARTNER.test(fold(u.name))) {
      await k.updateTable("org_units").set({ kind: "partner" }).where("id", "=", u.id).execute();
    }
  }
  for (const p of await k.selectFrom("plans").select(["id", "signer_position"]).execute()) {
    const m = p.signer_position ? JOINED.exec(p.signer_position) : null;
    if (m?.[1] && m[2]) {
      await k
        .updateTable("plans")
        .set({ signer_on_behalf_of: m[1], signer_position: m[2] })
        .where("id", "=", p.id)
        .execute();
    }
  }
}
