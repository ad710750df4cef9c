/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as the earlier releases are): the seventh release of
 * the everyday lexicon, written studying the failures of the fifth blind set (tuned on from 2026-12-07). Unlike the
 * sixth, it adds no phrases built to match sentences: only head words, of one or two syllables, that carry a concept
 * in whatever sentence they stand ("đền", "đền bù" → bồi thường; "lấn" → tranh chấp đất đai; "quán", "tiệm" → hộ
 * kinh doanh, what is done with it being said by the sentence's own verb; "ghe", "xuồng" → phương tiện; "lầu" →
 * giấy phép xây dựng), and the shorthand of phones' messages ("j", "ng", "nc", "đkx"). Inserted as national rows
 * with their note exactly as the earlier releases insert theirs: a national term that already exists (an operator's
 * edit, an earlier default) is left as it is, and rows of wards and provinces are never touched.
 *
 * It may also revise earlier defaults (`revised`): a national row is rewritten only while it still holds exactly what
 * was shipped (`was`), so a row an operator edited keeps the operator's meaning.
 */
import type { Kysely } from "kysely";
import { insertLexiconRelease, type LexiconRelease, type MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-055-everyday-lexicon-seven.json" with { type: "json" };

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await insertLexiconRelease(db, data as LexiconRelease);
}
