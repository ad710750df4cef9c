/**
 * DOCX → PDF with LibreOffice headless (Debian's `libreoffice-writer-nogui`): the PDF is the same document as the
 * DOCX, laid out by a word processor, with its fonts embedded (Liberation Serif standing in for Times New Roman,
 * metric-compatible). Conversions run one at a time per process, in a LibreOffice profile of this process's own
 * (two instances sharing a profile refuse to start), each under a time limit.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

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
  await mkdir(profileDir, { recursive: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), "cchc-pdf-"));
  try {
    const input = path.join(dir, "document.docx");
    await writeFile(input, docx);
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
          err
            ? reject(new Error(`LibreOffice không chuyển được sang PDF: ${err.message} ${stderr}`.trim()))
            : resolve(),
      );
    });
    return await readFile(path.join(dir, "document.pdf"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
