/** A database migrated up to (not including) one migration, to test that migration's upgrade of existing rows. */
import fs from "node:fs";
import path from "node:path";
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import type { Db } from "../../src/core/db/connection.ts";

export async function migrateBefore(db: Db, migrationPrefix: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, "../../src/core/db/migrations");
  const migrations: Record<string, Migration> = {};
  const names: string[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".ts") && n < migrationPrefix)
    .sort()) {
    const mod = (await import(path.join(dir, f))) as { up?: (k: Kysely<unknown>, ctx: unknown) => Promise<void> };
    const up = mod.up;
    if (!up) continue; // a migration's frozen helper copy exports no `up`
    names.push(f.replace(/\.ts$/, ""));
    migrations[f.replace(/\.ts$/, "")] = { up: (k: Kysely<unknown>) => up(k, { dialect: db.dialect }) };
  }
  const schema =
    db.dialect === "postgres"
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateTo(names.at(-1) ?? "");
  if (error) throw error;
}
