/**
 * Reading the few parts an Office file (DOCX, XLSX) is made of, from a zip held in memory, with size limits.
 *
 * Why our own reader rather than a package: an Office file needs only the central directory and stored/deflate
 * entries; reading the directory ourselves refuses a zip bomb from the declared sizes before inflating anything,
 * and `maxOutputLength` caps what is really inflated when a declared size lies. jszip/unzipper (installed for
 * exceljs) inflate whole entries without a cap. Callers map `ZipError.kind` to their own Vietnamese message.
 */
import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";

const MAX_ZIP_ENTRIES = 20_000;

/** Why a zip could not be read: not a zip or truncated, an encrypted entry, or an entry over the caller's limit. */
export class ZipError extends Error {
  constructor(readonly kind: "corrupt" | "encrypted" | "too-large") {
    super(`zip: ${kind}`);
  }
}

/** Whether the bytes start like a zip (PK\x03\x04). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** One entry of the central directory. */
export interface ZipEntry {
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const inflateRawAsync = promisify(inflateRaw);

function readU64(buf: Buffer, offset: number): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError("corrupt");
  return Number(v);
}

function need(buf: Buffer, offset: number, length: number): void {
  if (offset < 0 || offset + length > buf.length) throw new ZipError("corrupt");
}

/** Entries keyed by name in lower case with "/" separators (OPC part names compare case-insensitively). */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) <= buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError("corrupt");
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    // Zip64: the real values are in the zip64 end of central directory record, found through its locator.
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== 0x07064b50) throw new ZipError("corrupt");
    const z64 = readU64(buf, locator + 8);
    need(buf, z64, 56);
    if (buf.readUInt32LE(z64) !== 0x06064b50) throw new ZipError("corrupt");
    count = readU64(buf, z64 + 32);
    cdOffset = readU64(buf, z64 + 48);
  }
  if (count > MAX_ZIP_ENTRIES) throw new ZipError("corrupt");

  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    need(buf, p, 46);
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new ZipError("corrupt");
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    need(buf, p + 46, nameLength + extraLength + commentLength);
    const name = buf.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLength);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // Zip64 extended information extra field (id 1): only the fields whose 32-bit value is saturated, in order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = buf.readUInt16LE(e);
        const size = buf.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          const take = () => {
            if (q + 8 > e + 4 + size) throw new ZipError("corrupt");
            const v = readU64(buf, q);
            q += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
          break;
        }
        e += 4 + size;
      }
    }
    const key = name.replace(/\\/g, "/").replace(/^\/+/, "").toLowerCase();
    if (!entries.has(key)) entries.set(key, { flags, method, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of one entry, refused (ZipError "too-large") past `limit` bytes inflated, whatever the entry declares. */
export async function extractZipEntry(buf: Buffer, entry: ZipEntry, limit: number): Promise<Buffer> {
  if (entry.flags & 1) throw new ZipError("encrypted");
  if (entry.uncompressedSize > limit) throw new ZipError("too-large");
  const p = entry.localHeaderOffset;
  need(buf, p, 30);
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new ZipError("corrupt");
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  need(buf, start, entry.compressedSize);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > limit) throw new ZipError("too-large");
    return data;
  }
  if (entry.method !== 8) throw new ZipError("corrupt");
  try {
    // The declared size can lie: maxOutputLength caps what is really inflated.
    return await inflateRawAsync(data, { maxOutputLength: limit });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new ZipError("too-large");
    }
    throw new ZipError("corrupt");
  }
}
