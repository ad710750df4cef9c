/**
 * The issuing body's outgoing-document register (sổ văn bản đi, migration 021): numbers restart each year and are
 * unique per issuer and year, never a database id. Every document the portal issues (a report, a plan) takes its
 * number here, inside the transaction that issues it.
 */
import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The next free number of an issuer's register in a year (1 for the first). */
export async function nextRegisterNumber(db: Q, issuerUnitId: number, year: number): Promise<number> {
  const r = await db
    .selectFrom("document_register")
    .select((eb) => eb.fn.max("number").as("n"))
    .where("issuer_unit_id", "=", issuerUnitId)
    .where("year", "=", year)
    .executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

/** Whether a number is taken in an issuer's register for a year. */
export async function registerNumberTaken(db: Q, issuerUnitId: number, year: number, number: number) {
  const r = await db
    .selectFrom("document_register")
    .select("id")
    .where("issuer_unit_id", "=", issuerUnitId)
    .where("year", "=", year)
    .where("number", "=", number)
    .executeTakeFirst();
  return r !== undefined;
}

export const insertRegisterEntry = (db: Q, row: Insertable<Database["document_register"]>) =>
  db.insertInto("document_register").values(row).execute();
