/** Start: config → database → migrations → first start (demo or setup) → app → listen. */
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "./app.tsx";
import { ConfigError, loadConfig } from "./core/config.ts";
import { openDatabase } from "./core/db/connection.ts";
import { migrateToLatest } from "./core/db/migrate.ts";
import { createLogger } from "./core/log.ts";
import { firstStart } from "./features/setup/setup.service.ts";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const db = openDatabase(config);
  await migrateToLatest(db);
  const saved = await db.kysely
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "default_ward")
    .executeTakeFirst();
  if (saved && !process.env.DEFAULT_WARD) config.defaultWard = saved.value;

  const first = await firstStart(db, { sharedDir: config.sharedDir, defaultWard: config.defaultWard, now: new Date() });
  // Credentials go to the terminal once, never to the structured log.
  for (const line of first.lines) console.log(line);

  const app = createApp(
    { db, config, clock: () => new Date(), log },
    { remoteAddress: (c) => getConnInfo(c).remote.address },
  );
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(
      `CCHC đang chạy tại http://localhost:${info.port} (cơ sở dữ liệu: ${db.dialect === "sqlite" ? config.sqliteFile : "PostgreSQL"})`,
    );
  });
  const stop = async () => {
    server.close();
    await db.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(`Không khởi động được: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
