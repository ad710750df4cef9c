/** Every route of the survey feature, for one mount at "/": the API, the staff page, the public pages (also /w/{ward}). */
import { Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { surveysApi } from "./surveys.api.ts";
import { surveysPublicRoutes } from "./surveys.public.tsx";
import { surveysStaffRoutes } from "./surveys.staff.tsx";

export function surveysRoutes() {
  const app = new Hono<AppEnv>();
  app.route("/api/v1", surveysApi());
  app.route("/quan-tri", surveysStaffRoutes());
  app.route("/", surveysPublicRoutes());
  app.route("/w/:ward", surveysPublicRoutes());
  return app;
}
