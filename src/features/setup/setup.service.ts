/**
 * First start: with the shared reference data present, load the country's units, the demo ward (Phường Đức Phổ),
 * its units and staff and the seed plan; without it, start empty and wait for a first-run setup.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import { audit, SYSTEM_ACTOR } from "../../core/audit.ts";
import { randomPassword } from "../../core/auth/passwords.ts";
import type { Db } from "../../core/db/connection.ts";
import type { Database } from "../../core/db/schema.ts";
import { foldWords, nfc, squash, vnToday } from "../../core/text/vi.ts";
import { createUser } from "../accounts/accounts.service.ts";
import { confirmPlanImport } from "../plans/plans.service.ts";
import { DEFAULT_WARD_UNITS } from "../plans/unit-match.ts";
import { importProcedures } from "../procedures/procedures.service.ts";
import { readProcedureFile } from "../procedures/read-records.ts";
import { readDvhcvn } from "../units/dvhcvn.ts";
import { adminUnitInForce, createOrgUnit, loadAdminUnits, wardOf } from "../units/units.service.ts";

export const SEED_PLAN = "seeds/000_5d25a1a03213bf5f.txt";
export const UNITS_DIR = "data/dvhcvn-2025";
export const PROCEDURES_FILE = "data/tthc-dichvucong-2026/cap-xa.jsonl";

export async function userCount(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom("users")
    .select((e) => e.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function getSetting(db: Kysely<Database>, key: string) {
  return (await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst())?.value ?? null;
}

async function putSetting(db: Kysely<Database>, key: string, value: string) {
  await db.deleteFrom("settings").where("key", "=", key).execute();
  await db.insertInto("settings").values({ key, value }).execute();
}

/** The province's department of the demo's province account, kept as an organisational unit of the province. */
const PROVINCE_DEPARTMENT = { code: "SNV", name: "Sở Nội vụ" } as const;

/** Demo accounts: one per role, officers for two units; passwords are random and shown once. */
const DEMO_STAFF = [
  { username: "vanphong", displayName: "Cán bộ Văn phòng – Thống kê", role: "coordinator", unit: "office" },
  { username: "lanhdao", displayName: "Chủ tịch UBND phường", role: "leader", unit: null },
  { username: "vanhoa", displayName: "Công chức Văn hóa – Xã hội", role: "officer", unit: "culture_social" },
  { username: "daitruyenthanh", displayName: "Cán bộ Đài truyền thanh", role: "officer", unit: "radio" },
  // The higher level: a specialist of the province's Department of Home Affairs (requests, the roll-up report).
  { username: "capthi", displayName: "Chuyên viên Sở Nội vụ", role: "coordinator", unit: PROVINCE_DEPARTMENT.code },
] as const;

export interface FirstStart {
  /** Lines to print once: credentials or the setup code. */
  lines: string[];
}

/** Run once at start: load the demo when possible, else prepare the first-run setup. Idempotent. */
export async function firstStart(
  db: Db,
  opts: { sharedDir: string; defaultWard: string; now: Date; loadDemo?: boolean },
): Promise<FirstStart> {
  const k = db.kysely;
  if ((await userCount(k)) > 0) return { lines: [] };
  const unitsDir = path.join(opts.sharedDir, UNITS_DIR);
  if (opts.loadDemo !== false && fs.existsSync(unitsDir)) return loadDemo(db, opts);
  // Only the code's hash is kept, so a later start (another process, a restart) cannot print it again; it keeps
  // the code already printed valid rather than replacing it, which would void the code the operator holds.
  if (await getSetting(k, "setup_code_sha256")) return { lines: [SETUP_CODE_PRINTED] };
  return { lines: [await newSetupCode(k)] };
}

export const SETUP_CODE_PRINTED =
  "Thiết lập lần đầu: mở /thiet-lap và nhập mã thiết lập đã in ra ở lần khởi động đầu tiên (mất mã: npm run -s cli -- setup-code tạo mã mới, mã cũ hết hiệu lực).";

