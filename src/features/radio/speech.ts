/**
 * Speech for the ward radio: espeak-ng (Debian package, Vietnamese voice "vi") writes a WAV, ffmpeg makes it an MP3
 * that phones and loudspeaker systems play, ffprobe reads its duration. Each runs as a child process (never in the
 * server's thread), with a time limit, in a private temporary folder removed afterwards. The voice and the exact
 * command line are returned so they are recorded with the file. Uploaded recordings are checked by their content
 * (magic bytes, then ffprobe must decode an audio stream).
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { nfc } from "../../core/text/vi.ts";

/** The programs, overridable for a server that installs them elsewhere (.env.example). */
export const ESPEAK_BIN = process.env.RADIO_ESPEAK_BIN || "espeak-ng";
export const FFMPEG_BIN = process.env.RADIO_FFMPEG_BIN || "ffmpeg";
export const FFPROBE_BIN = process.env.RADIO_FFPROBE_BIN || "ffprobe";
/** The Vietnamese voice (Northern); "vi-vn-x-central" and "vi-vn-x-south" are the others espeak-ng ships. */
export const VOICE = process.env.RADIO_VOICE || "vi";
/** Words a minute. */
export const SPEED = 150;
const TIME_LIMIT_MS = 120_000;
/** The nice value of the speech tools where the idle class is not available (19 is the lowest priority). */
const BACKGROUND_PRIORITY = 15;
/**
 * util-linux's chrt, to start the speech tools in Linux's idle scheduling class (SCHED_IDLE): they get a core only
 * when nothing else wants it. Nice alone left the public pages' p99 at about 2x idle while speech ran on 2 cores
 * (bench/radio.ts); in the idle class it stays near 1.3x and a 600-word bulletin still takes about 6 s. Empty turns it off.
 */
const IDLE_LAUNCHER = process.env.RADIO_IDLE_LAUNCHER ?? "chrt";

let idleClass: Promise<string[]> | undefined;
/** The words that start a program in the idle class here, or none where chrt is missing or not permitted. */
function idleClassPrefix(): Promise<string[]> {
  idleClass ??= IDLE_LAUNCHER
    ? run(IDLE_LAUNCHER, ["--idle", "0", "true"], 10_000).then(
        () => [IDLE_LAUNCHER, "--idle", "0"],
        () => [],
      )
    : Promise.resolve([]);
  return idleClass;
}

/** Run a speech tool as background work: in the idle class where possible, else at a low nice value. */
export async function runInBackground(bin: string, args: string[]) {
  const [launcher, ...prefix] = await idleClassPrefix();
  return launcher ? run(launcher, [...prefix, bin, ...args]) : run(bin, args);
}

function run(bin: string, args: string[], timeout = TIME_LIMIT_MS): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      args,
      { timeout, maxBuffer: 4 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stderr }));
        else resolve({ stdout, stderr });
      },
    );
    // Speech is background work: below the server's priority, so public pages keep their pace while it runs.
    try {
      if (child.pid) os.setPriority(child.pid, BACKGROUND_PRIORITY);
    } catch {
      // Not permitted here: it runs at the server's priority.
    }
  });
}

const availability = new Map<string, Promise<boolean>>();

/** Whether a program runs here (asked once per process). */
export function programAvailable(bin: string, arg = "--version"): Promise<boolean> {
  let p = availability.get(bin);
  if (!p) {
    p = run(bin, [arg], 10_000).then(
      () => true,
      () => false,
    );
    availability.set(bin, p);
  }
  return p;
}

/** espeak-ng with a Vietnamese voice, and ffmpeg: what synthesis needs. */
export async function speechAvailable(): Promise<boolean> {
  if (!(await programAvailable(ESPEAK_BIN)) || !(await programAvailable(FFMPEG_BIN, "-version"))) return false;
  const voices = await run(ESPEAK_BIN, [`--voices=${VOICE.split("-")[0]}`], 10_000).catch(() => ({ stdout: "" }));
  return voices.stdout.split("\n").some((l) => l.trim().split(/\s+/)[1]?.toLowerCase() === VOICE.toLowerCase());
}

export interface Probe {
  durationMs: number;
  format: string;
  codec: string;
}

