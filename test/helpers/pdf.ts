/**
 * Small, well-formed PDFs built byte by byte for tests: numbered objects, a cross-reference table with true
 * offsets (or, with `objectStream`, PDF 1.5 compressed objects indexed by a cross-reference stream).
 */
import { deflateSync } from "node:zlib";

type Part = string | Uint8Array;
const buf = (p: Part) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p));

/** A stream object: its dictionary entries (without /Length) and its data, raw or deflated. */
export function stream(dictEntries: string, data: Part, opts: { deflate?: boolean } = {}): Buffer {
  const bytes = opts.deflate ? deflateSync(buf(data)) : buf(data);
  const filter = opts.deflate ? " /Filter /FlateDecode" : "";
  return Buffer.concat([
    buf(`<< ${dictEntries}${filter} /Length ${bytes.length} >>\nstream\n`),
    bytes,
    buf("\nendstream"),
  ]);
}

/** A one-page document's objects 1–4 (catalog, pages, page, content), the catalog with `catalogExtra`. */
export function onePage(opts: { catalogExtra?: string; pageExtra?: string; text?: string } = {}): Part[] {
  return [
    `<< /Type /Catalog /Pages 2 0 R ${opts.catalogExtra ?? ""} >>`,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ${opts.pageExtra ?? ""} >>`,
    stream("", `BT /F1 12 Tf 72 770 Td (${opts.text ?? "Bien ban hop"}) Tj ET`, { deflate: true }),
  ];
}

/**
 * A PDF of these objects (object n is `objects[n - 1]`). With `objectStream`, the objects whose numbers it lists
 * are stored compressed in an object stream (its dictionary given by `objStmDict`, its data by `objStmData` when
 * a test needs it broken) and indexed by a cross-reference stream instead of a table.
 */
export function buildPdf(
  objects: Part[],
  opts: {
    objectStream?: number[];
    objStmDict?: (n: number, first: number, length: number) => string;
    objStmData?: (plain: Buffer) => Buffer;
  } = {},
): Buffer {
  const packed = new Set(opts.objectStream ?? []);
  const chunks: Buffer[] = [buf("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")];
  let at = chunks[0]?.length ?? 0;
  const offsets = new Map<number, number>();
  const put = (num: number, body: Buffer) => {
    offsets.set(num, at);
    const obj = Buffer.concat([buf(`${num} 0 obj\n`), body, buf("\nendobj\n")]);
    chunks.push(obj);
    at += obj.length;
  };
  objects.forEach((o, i) => {
    if (!packed.has(i + 1)) put(i + 1, buf(o));
  });
  if (packed.size === 0) {
    const size = objects.length + 1;
    const rows = [...Array(size).keys()].map((n) =>
      n === 0 ? "0000000000 65535 f \n" : `${String(offsets.get(n) ?? 0).padStart(10, "0")} 00000 n \n`,
    );
    chunks.push(
      buf(`xref\n0 ${size}\n${rows.join("")}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`),
    );
    return Buffer.concat(chunks);
  }
  // The object stream: "num offset" pairs, then the objects themselves.
  const inside = [...packed].map((n) => ({ n, body: buf(objects[n - 1] as Part) }));
  let rel = 0;
  const pairs: string[] = [];
  for (const o of inside) {
    pairs.push(`${o.n} ${rel}`);
    rel += o.body.length + 1;
  }
  const header = buf(`${pairs.join(" ")}\n`);
  const plain = Buffer.concat([header, ...inside.flatMap((o) => [o.body, buf("\n")])]);
  const data = opts.objStmData ? opts.objStmData(plain) : deflateSync(plain);
  const objStmNum = objects.length + 1;
  const dict =
    opts.objStmDict?.(inside.length, header.length, data.length) ??
    `/Type /ObjStm /N ${inside.length} /First ${header.length} /Filter /FlateDecode /Length ${data.length}`;
  put(objStmNum, Buffer.concat([buf(`<< ${dict} >>\nstream\n`), data, buf("\nendstream")]));
  // The cross-reference stream: type 1 (offset) or 2 (object stream, index) per object, fields 1, 4 and 2 bytes.
  const xrefNum = objStmNum + 1;
  const size = xrefNum + 1;
  offsets.set(xrefNum, at);
  const rows: number[][] = [];
  for (let n = 0; n < size; n++) {
    const idx = inside.findIndex((o) => o.n === n);
    if (n === 0) rows.push([0, 0, 0xffff]);
    else if (idx >= 0) rows.push([2, objStmNum, idx]);
    else rows.push([1, offsets.get(n) ?? 0, 0]);
  }
  const table = Buffer.alloc(rows.length * 7);
  rows.forEach(([t, a, b], i) => {
    table.writeUInt8(t ?? 0, i * 7);
    table.writeUInt32BE(a ?? 0, i * 7 + 1);
    table.writeUInt16BE(b ?? 0, i * 7 + 5);
  });
  put(
    xrefNum,
    Buffer.concat([
      buf(`<< /Type /XRef /Size ${size} /W [1 4 2] /Root 1 0 R /Length ${table.length} >>\nstream\n`),
      table,
      buf("\nendstream"),
    ]),
  );
  chunks.push(buf(`startxref\n${offsets.get(xrefNum)}\n%%EOF\n`));
  return Buffer.concat(chunks);
}
