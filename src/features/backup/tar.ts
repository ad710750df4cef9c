/**
 * The smallest tar (POSIX ustar) the backup needs, over Node streams: regular files only, written and read in one
 * pass without holding a file in memory. A plain format on purpose: `tar tzf` lists a backup and `tar xzf` unpacks
 * it into a data folder by hand. Integrity is the manifest's job (SHA-256 of every entry); the reader still checks
 * each header's checksum and refuses anything truncated, so a damaged archive fails early with a clear message.
 */

const BLOCK = 512;
/** Largest size the 11 octal digits of a ustar header hold (8 GiB − 1); larger sizes use the base-256 form. */
const OCTAL_MAX = 8 ** 11 - 1;

/** A damaged, truncated or foreign archive. */
export class ArchiveError extends Error {}

export interface TarEntry {
  /** A relative path of printable ASCII, at most 100 characters (ours: `cchc.sqlite`, `files/ab/abcd…`). */
  name: string;
  size: number;
  mtime?: Date;
  body(): AsyncIterable<Uint8Array>;
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (!/^[\x21-\x7e]{1,100}$/.test(name)) throw new Error(`tar: unsupported entry name ${JSON.stringify(name)}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, "ascii");
  h.write("0000644\0", 100, "ascii");
  h.write("0000000\0", 108, "ascii");
  h.write("0000000\0", 116, "ascii");
  if (size <= OCTAL_MAX) h.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  else {
    // GNU base-256: high bit set, big-endian binary in the rest of the field.
    let n = size;
    for (let i = 135; i > 124; i--) {
      h[i] = n % 256;
      n = Math.floor(n / 256);
    }
    h[124] = 0x80;
  }
  h.write(
    `${Math.floor(mtime.getTime() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
    "ascii",
  );
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write(`${checksum(h).toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

/** Sum of the header's bytes with the checksum field counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
  return sum;
}

/** The archive's bytes, entry by entry; an entry whose body is not exactly its declared size stops the archive. */
export async function* writeTar(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    yield header(e.name, e.size, e.mtime ?? new Date());
    let written = 0;
    for await (const chunk of e.body()) {
      written += chunk.length;
      if (written > e.size) break;
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    if (written !== e.size) throw new Error(`tar: ${e.name} changed size while being archived`);
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** Exact reads over a stream of chunks. */
class ByteReader {
  #it: AsyncIterator<Uint8Array>;
  #buf: Buffer = Buffer.alloc(0);
  #done = false;
  constructor(source: AsyncIterable<Uint8Array>) {
    this.#it = source[Symbol.asyncIterator]();
  }
  async #more(): Promise<boolean> {
    if (this.#done) return false;
    const r = await this.#it.next();
    if (r.done) {
      this.#done = true;
      return false;
    }
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, r.value]) : Buffer.from(r.value);
    return true;
  }
  /** Exactly n bytes, or null when the stream ends first. */
  async exact(n: number): Promise<Buffer | null> {
    while (this.#buf.length < n) if (!(await this.#more())) return null;
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }
  /** Up to n bytes in pieces as they arrive (`left.n` counts down); throws when the stream ends before n. */
  async *pieces(left: { n: number }, onShort: () => Error): AsyncGenerator<Buffer> {
    while (left.n > 0) {
      if (this.#buf.length === 0 && !(await this.#more())) throw onShort();
      const take = Math.min(left.n, this.#buf.length);
      const out = this.#buf.subarray(0, take);
      this.#buf = this.#buf.subarray(take);
      left.n -= take;
      yield out;
    }
  }
  /** Whatever remains is zeros (tar pads its end with them). */
  async restIsZeros(): Promise<boolean> {
    do {
      for (const b of this.#buf) if (b !== 0) return false;
      this.#buf = Buffer.alloc(0);
    } while (await this.#more());
    return true;
  }
}

const TRUNCATED = () => new ArchiveError("Tệp sao lưu bị cắt cụt (thiếu phần cuối).");

function parseSize(h: Buffer): number {
  const first = h[124] as number;
  if (first & 0x80) {
    let n = 0;
    for (let i = 125; i < 136; i++) n = n * 256 + (h[i] as number);
    return n;
  }
  const text = h
    .toString("ascii", 124, 136)
    .replace(/[\0 ]+$/, "")
    .trim();
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError("Tệp sao lưu bị hỏng (kích thước một mục không đọc được).");
  return Number.parseInt(text, 8);
}

const cString = (h: Buffer, start: number, length: number) => {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.toString("utf8", 0, end === -1 ? length : end);
};

export interface ReadEntry {
  name: string;
  size: number;
  /** Read it (or not: the rest is skipped) before asking for the next entry. */
  body: AsyncGenerator<Buffer>;
}

/** The regular files of a tar stream; refuses a bad header checksum, a truncated entry or a missing end marker. */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<ReadEntry> {
  const r = new ByteReader(source);
  for (;;) {
    const h = await r.exact(BLOCK);
    if (!h) throw TRUNCATED();
    if (h.every((b) => b === 0)) {
      const second = await r.exact(BLOCK);
      if (!second) throw TRUNCATED();
      if (!second.every((b) => b === 0) || !(await r.restIsZeros()))
        throw new ArchiveError("Tệp sao lưu bị hỏng (có dữ liệu sau dấu kết thúc).");
      return;
    }
    const stored = Number.parseInt(h.toString("ascii", 148, 156).replace(/[\0 ]/g, ""), 8);
    if (stored !== checksum(h)) throw new ArchiveError("Tệp sao lưu bị hỏng (tiêu đề một mục sai tổng kiểm).");
    const type = String.fromCharCode(h[156] as number);
    const size = parseSize(h);
    const prefix = cString(h, 345, 155);
    const name = prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100);
    const left = { n: size };
    if (type === "0" || type === "\0") yield { name, size, body: r.pieces(left, TRUNCATED) };
    else if (type !== "5") throw new ArchiveError(`Tệp sao lưu có mục không được hỗ trợ: ${name}.`);
    for await (const _ of r.pieces(left, TRUNCATED)); // what the consumer left unread
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad && !(await r.exact(pad))) throw TRUNCATED();
  }
}
