/** Command line: import-plan, create-user, grant-sso, backup, restore, import-units, import-procedures, purge-personal-data, demo-data, prerender, setup-code. Same environment as the server. */

import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Actor } from "./core/audit.ts";
import { randomPassword } from "./core/auth/passwords.ts";
import { PROVINCE_ROLES, type ROLES, WARD_ROLES } from "./core/auth/roles.ts";
import { type Config, ConfigError, loadConfig } from "./core/config.ts";
import { DataFolderError, refuseForeignDatabase, refuseLostSqliteDatabase } from "./core/data-folder.ts";
import { type Db, openDatabase } from "./core/db/connection.ts";
import { migrateToLatest } from "./core/db/migrate.ts";
import { withSetupLock } from "./core/db/setup-lock.ts";
import { DATABASE_STORE_NEEDS_POSTGRES, fileStoreOf } from "./core/file-store.ts";
import { megabytes } from "./core/files.ts";
import { vnToday } from "./core/text/vi.ts";
import { communesWithPortal } from "./core/wards.ts";
import { createUser } from "./features/accounts/accounts.service.ts";
import { createProvinceAccount } from "./features/accounts/province-accounts.service.ts";
import { grantSsoAccount } from "./features/accounts/users.service.ts";
import { PostgresToolError } from "./features/backup/backup.postgres.ts";
import { BackupError, createBackup } from "./features/backup/backup.service.ts";
import { restoreBackup } from "./features/backup/restore.service.ts";
import { ArchiveError } from "./features/backup/tar.ts";
import { DemoDataError, generateDemoData } from "./features/demo-data/demo-data.service.ts";
import { readPlanDocument } from "./features/plans/plan-document.ts";
import { confirmPlanImport } from "./features/plans/plans.service.ts";
import { purgeExpiredPersonalData } from "./features/privacy/privacy.service.ts";
import { nextDay, queueCopies, renderCopies } from "./features/procedures/page-copies.tsx";
import { importDecision } from "./features/procedures/procedures.lifecycle.ts";
import { importProcedures } from "./features/procedures/procedures.service.ts";
import { readProcedureFile } from "./features/procedures/read-records.ts";
import { purgeSearchLog, SEARCH_LOG_RETENTION_DEFAULT } from "./features/search/search-log.ts";
import { firstStart, newSetupCode, userCount } from "./features/setup/setup.service.ts";
import { readDvhcvn } from "./features/units/dvhcvn.ts";
import { adminUnitInForce, loadAdminUnits, resolveWard } from "./features/units/units.service.ts";

