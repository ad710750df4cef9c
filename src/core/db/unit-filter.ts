/**
 * The set-based queries over many units (the province's or the country's roll-up): `null` means every unit, so
 * the country is no IN list of thousands of ids (rows of other units are dropped by the caller).
 */
import { sql } from "kysely";

export type UnitIds = readonly number[] | null;

/** `column in (ids)`, or true for every unit (`null`); an empty list matches nothing. */
export const forUnits = (column: string, ids: UnitIds) =>
  ids ? sql<boolean>`${sql.ref(column)} in (${sql.join(ids.length ? ids : [-1])})` : sql<boolean>`1 = 1`;
