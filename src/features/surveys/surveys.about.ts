/**
 * What a response is about, for the index per field (lĩnh vực): a survey of one field counts every response under
 * it; a survey of every service asks the respondent — either the procedure they came for (`?thu-tuc=` from the
 * procedure's page, whose field is then read from the catalogue, not from the form) or a field chosen from the
 * ward's catalogue. Nothing said: no field.
 */

import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { compareVi } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import type { Validated } from "../../core/web/validation.ts";
import { procedureForWard, wardCatalogue } from "../procedures/procedures.catalogue.ts";
import type { ResponseAbout, Survey } from "./surveys.service.ts";

export const FIELD_MESSAGE = "Chọn một lĩnh vực trong danh sách, hoặc để trống.";

/** A procedure a respondent named: its code, name and field, as the ward's catalogue has them today. */
export interface NamedProcedure {
  code: string;
  name: string;
  field: string;
}

/** The fields of the procedures in force in the ward's catalogue, in Vietnamese order. */
export async function catalogueFields(
  db: Kysely<Database>,
  ward: Ward,
  today: string,
  levels: readonly string[],
): Promise<string[]> {
  const entries = await wardCatalogue(db, ward, today, levels);
  const fields = new Set(entries.filter((e) => e.status !== "abolished").map((e) => e.field));
  return [...fields].sort((a, b) => compareVi(a, b));
}

/** A procedure code from a link or a form, if the ward's catalogue has it in force today; null otherwise. */
export async function namedProcedure(
  db: Kysely<Database>,
  ward: Ward,
  code: string | undefined,
  today: string,
): Promise<NamedProcedure | null> {
  const c = code?.trim();
  if (!c || !/^\d{1,10}\.\d{6}$/.test(c)) return null; // only a procedure code reaches the database (no NUL)
  const p = await procedureForWard(db, c, ward, today);
  if (!p?.current) return null;
  return { code: p.procedure.code, name: p.current.name, field: p.current.field };
}

/** Pure: what a sent form says the response is about, or the field's error. */
export function aboutOf(
  survey: Pick<Survey, "field">,
  chosenField: string | undefined,
  procedure: NamedProcedure | null,
  fields: readonly string[],
): Validated<ResponseAbout> {
  if (survey.field != null) return { ok: true, value: { field: survey.field, procedureCode: procedure?.code ?? null } };
  if (procedure) return { ok: true, value: { field: procedure.field, procedureCode: procedure.code } };
  const f = chosenField?.trim() ?? "";
  if (f === "") return { ok: true, value: { field: null, procedureCode: null } };
  if (!fields.includes(f)) return { ok: false, errors: { field: FIELD_MESSAGE } };
  return { ok: true, value: { field: f, procedureCode: null } };
}