const CLI_ACTOR: Actor = { userId: null, name: "cli", wardId: null };
const USAGE = `Cách dùng: npm run -s cli -- <lệnh>
  import-plan TỆP [--ward MÃ] [--create-units] [--replace]
                                     nhập kế hoạch (.txt, .md, .docx); đơn vị chưa có → dừng và liệt kê, trừ khi
                                     --create-units; thay phần lớn nhiệm vụ của kế hoạch đã lưu cần --replace
  create-user --username TÊN --name "Họ tên" --role ${WARD_ROLES.join("|")} [--unit MÃ_ĐƠN_VỊ] [--ward MÃ] [--operator]
                                     --operator: người vận hành hệ thống (sửa dữ liệu dùng chung toàn quốc)
  create-user --province MÃ_TỈNH --username TÊN --name "Họ tên" --role ${Object.keys(PROVINCE_ROLES).join("|")} [--unit "Sở Nội vụ"]
                                     tài khoản cấp tỉnh (xem mọi xã, phường của tỉnh; yêu cầu và báo cáo tổng hợp);
                                     --unit: sở, ngành của tỉnh (tạo mới nếu tỉnh chưa có, ký hiệu lấy chữ đầu: SNV)
  grant-sso --email THƯ --role ${WARD_ROLES.join("|")} --ward MÃ [--unit MÃ_ĐƠN_VỊ] [--username TÊN] [--name "Họ tên"]
                                     cấp quyền đăng nhập một lần (OIDC_ISSUER) cho người có địa chỉ thư THƯ ở hệ thống
                                     của tỉnh: tài khoản đã được cấp thư đó nhận vai trò, đơn vị; chưa có thì tạo mới
  backup TỆP.tar.gz                  sao lưu cơ sở dữ liệu và mọi tệp đã lưu, kèm tổng kiểm SHA-256 (khi máy chủ đang chạy cũng được)
  restore TỆP.tar.gz                 kiểm tra rồi khôi phục vào DATA_DIR (từ chối khi máy chủ đang dùng thư mục này)
  import-units [THƯ_MỤC]             nạp danh mục đơn vị hành chính (mặc định CCHC_SHARED_DIR/data/dvhcvn-2025)
  import-procedures TỆP [--decision SỐ --decided-on YYYY-MM-DD --effective-from YYYY-MM-DD] [--province MÃ] [--dry-run]
                                     nhập thủ tục hành chính (.jsonl, .csv, .xlsx của Cổng Dịch vụ công)
  purge-personal-data [--dry-run]    xoá dữ liệu cá nhân đã quá PERSONAL_DATA_RETENTION_DAYS ngày kể từ khi kết thúc
  setup-code                         tạo mã thiết lập lần đầu mới (khi chưa có tài khoản nào và đã mất mã in ra lúc khởi động)
  purge-search-log                   xoá nhật ký tìm kiếm cũ hơn SEARCH_LOG_RETENTION_DAYS ngày (0: xoá hết)
  demo-data --wards N --years Y [--seed S] [--activities A] [--replace]
                                     dữ liệu mẫu giả lập (không có dữ liệu cá nhân thật) cho N xã, phường (xã, phường
                                     mặc định và tỉnh của nó trước) trong Y năm gần nhất, kể cả các xã cũ trước sáp nhập;
                                     A hoạt động mỗi xã, mỗi năm (mặc định 2000); cùng S → cùng dữ liệu; --replace xoá
                                     dữ liệu đã có của các xã, phường đó rồi tạo lại
  prerender [--ward MÃ,MÃ…]          dựng sẵn bảng niêm yết và danh mục thủ tục của hôm nay cho mọi xã, phường có cổng
                                     (hoặc những xã, phường đã nêu), và xếp lịch dựng bản của ngày mai vào tối nay`;

class CliError extends Error {}

