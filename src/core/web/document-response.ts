/** An administrative document sent as a download: DOCX from the one renderer, PDF through LibreOffice. */
import type { Context } from "hono";
import type { AdminDocument } from "../documents/admin-document.ts";
import { docxToPdf, PdfUnavailableError } from "../documents/pdf.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

const MIME = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

/** The document as an attachment named `${baseName}.${format}`; without LibreOffice a PDF is a 503 saying why. */
/**
 * A document as DOCX, the writer loaded at the first one: the docx library holds about 3 MB of heap (10 MB resident)
 * that a process serving citizens' pages never needs.
 */
export async function docxOf(doc: AdminDocument): Promise<Buffer> {
  const { renderDocx } = await import("../documents/docx-writer.ts");
  return renderDocx(doc);
}

export async function sendDocument(
  c: Context<AppEnv>,
  doc: AdminDocument,
  format: "docx" | "pdf",
  baseName: string,
): Promise<Response> {
  const docx = await docxOf(doc);
  let bytes: Buffer = docx;
  if (format === "pdf") {
    try {
      bytes = await docxToPdf(docx);
    } catch (err) {
      if (err instanceof PdfUnavailableError) throw new AppError(503, "pdf_unavailable", err.message);
      throw err;
    }
  }
  c.header("Content-Type", MIME[format]);
  c.header("Content-Disposition", `attachment; filename="${baseName}.${format}"`);
  c.header("Cache-Control", "no-store");
  return c.body(new Uint8Array(bytes));
}
