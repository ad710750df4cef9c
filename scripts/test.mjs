#!/usr/bin/env node
// `npm test`: every check the project has, in one command.
//
//   1. preflight: which optional suites can run (see "Skip / fail rules" below)
//   2. typecheck  (tsc --noEmit)     } run side by side, their output printed in turn
//   3. lint       (biome check .)    }
//   4. Node's test runner, with tsx as loader, over src/**/*.test.ts, src/**/*.test.tsx and
//      test/**/*.test.ts. The typecheck and lint results are fed into this same run as two
//      tests ("static check: …"), so the closing summary (# tests / # pass / # fail), which is the
//      last thing printed, counts every check, and the exit code is non-zero on any failure.
//
// Usage:
//   npm test                          everything
//   npm test -- src/core/text         only test files under these paths (typecheck + lint still run)
//   npm test -- --tests-only [paths]  skip typecheck and lint
//   TEST_REPORTER=spec npm test       human-friendly output instead of TAP (its summary reads "ℹ pass N")
//   TEST_CONCURRENCY=N, TEST_TIMEOUT_MS=N   override the defaults below
//
// Skip / fail rules:
//   - SQLite integration tests always run.
//   - PostgreSQL: runs when TEST_DATABASE_URL is set (e.g. postgres://cchc:cchc@127.0.0.1:5432/cchc_test,
//     from `scripts/pg-test-cluster.sh start`). If it is set, the server must answer, or the run fails.
//   - Browser: runs when Chromium is at $CHROMIUM_PATH or /usr/bin/chromium.
//   - Under CI (CI=true): a missing TEST_DATABASE_URL or Chromium FAILS the run here, up front,
//     before anything else runs. Outside CI a one-line note says which suite is skipped and why,
//     and the tests skip themselves (test/e2e/browser.ts: describeBrowser / browserSkip).
//
// Concurrency: ONE `node --test` invocation, so there is exactly one closing summary for CI to read.
// Files under test/ (integration and browser tests) share ports and the one PostgreSQL database, so
// they must not run side by side; node --test has a single --test-concurrency for the whole run,
// hence concurrency 1 whenever a test/ file is selected. That costs little: the machine has 2 cores,
// unit files take well under a second each, and time goes mostly into the integration files anyway.
// When only src/ unit files are selected (npm test -- src/...), they run in parallel.
import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const inCI = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const argv = process.argv.slice(2);
const testsOnly = argv.includes("--tests-only");
const selectors = argv.filter((a) => !a.startsWith("--")).map((a) => relative(root, resolve(a)));

const log = (line) => console.log(line);
const bin = (name) => join(root, "node_modules", ".bin", name);

// ---------------------------------------------------------------------------------------------
// 1. Preflight
// ---------------------------------------------------------------------------------------------
async function preflight() {
  const problems = [];
  const notes = [];

  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  let chromiumOk = true;
  try {
    accessSync(chromiumPath, constants.X_OK);
  } catch {
    chromiumOk = false;
  }
  if (!chromiumOk) {
    const why = `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;
    if (inCI) problems.push(`browser tests cannot run: ${why}`);
    else notes.push(`browser tests skipped: ${why}`);
  }

  const dbUrl = process.env.TEST_DATABASE_URL;
  if (!dbUrl) {
    const why = "TEST_DATABASE_URL is not set (start one with: scripts/pg-test-cluster.sh start)";
    if (inCI) problems.push(`PostgreSQL integration tests cannot run: ${why}`);
    else notes.push(`PostgreSQL integration tests skipped: ${why}`);
  } else {
    const error = await checkPostgres(dbUrl);
    if (error) problems.push(`TEST_DATABASE_URL is set but the database does not answer: ${error}`);
  }

  for (const n of notes) log(`note: ${n}`);
  if (problems.length > 0) {
    console.error(`\nnpm test: cannot run${inCI ? " (CI=true: nothing may be skipped)" : ""}:`);
    for (const p of problems) console.error(`  - ${p}`);
    console.error("");
    process.exit(1);
  }
}

async function checkPostgres(url) {
  let client;
  try {
    const { default: pg } = await import("pg");
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return `${redact(url)}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client?.end().catch(() => {});
  }
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

// ---------------------------------------------------------------------------------------------
// 2–3. Static checks, run side by side (2 cores); output buffered and printed in order.
// ---------------------------------------------------------------------------------------------
function runCaptured(label, cmd, args) {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: "0" } });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", (err) => resolvePromise({ label, ok: false, output: `${output}${err.message}\n`, ms: 0 }));
    child.on("close", (code, signal) =>
      resolvePromise({
        label,
        ok: code === 0,
        output: output + (code === 0 ? "" : `(exit ${code ?? signal})\n`),
        ms: Date.now() - started,
      }),
    );
  });
}

