/**
 * DOCX → PDF with LibreOffice headless (Debian's `libreoffice-writer-nogui`): the PDF is the same document as the
 * DOCX, laid out by a word processor, with its fonts embedded (Liberation Serif standing in for Times New Roman,
 * metric-compatible). Conversions run one at a time per process, each under a time limit.
 *
 * A cold `soffice --convert-to` starts a whole office per document (seconds of CPU each time), so when Debian's
 * `python3-uno` is installed one LibreOffice is kept warm per process (uno-worker.py, its own profile and pipe),
 * started at the first conversion and stopped after PDF_OFFICE_IDLE_S seconds unused (default 600; 0 never) or when
 * the process ends. Without python3-uno, or if the warm office cannot start, every conversion runs cold as before.
 *
 * Starting that office takes seconds, so nobody should wait for it at the moment they ask for a PDF:
 * `prewarmPdfConverter()` starts it ahead — the server calls it when it starts, and the report pages call it when
 * they open (a coordinator reads the figures before downloading the PDF, and the office may have stopped idle since).
 * PDF_PREWARM=0 turns that off (the test runner does, so only the tests that want an office start one).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { accessSync, constants, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const CANDIDATES = ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"];

/** The LibreOffice binary: `SOFFICE_PATH`, else Debian's locations; null when none is installed. */
export function sofficePath(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const p of env.SOFFICE_PATH ? [env.SOFFICE_PATH] : CANDIDATES) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // try the next one
    }
  }
  return null;
}

export class PdfUnavailableError extends Error {
  constructor() {
    super("Chưa cài LibreOffice (gói libreoffice-writer-nogui) nên chưa xuất được PDF; tệp DOCX vẫn tải được.");
  }
}

let queue: Promise<unknown> = Promise.resolve();
const profileDir = path.join(os.tmpdir(), `cchc-libreoffice-${process.pid}`);
const warmProfileDir = path.join(os.tmpdir(), `cchc-libreoffice-warm-${process.pid}`);
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "uno-worker.py");

/** Convert one DOCX to PDF; throws PdfUnavailableError without LibreOffice, an Error on failure or time-out. */
export function docxToPdf(
  docx: Uint8Array,
  opts: { timeoutMs?: number; soffice?: string | null } = {},
): Promise<Buffer> {
  const soffice = opts.soffice === undefined ? sofficePath() : opts.soffice;
  if (!soffice) return Promise.reject(new PdfUnavailableError());
  const job = queue.then(() => convert(soffice, docx, opts.timeoutMs ?? 60_000));
  queue = job.catch(() => undefined);
  return job;
}

