/** Reading a feedback form that may carry files (multipart), for the public form and the staff entry alike. */
import type { Context } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import type { FormValues } from "../../core/web/forms.tsx";
import type { Upload } from "./feedback.files.ts";

const SKIP = new Set(["__proto__", "constructor", "prototype", "_csrf"]);

/** The form's text fields (first value of each) and its files (field "files"; an empty file input sends none). */
export async function readFormWithFiles(c: Context<AppEnv>): Promise<{ values: FormValues; files: Upload[] }> {
  const body = await c.req.parseBody({ all: true });
  const values: FormValues = Object.create(null);
  const files: Upload[] = [];
  for (const [k, raw] of Object.entries(body)) {
    if (SKIP.has(k)) continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v === "string") values[k] ??= v;
      else if (k === "files" && v instanceof File && !(v.size === 0 && v.name === ""))
        files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
    }
  }
  return { values, files };
}