async function staticChecks() {
  const results = await Promise.all([
    runCaptured("typecheck (tsc --noEmit)", bin("tsc"), ["--noEmit", "--pretty", "false"]),
    runCaptured("lint (biome check .)", bin("biome"), ["check", ".", "--colors=off"]),
  ]);
  for (const r of results) {
    log(`\n== ${r.label}: ${r.ok ? "ok" : "FAILED"} (${(r.ms / 1000).toFixed(1)} s)`);
    if (!r.ok || r.output.trim()) process.stdout.write(r.output.endsWith("\n") ? r.output : `${r.output}\n`);
  }
  return results;
}

// A tiny test file reporting the static checks' results, so they are counted in the one summary.
function staticChecksTestFile(results) {
  const dir = mkdtempSync(join(tmpdir(), "cchc-test-"));
  const file = join(dir, "static-checks.test.mjs");
  const cases = results
    .map((r) => {
      const body = r.ok
        ? ""
        : `throw new Error(${JSON.stringify(`${r.label} failed; its output is printed above the test run`)});`;
      return `test(${JSON.stringify(`static check: ${r.label}`)}, () => {${body}});`;
    })
    .join("\n");
  writeFileSync(file, `import { test } from "node:test";\n${cases}\n`);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// 4. Test files (Node 20's --test does not expand globs itself)
// ---------------------------------------------------------------------------------------------
function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
  return out;
}

function collectTestFiles() {
  const files = [
    ...walk(join(root, "src")).filter((f) => f.endsWith(".test.ts") || f.endsWith(".test.tsx")),
    ...walk(join(root, "test")).filter((f) => f.endsWith(".test.ts")),
  ].sort();
  if (selectors.length === 0) return files;
  for (const s of selectors) {
    try {
      statSync(s);
    } catch {
      console.error(`npm test: no such file or directory: ${s}`);
      process.exit(2);
    }
  }
  return files.filter((f) => selectors.some((s) => s === "" || f === s || f.startsWith(s + sep)));
}

function runTests(files) {
  const integration = files.some((f) => f.startsWith(`test${sep}`));
  const concurrency = Number(process.env.TEST_CONCURRENCY) || (integration ? 1 : availableParallelism());
  const timeout = Number(process.env.TEST_TIMEOUT_MS) || 300_000; // per test: a hung browser must not eat CI's 90 min
  const reporter = process.env.TEST_REPORTER || "tap";
  const args = [
    "--import",
    "tsx",
    "--test",
    `--test-reporter=${reporter}`,
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${timeout}`,
    ...files,
  ];
  log(`\n== tests: ${files.length} file(s), concurrency ${concurrency}`);
  return new Promise((resolvePromise) => {
    // No LibreOffice started ahead of need (pdf.ts prewarm): only the tests that convert start one.
    const env = { PDF_PREWARM: "0", ...process.env };
    const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit", env });
    child.on("error", (err) => {
      console.error(err);
      resolvePromise(1);
    });
    child.on("close", (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

// ---------------------------------------------------------------------------------------------
await preflight();

const files = collectTestFiles();
if (files.length === 0) {
  console.error(
    `npm test: no test files found${selectors.length ? ` under ${selectors.join(", ")}` : ""} (looked for src/**/*.test.ts, src/**/*.test.tsx, test/**/*.test.ts)`,
  );
  process.exit(1);
}

let extra = null;
if (!testsOnly) {
  const results = await staticChecks();
  const failed = results.filter((r) => !r.ok).map((r) => r.label);
  if (failed.length > 0) log(`\n${failed.join(" and ")} FAILED: running the tests anyway; the run will fail.`);
  extra = staticChecksTestFile(results);
}

let code;
try {
  code = await runTests(extra ? [extra.file, ...files] : files);
} finally {
  extra?.cleanup();
}
process.exit(code);