async function convert(soffice: string, docx: Uint8Array, timeoutMs: number): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cchc-pdf-"));
  try {
    const input = path.join(dir, "document.docx");
    const output = path.join(dir, "document.pdf");
    await writeFile(input, docx);
    if (!warmUnavailable) await probeUno();
    const office = warmOffice(soffice);
    if (office) {
      try {
        await office.convert(input, output, timeoutMs);
        return await readFile(output);
      } catch (e) {
        stopWarmOffice();
        if (e instanceof OfficeStartError)
          warmUnavailable = true; // cold from now on
        else throw e; // the document itself failed, or took too long: a cold retry would too
      }
    }
    await convertCold(soffice, dir, input, timeoutMs);
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function convertCold(soffice: string, dir: string, input: string, timeoutMs: number): Promise<void> {
  await mkdir(profileDir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    execFile(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(profileDir).href}`,
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        dir,
        input,
      ],
      { timeout: timeoutMs, killSignal: "SIGKILL", env: { ...process.env, HOME: profileDir } },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`LibreOffice không chuyển được sang PDF: ${err.message} ${stderr}`.trim())) : resolve(),
    );
  });
}

/**
 * The Python that has Debian's UNO bridge (`PDF_PYTHON`, else /usr/bin/python3), or null: asked once, asynchronously
 * (starting Python and importing uno can take seconds: never on the event loop of a request). `unoPython` is
 * undefined until the answer is in.
 */
let unoPython: string | null | undefined;
let unoProbe: Promise<string | null> | null = null;
function probeUno(): Promise<string | null> {
  if (unoProbe) return unoProbe;
  const candidate = process.env.PDF_PYTHON || "/usr/bin/python3";
  unoProbe = new Promise((resolve) => {
    execFile(candidate, ["-c", "import uno"], { timeout: 10_000 }, (err) => {
      // a synchronous answer (pdfConverterMode) may have come first: it is the same answer
      if (unoPython === undefined) unoPython = err ? null : candidate;
      resolve(unoPython);
    });
  });
  return unoProbe;
}

class OfficeStartError extends Error {}

let warm: WarmOffice | null = null;
let warmUnavailable = process.env.PDF_WARM_OFFICE === "0";

/** The warm office (started now if need be); null when there is none to use, or the probe has not answered yet. */
function warmOffice(soffice: string): WarmOffice | null {
  if (warmUnavailable) return null;
  if (warm) return warm;
  const python = unoPython;
  if (python === undefined) return null;
  if (!python) {
    warmUnavailable = true;
    return null;
  }
  warm = new WarmOffice(python, soffice);
  return warm;
}

/**
 * Start the warm office now, if this process would use one and PDF_PREWARM is not "0", so that the next PDF does
 * not wait for LibreOffice to start. Returns at once and never blocks: until the (asynchronous, one-time) python3-uno
 * probe has answered, the office is started when it answers, and further calls meanwhile add nothing. An office
 * already running is just kept (its idle timer restarts). Returns whether an office is (being) started — while the
 * probe is pending, whether one will be if python3-uno is there.
 */
let prewarming: Promise<void> | null = null;
export function prewarmPdfConverter(): boolean {
  if (process.env.PDF_PREWARM === "0") return false;
  const soffice = sofficePath();
  if (!soffice || warmUnavailable) return false;
  if (unoPython === undefined) {
    prewarming ??= probeUno().then(() => {
      prewarming = null;
      warmOffice(soffice)?.keepAlive();
    });
    return true;
  }
  const office = warmOffice(soffice);
  office?.keepAlive();
  return office !== null;
}

/** Resolves true once the warm office is ready for a document (false when there is none, or it failed to start). */
export async function warmOfficeReady(): Promise<boolean> {
  if (prewarming) await prewarming;
  const office = warm;
  if (!office) return false;
  try {
    await office.whenReady();
    return true;
  } catch {
    return false;
  }
}

/**
 * How the next PDF of this process is made: "warm" (kept LibreOffice), "cold" (one per document) or "none". A
 * diagnostic (tests, the command line): if the probe has not answered yet, it asks Python synchronously.
 */
export function pdfConverterMode(): "warm" | "cold" | "none" {
  if (!sofficePath()) return "none";
  if (warmUnavailable) return "cold";
  if (unoPython === undefined) {
    const candidate = process.env.PDF_PYTHON || "/usr/bin/python3";
    try {
      execFileSync(candidate, ["-c", "import uno"], { stdio: "ignore", timeout: 10_000 });
      unoPython = candidate;
    } catch {
      unoPython = null;
    }
  }
  return unoPython ? "warm" : "cold";
}

function stopWarmOffice() {
  warm?.stop();
  warm = null;
}

/** The worker and its office, for kill on exit: the worker's stdin closing ends both, but `exit` cannot wait. */
process.once("exit", () => {
  warm?.kill();
  rmSync(warmProfileDir, { recursive: true, force: true });
});

/** Unused time after which the warm office stops; 0 (PDF_OFFICE_IDLE_S=0) keeps it for the process's life. */
const IDLE_MS = Number(process.env.PDF_OFFICE_IDLE_S ?? 600) * 1000;

/** One warm LibreOffice behind uno-worker.py: JSON lines in and out, one request at a time (the queue above). */
class WarmOffice {
  private child: ChildProcess;
  private officePid = 0;
  private buffer = "";
  private waiting: ((line: Record<string, unknown>) => void) | null = null;
  private ready: Promise<void>;
  private idle: NodeJS.Timeout | null = null;

  constructor(python: string, soffice: string) {
    const pipe = `cchc_pdf_${process.pid}_${Date.now().toString(36)}`;
    this.child = spawn(python, [WORKER, soffice, warmProfileDir, pipe], { stdio: ["pipe", "pipe", "ignore"] });
    // Never keep the portal (or a test) alive for the office: a pending conversion has its own timer.
    this.child.unref();
    (this.child.stdin as unknown as net.Socket).unref?.();
    (this.child.stdout as unknown as net.Socket).unref?.();
    this.child.stdin?.on("error", () => undefined);
    this.child.stdout?.setEncoding("utf8");
    this.child.stdout?.on("data", (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf("\n"); nl >= 0; nl = this.buffer.indexOf("\n")) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const answer = this.waiting;
        this.waiting = null;
        try {
          answer?.(JSON.parse(line) as Record<string, unknown>);
        } catch {
          answer?.({ ok: false, error: line });
        }
      }
    });
    this.child.once("exit", () => {
      const answer = this.waiting;
      this.waiting = null;
      answer?.({ ok: false, exited: true, error: "LibreOffice worker exited" });
      if (warm === this) warm = null;
    });
    this.ready = this.next(180_000).then(
      (line) => {
        if (line.ready !== true) throw new OfficeStartError(String(line.error ?? "the warm office did not start"));
        this.officePid = Number(line.officePid ?? 0);
      },
      (e: Error) => {
        throw new OfficeStartError(e.message);
      },
    );
    // A prewarmed office nobody uses stops like one whose last document was long ago.
    this.ready.catch(() => {
      if (warm === this) {
        stopWarmOffice();
        warmUnavailable = true;
      }
    });
    this.keepAlive();
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Restart the idle timer: the office stops IDLE_MS after the last call (a conversion or a prewarm). */
  keepAlive() {
    if (this.idle) clearTimeout(this.idle);
    if (IDLE_MS <= 0) return;
    this.idle = setTimeout(() => {
      if (warm === this) stopWarmOffice();
    }, IDLE_MS);
    this.idle.unref();
  }

  private next(timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`LibreOffice không chuyển xong sang PDF trong ${Math.round(timeoutMs / 1000)} giây.`));
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  async convert(input: string, output: string, timeoutMs: number): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    await this.ready;
    const answer = this.next(timeoutMs);
    this.child.stdin?.write(`${JSON.stringify({ in: input, out: output })}\n`);
    const line = await answer;
    if (line.exited) throw new OfficeStartError(String(line.error));
    if (line.ok !== true) throw new Error(`LibreOffice không chuyển được sang PDF: ${String(line.error ?? "")}`);
    this.keepAlive();
  }

  /** Ask the worker to end its office (stdin closed), and make sure within 5 s. */
  stop() {
    this.child.stdin?.end();
    setTimeout(() => this.kill(), 5000).unref();
  }

  kill() {
    try {
      if (this.officePid > 0) process.kill(-this.officePid, "SIGKILL");
    } catch {
      // already gone
    }
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}