/** The duration, container and codec of an audio file, or null when ffprobe finds no audio stream in it. */
export async function probeAudio(file: string): Promise<Probe | null> {
  try {
    const { stdout } = await run(
      FFPROBE_BIN,
      [
        "-v",
        "error",
        "-select_streams",
        "a:0",
        "-show_entries",
        "format=duration,format_name:stream=codec_name",
        "-of",
        "json",
        file,
      ],
      30_000,
    );
    const info = JSON.parse(stdout) as {
      format?: { duration?: string; format_name?: string };
      streams?: { codec_name?: string }[];
    };
    const codec = info.streams?.[0]?.codec_name;
    const duration = Number(info.format?.duration);
    if (!codec || !Number.isFinite(duration) || duration <= 0) return null;
    return { durationMs: Math.round(duration * 1000), format: info.format?.format_name ?? "", codec };
  } catch {
    return null;
  }
}

export interface Synthesised {
  bytes: Uint8Array;
  mime: "audio/mpeg";
  durationMs: number;
  voice: string;
  /** The espeak-ng and ffmpeg command lines, as run (the temporary paths replaced by their roles). */
  command: string;
}

/** Speak `text` (made NFC here) with the Vietnamese voice and return it as an MP3. Throws with the tool's message. */
export async function synthesise(text: string): Promise<Synthesised> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cchc-radio-"));
  try {
    const txt = path.join(dir, "doc.txt");
    const wav = path.join(dir, "doc.wav");
    const mp3 = path.join(dir, "doc.mp3");
    await fs.writeFile(txt, nfc(text), "utf8");
    const espeakArgs = ["-v", VOICE, "-s", String(SPEED), "-b", "1", "-w", wav, "-f", txt];
    await runInBackground(ESPEAK_BIN, espeakArgs);
    const ffmpegArgs = [
      "-nostdin",
      "-loglevel",
      "error",
      "-y",
      "-i",
      wav,
      "-ac",
      "1",
      "-c:a",
      "libmp3lame",
      "-b:a",
      "48k",
      mp3,
    ];
    await runInBackground(FFMPEG_BIN, ffmpegArgs);
    const probe = await probeAudio(mp3);
    if (!probe) throw new Error("ffprobe không đọc được tệp MP3 vừa tạo");
    const shown = (args: string[]) =>
      args.map((a) => (a === txt ? "<văn bản>" : a === wav ? "<wav>" : a === mp3 ? "<mp3>" : a)).join(" ");
    return {
      bytes: new Uint8Array(await fs.readFile(mp3)),
      mime: "audio/mpeg",
      durationMs: probe.durationMs,
      voice: VOICE,
      command: `${ESPEAK_BIN} ${shown(espeakArgs)} | ${FFMPEG_BIN} ${shown(ffmpegArgs)}`,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const startsWith = (buf: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** An audio file's type by its first bytes: MP3, Ogg (Opus, Vorbis), WAV, FLAC, M4A; null for anything else. */
export function sniffAudio(buf: Uint8Array): { mime: string; ext: string } | null {
  if (startsWith(buf, ascii("ID3")) || (buf[0] === 0xff && ((buf[1] ?? 0) & 0xe0) === 0xe0))
    return { mime: "audio/mpeg", ext: "mp3" };
  if (startsWith(buf, ascii("OggS"))) return { mime: "audio/ogg", ext: "ogg" };
  if (startsWith(buf, ascii("RIFF")) && startsWith(buf, ascii("WAVE"), 8)) return { mime: "audio/wav", ext: "wav" };
  if (startsWith(buf, ascii("fLaC"))) return { mime: "audio/flac", ext: "flac" };
  if (startsWith(buf, ascii("ftyp"), 4) && /^(M4A |M4B |mp42|isom)/.test(String.fromCharCode(...buf.slice(8, 12))))
    return { mime: "audio/mp4", ext: "m4a" };
  return null;
}

/** Check an uploaded recording: its type by content, then ffprobe must find an audio stream and its duration. */
export async function checkRecording(
  bytes: Uint8Array,
): Promise<{ ok: true; mime: string; ext: string; durationMs: number | null } | { ok: false; error: string }> {
  const type = sniffAudio(bytes);
  if (!type)
    return {
      ok: false,
      error: "Tệp không phải bản ghi âm được chấp nhận: chỉ nhận MP3, OGG/Opus, WAV, FLAC hoặc M4A.",
    };
  if (!(await programAvailable(FFPROBE_BIN, "-version"))) return { ok: true, ...type, durationMs: null };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cchc-radio-up-"));
  try {
    const file = path.join(dir, `ghi-am.${type.ext}`);
    await fs.writeFile(file, bytes);
    const probe = await probeAudio(file);
    if (!probe) return { ok: false, error: "Tệp ghi âm bị hỏng hoặc không có âm thanh: không đọc được." };
    return { ok: true, ...type, durationMs: probe.durationMs };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