/** npm runs scripts from the package folder; a relative path means the caller's folder (INIT_CWD). */
const fromCaller = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ward: { type: "string" },
      email: { type: "string" },
      username: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      unit: { type: "string" },
      decision: { type: "string" },
      "decided-on": { type: "string" },
      "effective-from": { type: "string" },
      issuer: { type: "string" },
      province: { type: "string" },
      "dry-run": { type: "boolean" },
      operator: { type: "boolean" },
      "create-units": { type: "boolean" },
      replace: { type: "boolean" },
      wards: { type: "string" },
      years: { type: "string" },
      seed: { type: "string" },
      activities: { type: "string" },
    },
  });
  const config = loadConfig();
  if (config.fileStore === "database" && !config.databaseUrl) throw new CliError(DATABASE_STORE_NEEDS_POSTGRES);
  if (command === "backup" || command === "restore") return backupOrRestore(command, positionals[0], config);
  if (
    !command ||
    ![
      "import-plan",
      "create-user",
      "grant-sso",
      "import-units",
      "import-procedures",
      "purge-personal-data",
      "purge-search-log",
      "demo-data",
      "setup-code",
      "prerender",
    ].includes(command)
  )
    throw new CliError(USAGE);

  // Never create an empty database in a folder whose portal database is lost (the server would then start on it).
  refuseLostSqliteDatabase(config);
  const db = openDatabase(config);
  try {
    await refuseForeignDatabase(db, config);
    // One at a time with the servers' start (core/db/setup-lock.ts).
    await withSetupLock(db, () => migrateToLatest(db));
    const now = new Date();
    const today = vnToday(now);
    if (command === "setup-code") {
      // Only before the first start is done: afterwards the setup page refuses any code.
      if ((await userCount(db.kysely)) > 0) throw new CliError("Hệ thống đã được thiết lập: không cần mã thiết lập.");
      console.log(await newSetupCode(db.kysely));
      return;
    }
    if (command === "purge-personal-data") {
      const days = config.personalDataRetentionDays ?? 0;
      const r = await purgeExpiredPersonalData(db.kysely, {
        retentionDays: days,
        now,
        dryRun: values["dry-run"] === true,
        files: fileStoreOf({ db, config }),
      });
      if (days === 0) console.log("PERSONAL_DATA_RETENTION_DAYS=0: dữ liệu cá nhân được giữ, không xoá gì.");
      else if (r.dryRun) console.log(`Kiểm tra, chưa xoá: ${r.due.length} mục đã quá ${days} ngày.`);
      else console.log(`Đã xoá dữ liệu cá nhân của ${r.erased} mục đã quá ${days} ngày.`);
      console.log(
        JSON.stringify({ dryRun: r.dryRun, retentionDays: days, due: r.due.map((d) => d.code), erased: r.erased }),
      );
      return;
    }
    if (command === "purge-search-log") {
      const days = config.searchLogRetentionDays ?? SEARCH_LOG_RETENTION_DEFAULT;
      const deleted = await purgeSearchLog(db, days, now);
      console.log(
        days === 0
          ? `SEARCH_LOG_RETENTION_DAYS=0: nhật ký tìm kiếm tắt, đã xoá ${deleted} dòng.`
          : `Đã xoá ${deleted} dòng nhật ký tìm kiếm cũ hơn ${days} ngày.`,
      );
      console.log(JSON.stringify({ retentionDays: days, deleted }));
      return;
    }
    if (command === "demo-data") {
      const int = (v: string | undefined, fallback: number | null, flag: string) => {
        if (v === undefined) {
          if (fallback === null)
            throw new CliError(`Thiếu ${flag}. Ví dụ: npm run -s cli -- demo-data --wards 96 --years 2`);
          return fallback;
        }
        if (!/^\d+$/.test(v)) throw new CliError(`${flag} phải là số nguyên không âm (đã nhập “${v}”).`);
        return Number(v);
      };
      // A deployment nobody has started yet (no accounts, no units) becomes the demo first (units, the demo ward's
      // staff, the procedures, the seed plan), as the server's first start would: its accounts make the generated
      // wards usable, and a later start finds accounts and leaves the generated units alone.
      // Under the setup lock: a server starting meanwhile does not make its own first start beside this one.
      const lines = await withSetupLock(db, async () => {
        const started =
          (await userCount(db.kysely)) > 0 ||
          (await db.kysely.selectFrom("org_units").select("id").limit(1).executeTakeFirst()) !== undefined;
        if (started) return [];
        return (await firstStart(db, { sharedDir: config.sharedDir, defaultWard: config.defaultWard, now })).lines;
      });
      for (const line of lines) console.error(line);
      const summary = await generateDemoData(db, {
        wards: int(values.wards, null, "--wards"),
        years: int(values.years, null, "--years"),
        seed: int(values.seed, 1, "--seed"),
        activities: int(values.activities, 2000, "--activities"),
        replace: values.replace === true,
        now,
        sharedDir: config.sharedDir,
        firstWard: config.defaultWard,
        log: (line) => console.error(line),
      }).catch((e) => {
        if (e instanceof DemoDataError) throw new CliError(e.message);
        throw e;
      });
      console.log(JSON.stringify(summary));
      return;
    }
    if (command === "prerender") {
      const codes = values.ward
        ? [...new Set(values.ward.split(",").map((c) => c.trim()))]
        : await communesWithPortal(db.kysely, today);
      // Named wards are checked before anything is rendered: a typo is said, not skipped in silence.
      const unknown = [];
      for (const code of codes)
        if (!/^\d{5}$/.test(code) || (await adminUnitInForce(db.kysely, code, today))?.level !== "commune")
          unknown.push(code);
      if (unknown.length > 0)
        throw new CliError(`Không có xã, phường nào mang mã ${unknown.join(", ")} vào hôm nay (mã gồm 5 chữ số).`);
      const started = performance.now();
      let rendered = 0;
      for (const [i, code] of codes.entries()) {
        const job = {
          code,
          day: today,
          publicUrl: config.publicUrl,
          procedureLevels: config.procedureLevels,
          defaultWard: config.defaultWard,
        };
        rendered += await renderCopies(db, job, new Date());
        await queueCopies(db, { ...job, day: nextDay(today) }, new Date());
        if ((i + 1) % 100 === 0) console.error(`${i + 1}/${codes.length} xã, phường…`);
      }
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      console.log(`Đã dựng sẵn ${rendered} trang cho ${codes.length} xã, phường trong ${seconds} giây.`);
      console.log(JSON.stringify({ wards: codes.length, rendered, seconds }));
      return;
    }
    if (command === "import-units") {
      const dir = positionals[0] ? fromCaller(positionals[0]) : path.join(config.sharedDir, "data/dvhcvn-2025");
      const r = await loadAdminUnits(db, await readDvhcvn(dir));
      console.log(
        r.loaded
          ? `Đã nạp ${r.units} đơn vị hành chính và ${r.links} liên kết.`
          : "Danh mục đơn vị hành chính đã có, không nạp lại.",
      );
      return;
    }
    if (command === "import-procedures") {
      const file = positionals[0];
      if (!file) throw new CliError("Thiếu tên tệp thủ tục. Ví dụ: npm run -s cli -- import-procedures cap-xa.jsonl");
      const full = fromCaller(file);
      if (!fs.existsSync(full)) throw new CliError(`Không tìm thấy tệp ${full}.`);
      const options = importDecision({
        decision: values.decision ?? "",
        decidedOn: values["decided-on"] ?? "",
        effectiveFrom: values["effective-from"] ?? "",
        issuer: values.issuer ?? "",
      });
      if (!options.ok) throw new CliError(Object.values(options.errors).join("\n"));
      let provinceId: number | null = null;
      if (values.province) {
        const province = await adminUnitInForce(db.kysely, values.province, today);
        if (province?.level !== "province") throw new CliError(`Không có tỉnh, thành phố mã ${values.province}.`);
        provinceId = province.id;
      }
      const dryRun = values["dry-run"] === true;
      const read = await readProcedureFile(fs.readFileSync(full), path.basename(full));
      const report = await importProcedures(db.kysely, CLI_ACTOR, read.rows, read.problems, {
        decision: options.decision,
        provinceId,
        dryRun,
        today,
        now,
      });
      const c = report.counts;
      const counts = `${c.new} mới, ${c.changed} thay đổi, ${c.unchanged} không đổi`;
      for (const p of report.problems) console.error(`Dòng ${p.line}${p.code ? ` (mã ${p.code})` : ""}: ${p.reason}`);
      if (!report.ok) throw new CliError(`Không nhập gì: tệp có ${c.bad} dòng lỗi (${counts}).`);
      console.log(dryRun ? `Kiểm tra, chưa ghi: ${counts}.` : `Đã nhập: ${counts}.`);
      console.log(JSON.stringify({ dryRun, ...c }));
      return;
    }
    if (command === "create-user" && values.province) {
      // A province's account: the same service as the operator's staff page (/quan-tri/tinh/{code}/tai-khoan).
      const r = await createProvinceAccount(
        db.kysely,
        CLI_ACTOR,
        {
          province: values.province,
          department: values.unit ?? null,
          username: values.username ?? "",
          displayName: values.name ?? "",
          role: values.role ?? "",
          password: process.env.CCHC_NEW_PASSWORD ?? "",
        },
        now,
      );
      if (!r.ok) throw new CliError(Object.values(r.errors).join("\n"));
      const { province, department, generatedPassword } = r.value;
      if (department?.created)
        console.log(`Đã tạo đơn vị ${department.name} (${department.code}) của ${province.name}.`);
      console.log(`Đã tạo tài khoản ${values.username?.trim().toLowerCase()} (${values.role}, ${province.name}).`);
      if (generatedPassword) console.log(`Mật khẩu: ${generatedPassword}`);
      return;
    }
    if (command === "grant-sso") return await grantSso(db, config, values, now);
    const ward = await resolveWard(
      db.kysely,
      values.ward && command === "create-user" ? values.ward : config.defaultWard,
      today,
      config.defaultWard,
    );
    if (!ward)
      throw new CliError(
        `Không có xã, phường mã ${config.defaultWard}. Hãy chạy máy chủ một lần hoặc nạp đơn vị hành chính trước.`,
      );

    if (command === "import-plan") {
      const file = positionals[0];
      if (!file) throw new CliError("Thiếu tên tệp kế hoạch. Ví dụ: npm run -s cli -- import-plan ke-hoach.txt");
      const full = fromCaller(file);
      if (!fs.existsSync(full)) throw new CliError(`Không tìm thấy tệp ${full}.`);
      const doc = await readPlanDocument(fs.readFileSync(full));
      if (!doc.ok) throw new CliError(doc.error);
      let issuingWardId: number | null = null;
      if (values.ward) {
        const issuing = await resolveWard(db.kysely, values.ward, today, config.defaultWard);
        if (!issuing) throw new CliError(`Không có xã, phường mã ${values.ward}.`);
        issuingWardId = issuing.unit.id;
      }
      // Never create units silently: unknown ones stop the import unless --create-units says to create them.
      const r = await confirmPlanImport(db.kysely, CLI_ACTOR, ward, doc.text, {
        issuingWardId,
        now,
        today,
        unknownUnits: values["create-units"] === true ? "create" : "refuse",
        replace: values.replace === true,
      });
      if (!r.ok) throw new CliError(r.error);
      const verb = { created: "Đã nhập", updated: "Đã cập nhật", unchanged: "Không có thay đổi:" }[r.outcome];
      console.log(`${verb} kế hoạch #${r.planId}.`);
      for (const u of r.createdUnits) console.log(`Đã tạo đơn vị mới: ${u}`);
      if (r.attachedActivities)
        console.log(`Đã gắn ${r.attachedActivities} hoạt động ghi nhận khi chưa có kế hoạch vào kế hoạch này.`);
      console.log(
        JSON.stringify({
          planId: r.planId,
          outcome: r.outcome,
          createdUnits: r.createdUnits,
          attachedActivities: r.attachedActivities,
        }),
      );
      return;
    }

    // create-user: a ward's account (a province's is above)
    const role = values.role ?? "";
    const account = { wardId: ward.unit.id, orgUnitId: null as number | null };
    if (values.unit) account.orgUnitId = await orgUnitOf(db, ward.unit, values.unit);
    const password = process.env.CCHC_NEW_PASSWORD || randomPassword();
    const r = await createUser(
      db.kysely,
      CLI_ACTOR,
      {
        username: values.username ?? "",
        displayName: values.name ?? "",
        password,
        role: role as keyof typeof ROLES,
        orgUnitId: account.orgUnitId,
        wardId: account.wardId,
        operator: values.operator === true,
      },
      now,
    );
    if (!r.ok) throw new CliError(Object.values(r.errors).join("\n"));
    const kind = values.operator === true ? `${role}, người vận hành hệ thống` : role;
    console.log(`Đã tạo tài khoản ${values.username?.toLowerCase()} (${kind}).`);
    if (!process.env.CCHC_NEW_PASSWORD) console.log(`Mật khẩu: ${password}`);
  } finally {
    await db.close();
  }
}

