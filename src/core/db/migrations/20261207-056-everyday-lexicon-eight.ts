/**
 * Issue 11, from the JSON beside this file (frozen once shipped, as the earlier releases are): the eighth release of
 * the everyday lexicon, written studying the failures of the sixth blind set (tuned on from 2026-12-07). Most of that
 * set's misses of form (a letter doubled inside a word, two words run together) are read by rules in analyze.ts; this
 * release adds only head words that carry a concept in any sentence ("đẻ", "chào đời" → sinh; "đẻ" typed bare is the filler "để") and shorthand ("ks",
 * "KT1", "KT2", "KT4", "SDĐ", "QĐ"), and revises one earlier default whose folded form swallowed every sentence about
 * health insurance ("bảo hiểm ý tế"). Inserted as national rows with their note exactly as the earlier releases insert
 * theirs: a national term that already exists (an operator's edit, an earlier default) is left as it is, and rows of
 * wards and provinces are never touched.
 *
 * It may also revise earlier defaults (`revised`): a national row is rewritten only while it still holds exactly what
 * was shipped (`was`), so a row an operator edited keeps the operator's meaning.
 */
import type { Kysely } from "kysely";
import { insertLexiconRelease, type LexiconRelease, type MigrationContext } from "../migrate-helpers.ts";
import data from "./20261207-056-everyday-lexicon-eight.json" with { type: "json" };

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await insertLexiconRelease(db, data as LexiconRelease);
}
