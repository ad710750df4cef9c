/**
 * From an uploaded plan document (DOCX, UTF-8 text or Markdown) or a pasted text to a parsed plan draft: pure, so
 * the server runs it in a worker thread under time and memory limits (`readPlanIsolated`), never on its event loop.
 */
import { createHash } from "node:crypto";
import { type IsolatedOutcome, isolatedFailureMessage, runIsolated, UPLOAD_PARSE_LIMITS } from "../../core/isolated.ts";
import { nfc } from "../../core/text/vi.ts";
import { looksLikeZip } from "../../core/zip.ts";
import { docxToPlanText } from "./docx-text.ts";
import { parsePlan } from "./parse-plan.ts";
import type { PlanDraft } from "./plan-draft.ts";

/** Largest plan document accepted: real plans are a few dozen kilobytes of text, a few hundred as DOCX. */
export const PLAN_MAX_BYTES = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; error: string };

/** A plan text understood: its canonical text, that text's fingerprint, and the draft read from it. */
export interface ParsedPlanText {
  text: string;
  hash: string;
  draft: PlanDraft;
}

export type ParsedPlanResult = ({ ok: true } & ParsedPlanText) | { ok: false; error: string };

const NOT_TEXT = "Tệp không phải văn bản (.txt, .md) mã UTF-8 hay văn bản Word (.docx).";

/** Turn an uploaded file into plan text, by its content (never by its name): DOCX, or UTF-8 text / Markdown. */
export async function readPlanDocument(bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.length === 0) return { ok: false, error: "Tệp trống, không có nội dung kế hoạch." };
  if (bytes.length > PLAN_MAX_BYTES)
    return { ok: false, error: `Tệp quá lớn: tối đa ${PLAN_MAX_BYTES / 1024 / 1024} MB cho một văn bản kế hoạch.` };
  if (looksLikeZip(bytes)) {
    const r = await docxToPlanText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return r.ok ? { ok: true, text: r.text } : { ok: false, error: r.error };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: NOT_TEXT };
  }
  if (text.includes("\u0000")) return { ok: false, error: NOT_TEXT };
  return { ok: true, text };
}

/** Normalised text and its fingerprint: NFC and LF line endings, so the same plan saved twice hashes alike. */
export function canonicalText(text: string): { text: string; hash: string } {
  const t = nfc(text)
    .replace(/^\uFEFF/, "")
    .replace(/[ \t]+$/gm, "")
    .trim();
  return { text: t, hash: createHash("sha256").update(t).digest("hex") };
}

/** A plan text parsed, in-process (trusted or small input: the CLI, the demo, tests). */
export function parsePlanText(rawText: string): ParsedPlanResult {
  const { text, hash } = canonicalText(rawText);
  const parsed = parsePlan(text);
  return parsed.ok ? { ok: true, text, hash, draft: parsed.draft } : { ok: false, error: parsed.error };
}

/** An uploaded file's bytes or a pasted text, read and parsed. The worker's entry point (see below). */
export async function parsePlanUpload(input: { bytes: Uint8Array } | { text: string }): Promise<ParsedPlanResult> {
  if ("text" in input) return parsePlanText(input.text);
  const read = await readPlanDocument(input.bytes);
  return read.ok ? parsePlanText(read.text) : read;
}

/**
 * `parsePlanUpload` in a worker thread under UPLOAD_PARSE_LIMITS: a zip bomb or a huge text costs a worker, while
 * the server goes on answering; past the limits, a Vietnamese message and nothing written.
 */
export async function readPlanIsolated(input: { bytes: Uint8Array } | { text: string }): Promise<ParsedPlanResult> {
  const outcome: IsolatedOutcome<ParsedPlanResult> = await runIsolated(
    new URL(import.meta.url),
    "parsePlanUpload",
    [input],
    UPLOAD_PARSE_LIMITS,
  );
  return outcome.ok ? outcome.value : { ok: false, error: isolatedFailureMessage(outcome.reason) };
}