/** The id of a ward's unit named by its code or its name, or an error naming the ward. */
async function orgUnitOf(db: Db, ward: { id: number; name: string }, codeOrName: string): Promise<number> {
  const unit = await db.kysely
    .selectFrom("org_units")
    .select("id")
    .where("ward_id", "=", ward.id)
    .where((eb) => eb.or([eb("code", "=", codeOrName), eb("name", "=", codeOrName)]))
    .executeTakeFirst();
  if (!unit) throw new CliError(`Không có đơn vị “${codeOrName}” trong ${ward.name}.`);
  return unit.id;
}

/**
 * grant-sso: single sign-on for a person of a ward by their e-mail at the province's provider, with the portal's
 * role and unit; the same service and checks as the administrator's account pages (users.service.ts), audited as
 * "cli".
 */
async function grantSso(
  db: Db,
  config: Config,
  values: { email?: string; role?: string; ward?: string; unit?: string; username?: string; name?: string },
  now: Date,
): Promise<void> {
  if (!config.sso)
    throw new CliError(
      "Chưa cấu hình đăng nhập một lần: hãy đặt OIDC_ISSUER, OIDC_CLIENT_ID và PUBLIC_URL như máy chủ rồi chạy lại.",
    );
  if (!values.email) throw new CliError("Thiếu --email: địa chỉ thư điện tử của người ở hệ thống của tỉnh.");
  if (!values.role) throw new CliError(`Thiếu --role: một trong ${WARD_ROLES.join(", ")}.`);
  if (!values.ward) throw new CliError("Thiếu --ward: mã xã, phường của tài khoản (ví dụ 21439).");
  const ward = await resolveWard(db.kysely, values.ward, vnToday(now), config.defaultWard);
  if (!ward || ward.unit.code !== values.ward)
    throw new CliError(`Không có xã, phường mã ${values.ward} trên cổng thông tin này.`);
  const orgUnitId = values.unit ? await orgUnitOf(db, ward.unit, values.unit) : null;
  const r = await grantSsoAccount(
    db.kysely,
    CLI_ACTOR,
    {
      wardId: ward.unit.id,
      email: values.email,
      role: values.role,
      orgUnitId,
      username: values.username,
      displayName: values.name,
    },
    now,
  );
  if (!r.ok) throw new CliError(Object.values(r.errors).join("\n"));
  const { username, outcome } = r.value;
  const what = `${username} (${values.role}, ${ward.unit.name})`;
  console.log(
    outcome === "created"
      ? `Đã tạo tài khoản ${what} và cấp đăng nhập một lần cho ${values.email.trim().toLowerCase()}.`
      : outcome === "changed"
        ? `Đã cập nhật vai trò, đơn vị của tài khoản ${what}, đã được cấp ${values.email.trim().toLowerCase()}.`
        : `Không có thay đổi: tài khoản ${what} đã được cấp ${values.email.trim().toLowerCase()}.`,
  );
  console.log(JSON.stringify({ userId: r.value.id, username, outcome }));
}

