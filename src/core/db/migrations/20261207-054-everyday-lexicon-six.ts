/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as the earlier releases are): the sixth release of the
 * everyday lexicon, written studying the failures of the fourth blind set (tuned on from 2026-12-07). Its entries come
 * in families rather than phrases: the names citizens give a paper (giấy khai sinh/khai sanh, giấy cưới, cà vẹt, sổ
 * đỏ, chứng minh/căn cước, thẻ BHYT…) crossed with the states they tell of it (lost, gnawed, faded, expired, written
 * wrong — "in trật" in the South) mapped to what an officer would do (cấp lại, cấp đổi, bản sao, đăng ký lại, cải
 * chính, đính chính); events abroad only together with their place (cưới bên Nhật → ghi vào sổ); ambiguous words
 * only in their context ("đóng cửa" for a few days is a temporary stop, for fire safety a reopening). Inserted as
 * national rows with their note exactly as the earlier releases insert theirs: a national term that already exists
 * (an operator's edit, an earlier default) is left as it is, and rows of wards and provinces are never touched.
 *
 * It may also revise earlier defaults (`revised`): a national row is rewritten only while it still holds exactly what
 * was shipped (`was`), so a row an operator edited keeps the operator's meaning.
 */
import type { Kysely } from "kysely";
import { insertLexiconRelease, type LexiconRelease, type MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-054-everyday-lexicon-six.json" with { type: "json" };

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await insertLexiconRelease(db, data as LexiconRelease);
}