/** A new setup code, replacing any earlier one (`cli setup-code`); only its hash is stored. Returns the line to print. */
export async function newSetupCode(k: Kysely<Database>): Promise<string> {
  const code = randomBytes(6).toString("hex");
  await putSetting(k, "setup_code_sha256", createHash("sha256").update(code).digest("hex"));
  return `Thiết lập lần đầu: mở /thiet-lap và nhập mã thiết lập ${code}`;
}

async function loadDemo(db: Db, opts: { sharedDir: string; defaultWard: string; now: Date }): Promise<FirstStart> {
  const k = db.kysely;
  const dataset = await readDvhcvn(path.join(opts.sharedDir, UNITS_DIR));
  await loadAdminUnits(db, dataset);
  const today = vnToday(opts.now);
  const unit = await adminUnitInForce(k, opts.defaultWard, today);
  if (!unit) throw new Error(`Không có đơn vị hành chính mã ${opts.defaultWard} trong dữ liệu đơn vị hành chính.`);
  const ward = await wardOf(k, unit, "");
  const unitIds = new Map<string, number>();
  for (const u of DEFAULT_WARD_UNITS) {
    unitIds.set(
      u.code,
      await createOrgUnit(
        k,
        SYSTEM_ACTOR,
        { wardId: unit.id, name: u.name, code: u.code, aliases: [...u.aliases] },
        opts.now,
      ),
    );
  }
  const password = randomPassword();
  const admin = await createUser(
    k,
    SYSTEM_ACTOR,
    // The demo's administrator is also the deployment operator (one ward: the first admin is one).
    { username: "quantri", displayName: "Quản trị viên", password, role: "admin", wardId: unit.id, operator: true },
    opts.now,
  );
  if (!admin.ok) throw new Error(`Không tạo được tài khoản quản trị: ${JSON.stringify(admin.errors)}`);
  const lines = [`Quản trị viên: quantri / ${password}`];
  if (ward.province)
    unitIds.set(
      PROVINCE_DEPARTMENT.code,
      await createOrgUnit(
        k,
        SYSTEM_ACTOR,
        { wardId: ward.province.id, name: PROVINCE_DEPARTMENT.name, code: PROVINCE_DEPARTMENT.code },
        opts.now,
      ),
    );
  for (const s of DEMO_STAFF) {
    const atProvince = s.unit === PROVINCE_DEPARTMENT.code;
    if (atProvince && !ward.province) continue;
    const pw = randomPassword();
    const r = await createUser(
      k,
      SYSTEM_ACTOR,
      {
        username: s.username,
        displayName: s.displayName,
        password: pw,
        role: s.role,
        wardId: atProvince && ward.province ? ward.province.id : unit.id,
        orgUnitId: s.unit ? (unitIds.get(s.unit) ?? null) : null,
      },
      opts.now,
    );
    if (r.ok)
      lines.push(
        `Tài khoản mẫu (${atProvince ? `${s.role}, ${PROVINCE_DEPARTMENT.name}` : s.role}): ${s.username} / ${pw}`,
      );
  }
  const proceduresFile = path.join(opts.sharedDir, PROCEDURES_FILE);
  if (fs.existsSync(proceduresFile)) {
    const read = await readProcedureFile(fs.readFileSync(proceduresFile), path.basename(proceduresFile));
    const r = await importProcedures(k, SYSTEM_ACTOR, read.rows, read.problems, {
      dryRun: false,
      today,
      now: opts.now,
    });
    if (!r.ok) lines.push(`Không nhập được danh mục thủ tục mẫu: ${r.problems.length} dòng lỗi.`);
  }
  const seedFile = path.join(opts.sharedDir, SEED_PLAN);
  if (fs.existsSync(seedFile)) {
    const r = await confirmPlanImport(k, SYSTEM_ACTOR, ward, fs.readFileSync(seedFile, "utf8"), {
      now: opts.now,
      today,
    });
    if (!r.ok) lines.push(`Không nhập được kế hoạch mẫu: ${r.error}`);
  }
  return { lines };
}

