/**
 * The PDF converter's life cycle: with python3-uno, one LibreOffice kept warm converts one document after another and
 * never outlives the process that started it (even killed with SIGKILL); with PDF_WARM_OFFICE=0 (or without
 * python3-uno) each document is converted cold. The layout of the PDF itself: docx-writer.test.ts.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { AdminDocument } from "./admin-document.ts";
import { renderDocx } from "./docx-writer.ts";
import { docxToPdf, pdfConverterMode, prewarmPdfConverter, sofficePath } from "./pdf.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const inCI = process.env.CI === "true";
const hasUno = (() => {
  try {
    execFileSync(process.env.PDF_PYTHON || "/usr/bin/python3", ["-c", "import uno"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const letter: AdminDocument = {
  superior: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
  issuer: ["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐỨC PHỔ"],
  number: null,
  symbol: "BC-UBND",
  place: "Đức Phổ",
  date: "2024-03-20",
  year: 2024,
  type: "BÁO CÁO",
  title: "Kết quả tuyên truyền cải cách hành chính quý I năm 2024",
  addressees: [],
  basis: [],
  body: [{ kind: "paragraph", text: "Phường đã thực hiện 2 hoạt động tuyên truyền." }],
  signature: { authority: "TM. ỦY BAN NHÂN DÂN", onBehalfOf: null, position: "CHỦ TỊCH", name: "Nguyễn Văn An" },
  distribution: ["Như trên;", "Lưu: VT."],
};

/** Processes whose command line names a path (the warm office's profile is named after its owner's pid). */
function processesNaming(fragment: string): string[] {
  const out: string[] = [];
  for (const pid of execFileSync("ps", ["-eo", "pid="], { encoding: "utf8" }).split(/\s+/).filter(Boolean)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(fragment)) out.push(`${pid}: ${cmd}`);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

if (inCI) {
  test("under CI, python3-uno is installed (the warm LibreOffice)", () => {
    assert.ok(hasUno, "python3-uno is installed");
  });
}

test("one warm LibreOffice converts document after document", {
  skip: sofficePath() && hasUno ? false : "LibreOffice or python3-uno not installed",
  timeout: 240_000,
}, async () => {
  assert.equal(pdfConverterMode(), "warm", "python3-uno present: the office is kept warm");
  const docx = await renderDocx(letter);
  for (let i = 0; i < 3; i++) {
    const pdf = await docxToPdf(docx);
    assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-", `conversion ${i + 1} is a PDF`);
  }
  assert.equal(pdfConverterMode(), "warm", "still warm after three documents");
  assert.ok(processesNaming(`cchc-libreoffice-warm-${process.pid}`).length > 0, "the warm office is running");
});

/**
 * Run a conversion in a child process with these settings; its pid and what it printed. `thenKill`: SIGKILL the child
 * once it has printed. `afterConvert`: called with the child's pid once it has printed, until it returns true; the
 * child is then ended.
 */
function convertInChild(env: Record<string, string>, thenKill: boolean, afterConvert?: (pid: number) => boolean) {
  const script = `
    import { docxToPdf, pdfConverterMode } from ${JSON.stringify(path.join(here, "pdf.ts"))};
    import { renderDocx } from ${JSON.stringify(path.join(here, "docx-writer.ts"))};
    const pdf = await docxToPdf(await renderDocx(${JSON.stringify(letter)}));
    console.log(JSON.stringify({ mode: pdfConverterMode(), head: pdf.subarray(0, 5).toString("latin1") }));
    ${thenKill || afterConvert ? "setInterval(() => {}, 1000);" : ""}
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let polling = false;
  child.stdout.on("data", (d) => {
    out += d;
    if (thenKill && out.includes("\n")) child.kill("SIGKILL");
    if (afterConvert && !polling && out.includes("\n")) {
      polling = true;
      const poll = setInterval(() => {
        if (afterConvert(child.pid as number)) {
          clearInterval(poll);
          setTimeout(() => child.kill("SIGKILL"), 500);
        }
      }, 200);
    }
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  return new Promise<{ pid: number; out: string }>((resolve) =>
    child.once("exit", () => resolve({ pid: child.pid as number, out })),
  );
}

async function gone(fragment: string, withinMs: number): Promise<string[]> {
  const until = Date.now() + withinMs;
  let left = processesNaming(fragment);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    left = processesNaming(fragment);
  }
  return left;
}

test("the warm office ends with its process, even one killed with SIGKILL", {
  skip: sofficePath() && hasUno ? false : "LibreOffice or python3-uno not installed",
  timeout: 240_000,
}, async () => {
  const { pid, out } = await convertInChild({}, true);
  assert.match(out, /"mode":"warm","head":"%PDF-"/, `the child converted warm: ${out.slice(0, 300)}`);
  const left = await gone(`cchc-libreoffice-warm-${pid}`, 20_000);
  assert.deepEqual(left, [], "no LibreOffice of the killed process is left");
});

test("the warm office ends when its worker alone is stopped (SIGTERM from a service manager or pkill)", {
  skip: sofficePath() && hasUno ? false : "LibreOffice or python3-uno not installed",
  timeout: 240_000,
}, async () => {
  let workerStopped = false;
  const run = convertInChild({}, false, (pid) => {
    const worker = processesNaming(`cchc_pdf_${pid}_`).find((p) => p.includes("uno-worker.py"));
    if (!worker) return false;
    process.kill(Number(worker.split(":")[0]), "SIGTERM");
    workerStopped = true;
    return true;
  });
  const { pid, out } = await run;
  assert.ok(workerStopped, `the worker was found and stopped: ${out.slice(0, 300)}`);
  const left = await gone(`cchc-libreoffice-warm-${pid}`, 20_000);
  assert.deepEqual(left, [], "no LibreOffice is left once its worker is stopped");
});

test("PDF_WARM_OFFICE=0 converts cold, one office per document", {
  skip: sofficePath() ? false : "LibreOffice not installed",
  timeout: 240_000,
}, async () => {
  const { out } = await convertInChild({ PDF_WARM_OFFICE: "0" }, false);
  assert.match(out, /"mode":"cold","head":"%PDF-"/, `the child converted cold: ${out.slice(0, 300)}`);
});

/** Run `body` (module code with pdf.ts imported as `pdf`) in a child; resolves with what it printed and its pid. */
function childRunning(env: Record<string, string>, body: string, whilePrinted: (pid: number, out: string) => void) {
  const script = `
    import * as pdf from ${JSON.stringify(path.join(here, "pdf.ts"))};
    ${body}
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    if (out.includes("\n")) {
      whilePrinted(child.pid as number, out);
      child.kill("SIGKILL");
    }
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  return new Promise<{ pid: number; out: string }>((resolve) =>
    child.once("exit", () => resolve({ pid: child.pid as number, out })),
  );
}

test("prewarm starts the office before any PDF is asked for; PDF_PREWARM=0 starts none", {
  skip: sofficePath() && hasUno ? false : "LibreOffice or python3-uno not installed",
  timeout: 240_000,
}, async () => {
  assert.equal(prewarmPdfConverter(), false, "the test runner sets PDF_PREWARM=0: no office started ahead");

  let officeWhileWaiting: string[] = [];
  const warmRun = await childRunning(
    { PDF_PREWARM: "1" },
    "const started = pdf.prewarmPdfConverter(); const ready = await pdf.warmOfficeReady(); console.log(JSON.stringify({ started, ready }));",
    (pid) => {
      officeWhileWaiting = processesNaming(`cchc-libreoffice-warm-${pid}`);
    },
  );
  assert.match(warmRun.out, /\{"started":true,"ready":true\}/, `the office was started and ready: ${warmRun.out}`);
  assert.ok(officeWhileWaiting.length > 0, "a LibreOffice was running before any document was converted");
  assert.deepEqual(await gone(`cchc-libreoffice-warm-${warmRun.pid}`, 20_000), [], "and it ended with its process");

  let officeWhenOff: string[] = ["not checked"];
  const offRun = await childRunning(
    { PDF_PREWARM: "0" },
    "const started = pdf.prewarmPdfConverter(); await new Promise((r) => setTimeout(r, 1500)); console.log(JSON.stringify({ started }));",
    (pid) => {
      officeWhenOff = processesNaming(`cchc-libreoffice-warm-${pid}`);
    },
  );
  assert.match(offRun.out, /\{"started":false\}/, `nothing started with PDF_PREWARM=0: ${offRun.out}`);
  assert.deepEqual(officeWhenOff, [], "no LibreOffice runs when prewarming is off");
});
