/**
 * The core imports no feature (features build on the core, never the reverse), and a migration imports no live
 * code: one that read a feature's constant would write different data into a new database than it wrote into an
 * old one. Read from the source files themselves, so a new file is checked without being listed.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

const CORE = path.dirname(new URL(import.meta.url).pathname);
const FEATURES = path.resolve(CORE, "../features");
const MIGRATIONS = path.join(CORE, "db/migrations");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** Every module a file names: static imports, re-exports and dynamic imports. */
export function importedSpecifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1] as string);
  return out;
}

const resolved = (file: string, spec: string) => (spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : spec);

test("the specifier reader sees imports, re-exports, type-only and dynamic imports", () => {
  const src = `import a from "./a.ts";\nimport type { B } from '../b.ts';\nexport { c } from "./c.ts";\nimport {\n  d,\n} from "./d.ts";\nconst e = await import("./e.ts");\nimport "./f.ts";`;
  assert.deepEqual(importedSpecifiers(src).sort(), ["../b.ts", "./a.ts", "./c.ts", "./d.ts", "./e.ts", "./f.ts"]);
});

test("nothing under src/core imports from src/features", () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(CORE)) {
    for (const spec of importedSpecifiers(fs.readFileSync(file, "utf8"))) {
      const target = resolved(file, spec);
      if (target.startsWith(`${FEATURES}${path.sep}`) || /(^|\/)features\//.test(spec))
        wrong.push(`${path.relative(CORE, file)} → ${spec}`);
    }
  }
  assert.deepEqual(wrong, [], `src/core must not import features:\n${wrong.join("\n")}`);
});

test("a migration imports only kysely, node built-ins, the migration helpers and other migration files", () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(MIGRATIONS)) {
    for (const spec of importedSpecifiers(fs.readFileSync(file, "utf8"))) {
      const target = resolved(file, spec);
      const allowed =
        spec === "kysely" ||
        spec.startsWith("node:") ||
        target === path.join(CORE, "db/migrate-helpers.ts") ||
        path.dirname(target) === MIGRATIONS;
      if (!allowed) wrong.push(`${path.basename(file)} → ${spec}`);
    }
  }
  assert.deepEqual(wrong, [], `migrations must keep their own copy of what they seed:\n${wrong.join("\n")}`);
});
