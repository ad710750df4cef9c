/**
 * Input schemas of the ward's own units. Forms send strings, other callers typed values; both go through the
 * same schema, with Vietnamese messages.
 */
import { z } from "zod";
import { parseDateInput } from "../../core/text/vi.ts";
import { idField, oneLine, optionalIdField } from "../../core/web/validation.ts";

const MAX_ALIASES = 30;

const requiredText = (max: number, missing: string, tooLong: string) =>
  z.preprocess(oneLine, z.string({ error: missing }).min(1, missing).max(max, tooLong));
const optionalText = (max: number, tooLong: string) =>
  z.preprocess(
    (v) => (v == null || oneLine(v) === "" ? null : oneLine(v)),
    z.string({ error: tooLong }).max(max, tooLong).nullable(),
  );
const date = (missing: string, bad: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string({ error: missing })
      .min(1, missing)
      .refine((s) => parseDateInput(s) !== null, bad)
      .transform((s) => parseDateInput(s) as string)
      .refine((d) => d >= "1945-01-01" && d <= "2100-12-31", bad),
  );
const optionalDate = (bad: string) =>
  z.preprocess((v) => (v == null || (typeof v === "string" && v.trim() === "") ? null : v), date(bad, bad).nullable());

/** Aliases as a list, or as the form's text area with one per line. */
const aliasList = z.preprocess(
  (v) => {
    const lines: unknown = typeof v === "string" ? v.split("\n") : v == null ? [] : v;
    return Array.isArray(lines) ? lines.map(oneLine).filter((a) => a !== "") : lines;
  },
  z
    .array(z.string().max(200, "Mỗi tên gọi tối đa 200 ký tự."))
    .max(MAX_ALIASES, `Tối đa ${MAX_ALIASES} tên gọi cho một đơn vị.`),
);

const UNIT_NAME = requiredText(200, "Hãy nhập tên đơn vị.", "Tên đơn vị tối đa 200 ký tự.");
const ALIAS = requiredText(200, "Hãy nhập tên gọi.", "Tên gọi tối đa 200 ký tự.");
const DATE_HINT = "nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2025";

/** A new unit: its name, an optional code, its other names (a list, or one per line) and first day. */
export const createSchema = z.object({
  wardId: z.number().int().positive(),
  name: UNIT_NAME,
  code: optionalText(40, "Mã đơn vị tối đa 40 ký tự."),
  aliases: aliasList,
  validFrom: optionalDate(`Ngày bắt đầu hoạt động không hợp lệ: ${DATE_HINT}.`),
});
export type CreateOrgUnitInput = z.input<typeof createSchema>;

/** A unit's new name. */
export const renameSchema = z.object({
  wardId: z.number(),
  unitId: idField("Mã đơn vị không hợp lệ."),
  name: UNIT_NAME,
});
/** Another name for a unit. */
export const aliasSchema = z.object({ wardId: z.number(), unitId: idField("Mã đơn vị không hợp lệ."), alias: ALIAS });
/** One alias of a unit to forget. */
export const removeAliasSchema = z.object({
  wardId: z.number(),
  unitId: idField("Mã đơn vị không hợp lệ."),
  aliasId: idField("Tên gọi không hợp lệ."),
});
/** A unit's last day in force, and the successor that may take over its aliases. */
export const retireSchema = z.object({
  wardId: z.number(),
  unitId: idField("Mã đơn vị không hợp lệ."),
  validTo: date("Hãy nhập ngày cuối cùng đơn vị còn hoạt động.", `Ngày không hợp lệ: ${DATE_HINT}.`),
  successorId: optionalIdField("Hãy chọn đơn vị kế thừa trong danh sách."),
  moveAliases: z.preprocess((v) => v === true || v === "1" || v === "on", z.boolean()),
});