/** Finish the first-run setup without demo data: one commune, its province, its units and the first administrator. */
export async function completeSetup(
  db: Db,
  input: {
    code: string;
    wardCode: string;
    wardName: string;
    provinceCode: string;
    provinceName: string;
    username: string;
    displayName: string;
    password: string;
  },
  now: Date,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
  const k = db.kysely;
  const expected = await getSetting(k, "setup_code_sha256");
  if (!expected || (await userCount(k)) > 0) return { ok: false, errors: { code: "Hệ thống đã được thiết lập." } };
  if (createHash("sha256").update(input.code.trim()).digest("hex") !== expected)
    return { ok: false, errors: { code: "Mã thiết lập không đúng (xem dòng in ra khi khởi động)." } };
  const errors: Record<string, string> = {};
  if (!/^\d{5}$/.test(input.wardCode)) errors.wardCode = "Mã xã, phường gồm 5 chữ số.";
  if (!/^(Xã|Phường|Đặc khu|Thị trấn) \S/u.test(squash(nfc(input.wardName))))
    errors.wardName = "Tên bắt đầu bằng Xã, Phường hoặc Đặc khu, ví dụ “Phường Đức Phổ”.";
  if (!/^\d{2}$/.test(input.provinceCode)) errors.provinceCode = "Mã tỉnh gồm 2 chữ số.";
  if (!/^(Tỉnh|Thành phố) \S/u.test(squash(nfc(input.provinceName))))
    errors.provinceName = "Tên tỉnh bắt đầu bằng Tỉnh hoặc Thành phố.";
  if (Object.keys(errors).length) return { ok: false, errors };
  const wardName = squash(nfc(input.wardName));
  const provinceName = squash(nfc(input.provinceName));
  const short = (n: string) => n.replace(/^(Xã|Phường|Đặc khu|Thị trấn|Tỉnh|Thành phố)\s+/u, "");
  const typeOf = (n: string) => foldWords(n.slice(0, n.length - short(n).length)).replace(/ /g, "_");
  const ward = await k.transaction().execute(async (trx) => {
    const province = await trx
      .insertInto("admin_units")
      .values({
        code: input.provinceCode,
        name: provinceName,
        short_name: short(provinceName),
        type: provinceName.startsWith("Tỉnh") ? "tinh" : "thanh_pho_tw",
        level: "province",
        parent_id: null,
        valid_from: null,
        valid_to: null,
        name_key: foldWords(short(provinceName)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const commune = await trx
      .insertInto("admin_units")
      .values({
        code: input.wardCode,
        name: wardName,
        short_name: short(wardName),
        type: typeOf(wardName),
        level: "commune",
        parent_id: province.id,
        valid_from: null,
        valid_to: null,
        name_key: foldWords(short(wardName)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      SYSTEM_ACTOR,
      {
        action: "setup.ward",
        entity: "admin_unit",
        entityId: commune.id,
        wardId: commune.id,
        after: { wardCode: input.wardCode, wardName, provinceName },
      },
      now,
    );
    return commune.id;
  });
  const user = await createUser(
    k,
    SYSTEM_ACTOR,
    // The first administrator is also the deployment operator: on a one-ward install nobody else could be.
    {
      username: input.username,
      displayName: input.displayName,
      password: input.password,
      role: "admin",
      wardId: ward,
      operator: true,
    },
    now,
  );
  if (!user.ok) {
    // Keep the commune (harmless) but let the form be sent again.
    return { ok: false, errors: user.errors };
  }
  for (const u of DEFAULT_WARD_UNITS)
    await createOrgUnit(k, SYSTEM_ACTOR, { wardId: ward, name: u.name, code: u.code, aliases: [...u.aliases] }, now);
  await putSetting(k, "default_ward", input.wardCode);
  await k.deleteFrom("settings").where("key", "=", "setup_code_sha256").execute();
  return { ok: true };
}
