/**
 * A SQLite file deleted or replaced under the running server: reads still see the open (unlinked) file, but every
 * write would vanish at the next start. Writes and /healthz answer 503 from the first request that notices, and the
 * loss is logged once as fatal; the server keeps serving reads until the operator restores and restarts.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "./context.ts";
import { AppError } from "./errors.ts";

const reported = new WeakSet<object>();

/** Why the database is lost (null while it is sound); logs it as fatal the first time. One stat call. */
export function databaseLost(deps: Pick<Deps, "db" | "config" | "log">): string | null {
  const reason = deps.db.fileLost?.() ?? null;
  if (reason && !reported.has(deps.db)) {
    reported.add(deps.db);
    deps.log.fatal(
      { file: deps.config.sqliteFile, reason },
      "database file lost: the file at the database path is no longer the open database; writes are refused (503) until the data is restored from a backup and the server restarted",
    );
  }
  return reason;
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuse every write while the database file is lost, before any handler runs. */
export const refuseWritesWhenDatabaseLost: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!READS.has(c.req.method) && databaseLost(c.get("deps")))
    throw new AppError(
      503,
      "database_lost",
      "Hệ thống đang gặp sự cố lưu trữ nên chưa nhận nội dung gửi lên. Nội dung của bạn chưa được lưu; vui lòng thử lại sau.",
    );
  await next();
};
