/**
 * A province's accounts (issue 9 §5): made by the deployment operator, on the command line (`create-user --province
 * 51 [--unit "Sở Nội vụ"]`) or on the staff pages (`/quan-tri/tinh/51/tai-khoan`), both through
 * `createProvinceAccount`, so the two follow the same rules. The account belongs to the province (its `ward_id` is
 * the province's unit, its scope the province's: accounts.service.ts `createUser`), optionally to a department of it
 * (Sở Nội vụ: an organisational unit of the province, made when the province has none of that name).
 *
 * Its password is typed (and checked against the policy) or generated and returned once. Everything is checked
 * before anything is written: a department is only made for an account that is then created.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Actor } from "../../core/audit.ts";
import { PROVINCE_ROLES, type Role } from "../../core/auth/roles.ts";
import type { AdminUnit, Database } from "../../core/db/schema.ts";
import { vnToday } from "../../core/text/vi.ts";
import { type FieldErrors, oneLine, validate } from "../../core/web/validation.ts";
import { departmentNameProblem, findDepartment, findOrCreateDepartment } from "../units/org-units.service.ts";
import { adminUnitInForce } from "../units/units.service.ts";
import { createUser, newUserSchema } from "./accounts.service.ts";
import * as q from "./accounts.sql.ts";
import { type AccountView, accountOf, choosePassword, listAccounts, type Result } from "./users.service.ts";

/** A province's two-digit code. */
export const PROVINCE_CODE = /^\d{2}$/;

const unknownProvince = (code: string) => (code ? `Không có tỉnh, thành phố mã ${code}.` : "Hãy chọn tỉnh, thành phố.");

/** The province in force today with this code, or the Vietnamese message saying there is none. */
export async function provinceByCode(
  db: Kysely<Database>,
  code: string,
  now: Date,
): Promise<{ ok: true; province: AdminUnit } | { ok: false; error: string }> {
  const clean = code.trim();
  const unit = PROVINCE_CODE.test(clean) ? await adminUnitInForce(db, clean, vnToday(now)) : undefined;
  if (unit?.level !== "province") return { ok: false, error: unknownProvince(clean) };
  return { ok: true, province: unit };
}

const inputSchema = z.object({
  province: z.preprocess(oneLine, z.string({ error: "Hãy chọn tỉnh, thành phố." })),
  /** Empty: the account belongs to the province itself, in no department. */
  department: z.preprocess(
    (v) => (v == null ? "" : oneLine(v)),
    z.string({ error: "Tên sở, ngành không hợp lệ." }).max(120, "Tên sở, ngành gồm 2–120 ký tự."),
  ),
});

export interface ProvinceAccountInput {
  /** The province's code, e.g. "51". */
  province: string;
  /** A department of it, by name or symbol; empty for none. */
  department: string | null;
  username: string;
  displayName: string;
  role: string;
  /** Empty: the system generates one, returned once to show to the operator. */
  password: string;
}

export interface ProvinceAccountCreated {
  id: number;
  province: AdminUnit;
  department: { id: number; name: string; code: string; created: boolean } | null;
  generatedPassword: string | null;
}

/**
 * Create an account of a province (role leader, coordinator or viewer), in a department of it when one is named.
 * Every problem is reported at once, keyed by field: province, department, username, displayName, role, password.
 * A username already taken is a 409.
 */
export async function createProvinceAccount(
  db: Kysely<Database>,
  actor: Actor,
  input: ProvinceAccountInput,
  now: Date,
): Promise<Result<ProvinceAccountCreated>> {
  const errors: FieldErrors = {};
  const v = validate(inputSchema, { province: input.province, department: input.department });
  if (!v.ok) Object.assign(errors, v.errors);
  const found = await provinceByCode(db, v.ok ? v.value.province : String(input.province ?? ""), now);
  if (!found.ok) errors.province = found.error;
  const department = v.ok ? v.value.department : "";
  const provinceId = found.ok ? found.province.id : 1;
  // A department the province has is found by its name or symbol; a new one needs a name its symbol is made from.
  if (department && !(found.ok && (await findDepartment(db, provinceId, department)))) {
    const problem = departmentNameProblem(department);
    if (problem) errors.department ??= problem;
  }
  const candidate = {
    username: input.username,
    displayName: input.displayName,
    role: input.role as Role,
    password: "",
    wardId: provinceId,
    orgUnitId: null,
  };
  const account = validate(newUserSchema, candidate);
  if (!account.ok) {
    const { password: _none, ...rest } = account.errors;
    Object.assign(errors, rest);
  }
  if (!Object.hasOwn(PROVINCE_ROLES, input.role))
    errors.role =
      "Tài khoản cấp tỉnh chỉ có vai trò lãnh đạo (leader), chuyên viên (coordinator) hoặc chỉ xem (viewer).";
  const username = account.ok
    ? account.value.username
    : String(input.username ?? "")
        .trim()
        .toLowerCase();
  const chosen = choosePassword(input.password, username);
  if (typeof chosen === "string") errors.password = chosen;
  if (account.ok && (await q.userByUsername(db, username))) errors.username = "Tên đăng nhập này đã có người dùng.";
  if (Object.keys(errors).length || typeof chosen === "string" || !found.ok)
    return { ok: false, status: errors.username && Object.keys(errors).length === 1 ? 409 : 400, errors };

  // Checked: now the department (found, or made) and the account, in one transaction: a refusal of the account
  // (its username taken since the check) or a failure writing it leaves no department behind.
  let r: Awaited<ReturnType<typeof createUser>>;
  let unit: ProvinceAccountCreated["department"] = null;
  try {
    r = await db.transaction().execute(async (trx) => {
      if (department) {
        const d = await findOrCreateDepartment(trx, actor, provinceId, department, now);
        if (!d.ok) throw new Refused({ ok: false, errors: { department: d.error } });
        unit = { id: d.id, name: d.name, code: d.code, created: d.created };
      }
      // createUser checks again (the username may have been taken since) and writes the account with its audit record.
      const made = await createUser(
        trx,
        actor,
        { ...candidate, password: chosen.password, orgUnitId: unit?.id ?? null },
        now,
      );
      if (!made.ok) throw new Refused(made);
      return made;
    });
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    r = e.result;
  }
  if (!r.ok) return { ok: false, status: r.errors.username ? 409 : 400, errors: r.errors };
  return {
    ok: true,
    value: {
      id: r.value.id,
      province: found.province,
      department: unit,
      generatedPassword: chosen.generated ? chosen.password : null,
    },
  };
}

/** A refusal inside the transaction: thrown to roll it back, its result returned. */
class Refused extends Error {
  constructor(readonly result: Awaited<ReturnType<typeof createUser>>) {
    super("refused");
  }
}

/** A province's accounts, active first, with the province's role names. */
export async function provinceAccounts(db: Kysely<Database>, provinceId: number, today: string) {
  return (await listAccounts(db, provinceId, today)).map(withProvinceLabel);
}

/** One account of the province, or null (an account of a ward, or of another province, is not one of them). */
export async function provinceAccountOf(db: Kysely<Database>, provinceId: number, id: number, today: string) {
  const a = await accountOf(db, provinceId, id, today);
  return a ? withProvinceLabel(a) : null;
}

const withProvinceLabel = (a: AccountView): AccountView => ({ ...a, roleLabel: PROVINCE_ROLES[a.role] ?? a.roleLabel });
