/**
 * PostgreSQL's side of a backup: pg_dump and pg_restore (Debian's postgresql-client), driven with the deployment's
 * DATABASE_URL. The dump is taken in a snapshot exported from our own transaction, in which the list of stored
 * files is read too: the archive's files are exactly those the dumped database names.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { namedBlobsSql } from "./backup.manifest.ts";

/** pg_dump or pg_restore failed or is missing; the message is for the operator. */
export class PostgresToolError extends Error {}

/** The URL without its password (which goes to the tool through PGPASSWORD, never onto its command line). */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { dbname: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env } };
}

function runTool(tool: "pg_dump" | "pg_restore", args: string[], url: string | null): Promise<string> {
  const { dbname, env } = url ? connection(url) : { dbname: null, env: process.env };
  return new Promise((resolve, reject) => {
    const child = spawn(tool, dbname ? [...args, `--dbname=${dbname}`] : args, {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    let err = "";
    child.stderr.on("data", (d) => {
      if (err.length < 20_000) err += d;
    });
    child.on("error", (e) =>
      reject(
        new PostgresToolError(
          (e as NodeJS.ErrnoException).code === "ENOENT"
            ? `Không tìm thấy ${tool}. Trên Debian/Ubuntu: apt install postgresql-client (cùng phiên bản chính với máy chủ PostgreSQL hoặc mới hơn).`
            : `Không chạy được ${tool}: ${e.message}`,
        ),
      ),
    );
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new PostgresToolError(`${tool} thất bại (mã ${code}):\n${err.trim()}`)),
    );
  });
}

export interface PostgresSnapshot {
  schema: string;
  blobs: string[];
  portalId: string | null;
}

/** pg_dump of the current schema (custom format) into `file`, and the blobs that same snapshot names. */
export async function dumpPostgres(url: string, file: string): Promise<PostgresSnapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    const head = await client.query<{ snapshot: string; schema: string | null }>(
      "select pg_export_snapshot() as snapshot, current_schema() as schema",
    );
    const { snapshot, schema } = head.rows[0] ?? { snapshot: "", schema: null };
    if (!schema) throw new PostgresToolError("Cơ sở dữ liệu PostgreSQL chưa có lược đồ của cổng (chưa khởi tạo?).");
    const radio = await client.query<{ found: boolean }>("select to_regclass('radio_bulletins') is not null as found");
    const blobs = await client.query<{ sha256: string }>(namedBlobsSql(radio.rows[0]?.found === true));
    const portal = await client.query<{ value: string }>("select value from settings where key = 'portal_id'");
    const quoted = `"${schema.replace(/"/g, '""')}"`;
    await runTool(
      "pg_dump",
      [
        "--format=custom",
        `--snapshot=${snapshot}`,
        `--schema=${quoted}`,
        // The database file store's bytes travel as the archive's files (as the data folder's do), not in the dump:
        // a restore puts them into whichever store the target uses.
        `--exclude-table-data=${quoted}.file_blobs`,
        `--exclude-table-data=${quoted}.file_chunks`,
        // Uploads waiting an hour for their confirmation (the procedure import): not worth keeping.
        `--exclude-table-data=${quoted}.staged_uploads`,
        // Pre-rendered pages (procedures/page-copies.tsx): hundreds of megabytes at national size, rendered again.
        `--exclude-table-data=${quoted}.page_copies`,
        `--file=${file}`,
      ],
      url,
    );
    await client.query("commit");
    return { schema, blobs: blobs.rows.map((r) => r.sha256), portalId: portal.rows[0]?.value ?? null };
  } finally {
    await client.end();
  }
}

/** Where a restore would land: the schema the URL's connections use, and whether the dumped schema already has tables. */
export async function postgresTarget(
  url: string,
  dumpedSchema: string,
): Promise<{ current: string | null; tables: number; schemaExists: boolean }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ current: string | null; tables: number; schemaExists: boolean }>(
      `select current_schema() as current,
         (select count(*)::int from information_schema.tables where table_schema = $1) as tables,
         exists (select 1 from pg_namespace where nspname = $1) as "schemaExists"`,
      [dumpedSchema],
    );
    return r.rows[0] ?? { current: null, tables: 0, schemaExists: false };
  } finally {
    await client.end();
  }
}

/**
 * Take back a restore whose files could not be stored after pg_restore: the target schema held no table before (the
 * restore refuses otherwise), so everything in it now came from the dump. A schema the restore created is dropped
 * whole; an existing one (`public`) is emptied of the dump's tables, sequences and functions.
 */
export async function undoPostgresRestore(url: string, schema: string, schemaExisted: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ident = client.escapeIdentifier(schema);
    if (!schemaExisted) {
      await client.query(`drop schema if exists ${ident} cascade`);
      return;
    }
    await client.query("begin");
    const tables = await client.query<{ name: string }>(
      "select tablename as name from pg_tables where schemaname = $1",
      [schema],
    );
    for (const t of tables.rows)
      await client.query(`drop table if exists ${ident}.${client.escapeIdentifier(t.name)} cascade`);
    const seqs = await client.query<{ name: string }>(
      "select sequencename as name from pg_sequences where schemaname = $1",
      [schema],
    );
    for (const s of seqs.rows)
      await client.query(`drop sequence if exists ${ident}.${client.escapeIdentifier(s.name)} cascade`);
    const fns = await client.query<{ sig: string }>(
      "select p.oid::regprocedure::text as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1",
      [schema],
    );
    for (const f of fns.rows) await client.query(`drop function if exists ${f.sig} cascade`);
    await client.query("commit");
  } finally {
    await client.end();
  }
}

/**
 * pg_restore in one transaction: on any error nothing is restored. Owners and grants are the target's own. When the
 * schema exists already (always so for `public` in a new database), its CREATE SCHEMA is left out of the list.
 */
export async function restorePostgres(url: string, file: string, existingSchema: string | null): Promise<void> {
  const args = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"];
  const list = `${file}.list`;
  try {
    if (existingSchema) {
      const toc = await runTool("pg_restore", ["--list", file], null);
      const kept = toc
        .split("\n")
        .filter(
          (line) => !line.includes(` SCHEMA - ${existingSchema} `) && !line.endsWith(` SCHEMA - ${existingSchema}`),
        );
      fs.writeFileSync(list, kept.join("\n"));
      args.push(`--use-list=${list}`);
    }
    await runTool("pg_restore", [...args, file], url);
  } finally {
    fs.rmSync(list, { force: true });
  }
}
