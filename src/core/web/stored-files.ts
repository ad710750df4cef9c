/**
 * `GET /quan-tri/tep/:id`: the one route that serves stored files, to signed-in staff, after the owning record's
 * own rule (`openStoredFile` asks the owner kind's registered authorisation). Never cached, always downloaded
 * (never shown inline), with the sniffed type and `nosniff`.
 */
import { Hono } from "hono";
import { fileStoreOf } from "../file-store.ts";
import { contentDisposition, downloadName, type FileOwners, openStoredFile } from "../files.ts";
import type { AppEnv } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { requireStaff } from "./middleware.ts";
import { sessionOf } from "./staff.ts";

/** The path of a stored file's download, for links. */
export const storedFileHref = (fileId: number) => `/quan-tri/tep/${fileId}`;

export function storedFileRoutes(owners: FileOwners) {
  const app = new Hono<AppEnv>();
  app.get("/tep/:id{[0-9]+}", requireStaff, async (c) => {
    const { user } = sessionOf(c);
    // On staff pages the ward in play is the user's own (staffWard), with the predecessors it carries on.
    const viewer = {
      ...user,
      wardScope: c.get("ward")?.unit.id === user.ward_id ? c.get("ward").scopeIds : [user.ward_id],
    };
    const deps = c.get("deps");
    const file = await openStoredFile(
      { db: deps.db, files: fileStoreOf(deps) },
      owners,
      viewer,
      Number(c.req.param("id")),
    );
    if (!file.ok && file.status === 403) throw forbidden("Bạn không có quyền xem tệp này.");
    if (!file.ok) throw notFound("Không tìm thấy tệp.");
    c.header("Content-Type", file.row.mime);
    c.header("Content-Disposition", contentDisposition(downloadName(file.row)));
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "no-store");
    c.header("Content-Length", String(file.bytes.length));
    return c.body(file.bytes as Uint8Array<ArrayBuffer>);
  });
  return app;
}
