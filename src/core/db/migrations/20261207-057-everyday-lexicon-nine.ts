/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as the earlier releases are): the ninth release of
 * the everyday lexicon, written studying the failures of the seventh blind set (and the sixth). Everyday names of
 * life events and papers ("lọt lòng", "ngày đẻ", "thôi làm người đỡ đầu", "khước từ thừa kế", "giấy xác nhận đang
 * ở"), euphemisms, regional words ("đò máy", "đóng ghe", "nhận giùm") and shorthand ("tl", "sy", "gct", "xm", "kcb",
 * "DSPHSK"); a shorthand of several senses ("kh", "bc", "ts") is read only beside the word that gives its
 * sense. It revises one default of migration 006's first table: "nhập khẩu" at a ward is moving one's registered
 * residence, so it weighs 0.98 as "hộ khẩu" does; and "đẻ", "mới đẻ", "đẻ xong" gain "thai sản" as a second reading. Inserted as national rows with their note, as the earlier releases
 * insert theirs: a national term that already exists (an operator's edit, an earlier default) is left as it is, and
 * rows of wards and provinces are never touched; a revised row is rewritten only while it still holds exactly what
 * was shipped.
 */
import type { Kysely } from "kysely";
import { insertLexiconRelease, type LexiconRelease, type MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-057-everyday-lexicon-nine.json" with { type: "json" };

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await insertLexiconRelease(db, data as LexiconRelease);
}