/** Backup and restore of the database with every stored file (src/features/backup). */
async function backupOrRestore(
  command: "backup" | "restore",
  file: string | undefined,
  config: ReturnType<typeof loadConfig>,
) {
  if (!file) throw new CliError(`Thiếu tên tệp. Ví dụ: npm run -s cli -- ${command} sao-luu-2026-12-06.tar.gz`);
  const target = fromCaller(file);
  if (command === "backup") {
    const r = await createBackup(config, target);
    console.log(
      `Đã sao lưu cơ sở dữ liệu (${megabytes(r.databaseBytes)}) và ${r.files} tệp đính kèm, minh chứng (${megabytes(r.fileBytes)}) vào ${r.file} (${megabytes(r.archiveBytes)}).`,
    );
    console.log(JSON.stringify({ ...r, missingFiles: r.missingFiles.length }));
    if (r.missingFiles.length > 0)
      throw new CliError(
        `Cảnh báo: bản sao lưu đã ghi nhưng thiếu ${r.missingFiles.length} tệp mà cơ sở dữ liệu có nhắc tới (không còn hoặc bị hỏng trong ${config.fileStore === "database" ? "kho tệp của cơ sở dữ liệu (FILE_STORE=database)" : path.join(config.dataDir, "files")}):\n${r.missingFiles.map((m) => `  ${m.sha256} (${m.reason === "missing" ? "không còn" : "bị hỏng"})`).join("\n")}`,
      );
    return;
  }
  const r = await restoreBackup(config, target).catch((e) => {
    if (e instanceof ArchiveError || e instanceof BackupError || e instanceof PostgresToolError)
      throw new CliError(
        `${e.message}\nKhông khôi phục: chưa ghi gì vào ${config.dataDir}${config.databaseUrl ? " và cơ sở dữ liệu PostgreSQL" : ""}.`,
      );
    throw e;
  });
  console.log(
    `Đã kiểm tra và khôi phục bản sao lưu lập lúc ${r.createdAt}: cơ sở dữ liệu ${r.dialect === "sqlite" ? config.sqliteFile : "PostgreSQL"} và ${r.files} tệp vào ${config.fileStore === "database" ? "kho tệp của cơ sở dữ liệu (FILE_STORE=database)" : config.dataDir}.`,
  );
  if (r.replacedKeptIn) console.log(`Cơ sở dữ liệu cũ được giữ lại trong ${r.replacedKeptIn}.`);
  if (r.missingFiles.length > 0)
    console.error(`Cảnh báo: bản sao lưu ghi nhận ${r.missingFiles.length} tệp đã thiếu hoặc hỏng từ lúc sao lưu.`);
  console.log("Khởi động máy chủ để dùng dữ liệu đã khôi phục.");
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(
      e instanceof CliError ||
        e instanceof ConfigError ||
        e instanceof DataFolderError ||
        e instanceof BackupError ||
        e instanceof ArchiveError ||
        e instanceof PostgresToolError
        ? e.message
        : `Lỗi: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  },
);
