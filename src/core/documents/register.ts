/**
 * The issuing body's outgoing-document register (sổ văn bản đi, migration 021): numbers restart each year and are
 * unique per issuing body (a unit, or a province's department) and year, never a database id. Every document the portal issues (a report, a plan) takes its
 * number here, inside the transaction that issues it.
 */
import type { Insertable, Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database } from "../db/schema.ts";
import { parseVnDate } from "../text/vi.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** An issuing body: a ward's or province's unit, or a department of a province (which keeps its own register). */
export interface IssuingBody {
  unitId: number;
  orgUnitId: number | null;
}

/** The register entries of one body and year. */
const registerOf = (db: Q, body: IssuingBody, year: number) => {
  const q = db.selectFrom("document_register").where("issuer_unit_id", "=", body.unitId).where("year", "=", year);
  return body.orgUnitId == null
    ? q.where("issuer_org_unit_id", "is", null)
    : q.where("issuer_org_unit_id", "=", body.orgUnitId);
};

/** The next free number of a body's register in a year (1 for the first). */
export async function nextRegisterNumber(db: Q, body: IssuingBody, year: number): Promise<number> {
  const r = await registerOf(db, body, year)
    .select((eb) => eb.fn.max("number").as("n"))
    .executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

/** Whether a number is taken in a body's register for a year. */
export async function registerNumberTaken(db: Q, body: IssuingBody, year: number, number: number) {
  const r = await registerOf(db, body, year).select("id").where("number", "=", number).executeTakeFirst();
  return r !== undefined;
}

export const insertRegisterEntry = (db: Q, row: Insertable<Database["document_register"]>) =>
  db.insertInto("document_register").values(row).execute();

/** The issue form of a registered document: the register's number (empty: the next free one), the day, the signer. */
export const registerIssueForm = (today: string) =>
  z.object({
    number: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? (/^\d+$/.test(v.trim()) ? Number(v) : Number.NaN) : null),
      z
        .number({ error: "Số văn bản là một số nguyên dương." })
        .int()
        .positive("Số văn bản là một số nguyên dương.")
        .max(99999)
        .nullable(),
    ),
    issuedOn: z.preprocess(
      (v) => {
        if (typeof v !== "string" || v.trim() === "") return undefined;
        const t = v.trim();
        return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : (parseVnDate(t) ?? t);
      },
      z
        .string({ error: "Nhập ngày ban hành." })
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày ban hành chưa đúng (dd/mm/yyyy).")
        .refine((d) => d <= today, "Ngày ban hành không thể sau hôm nay."),
    ),
    signerName: z.preprocess(
      (v) => (typeof v === "string" ? v.normalize("NFC").trim() : ""),
      z.string().min(2, "Nhập họ tên người ký.").max(100, "Họ tên người ký quá dài."),
    ),
  });

/** The workflow of a document the portal issues (a report, a plan): draft → submitted → approved → issued. */
export const WORKFLOW_STATUSES: Record<string, string> = {
  draft: "Dự thảo",
  submitted: "Đã trình lãnh đạo",
  approved: "Lãnh đạo đã duyệt",
  issued: "Đã ban hành",
};
