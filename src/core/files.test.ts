import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { Document, Packer, Paragraph } from "docx";
import { openSqlite } from "./db/connection.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { blobPath, LocalFileStore } from "./file-store.ts";
import {
  contentDisposition,
  downloadName,
  FileOwners,
  openStoredFile,
  sanitizeFileName,
  sniffType,
  storeFile,
  tooLargeMessage,
  zipEntryNames,
} from "./files.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

/** A zip with stored (uncompressed) entries; CRCs are left at 0, which a central-directory reader does not check. */
function zip(entries: { name: string; data: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const data = Buffer.from(e.data, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe("sniffType: by content only", () => {
  test("accepts PNG, JPEG, GIF, WEBP and PDF by their magic bytes", () => {
    assert.deepEqual(sniffType(PNG), { mime: "image/png", ext: "png" });
    assert.equal(sniffType(bytes([0xff, 0xd8, 0xff, 0xe0], "\u0000\u0010JFIF\u0000"))?.mime, "image/jpeg");
    assert.equal(sniffType(bytes("GIF89a", [1, 0, 1, 0, 0, 0, 0]))?.mime, "image/gif");
    assert.equal(sniffType(bytes("GIF87a", [1, 0, 1, 0]))?.ext, "gif");
    assert.equal(sniffType(bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "))?.mime, "image/webp");
    assert.deepEqual(sniffType(bytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")), {
      mime: "application/pdf",
      ext: "pdf",
    });
  });

  test("accepts a real Word document", async () => {
    const doc = new Document({ sections: [{ children: [new Paragraph("Báo cáo kết quả tuyên truyền")] }] });
    const buf = await Packer.toBuffer(doc);
    assert.deepEqual(sniffType(buf), {
      mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      ext: "docx",
    });
    assert.ok(
      zipEntryNames(buf)?.includes("word/document.xml"),
      'expected: zipEntryNames(buf)?.includes("word/document.xml")',
    );
  });

  test("a zip is a DOCX only if its central directory lists word/document.xml", () => {
    assert.deepEqual(
      sniffType(
        zip([
          { name: "[Content_Types].xml", data: "<Types/>" },
          { name: "word/document.xml", data: "<w:document/>" },
        ]),
      )?.ext,
      "docx",
    );
    // The name appears only inside an entry's data, not as an entry: not a Word document.
    assert.equal(sniffType(zip([{ name: "readme.txt", data: "see word/document.xml and [Content_Types].xml" }])), null);
    assert.equal(sniffType(zip([{ name: "payload.exe", data: "MZ" }])), null);
    // Macro-enabled document dressed as .docx.
    assert.equal(
      sniffType(
        zip([
          { name: "[Content_Types].xml", data: "" },
          { name: "word/document.xml", data: "" },
          { name: "word/vbaProject.bin", data: "" },
        ]),
      ),
      null,
    );
    // Truncated archive: local header only.
    assert.equal(sniffType(bytes([0x50, 0x4b, 0x03, 0x04], "word/document.xml")), null);
  });

  test("refuses executables, SVG, HTML and text whatever their name", () => {
    assert.equal(sniffType(bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0], "This program cannot be run in DOS mode")), null);
    assert.equal(sniffType(bytes([0x7f], "ELF", [2, 1, 1])), null);
    assert.equal(sniffType(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), null);
    assert.equal(sniffType(bytes('<?xml version="1.0"?><svg/>')), null);
    assert.equal(sniffType(bytes("<!DOCTYPE html><html><body>x</body></html>")), null);
    assert.equal(sniffType(bytes("Xin chào")), null);
    assert.equal(sniffType(new Uint8Array()), null);
  });

  test("refuses polyglots: images carrying markup, PDFs with HTML in their head", () => {
    assert.equal(sniffType(Buffer.concat([PNG, Buffer.from("<script>alert(1)</script>")])), null);
    assert.equal(sniffType(bytes("GIF89a/*", "<SCRIPT>alert(1)</SCRIPT>")), null);
    assert.equal(sniffType(bytes("%PDF-1.4\n<html><body onload=alert(1)>")), null);
  });
});

describe("sanitizeFileName", () => {
  test("keeps only the last path part", () => {
    assert.equal(sanitizeFileName("../../x"), "x");
    assert.equal(sanitizeFileName("..\\..\\windows\\system32\\evil.exe"), "evil.exe");
    assert.equal(sanitizeFileName("%2e%2e/%2e%2e/bao-cao.pdf"), "bao-cao.pdf");
    assert.equal(sanitizeFileName("/etc/passwd"), "passwd");
  });

  test("drops control, zero-width and bidi-override characters", () => {
    assert.equal(sanitizeFileName("ảnh\u0000.png"), "ảnh.png");
    // U+202E would show "invoice‮fdp.exe" as "invoiceexe.pdf".
    assert.equal(sanitizeFileName("invoice\u202Efdp.exe"), "invoicefdp.exe");
    assert.equal(sanitizeFileName("a\u200b\u2066b\r\n.pdf"), "ab.pdf");
  });

  test("keeps Vietnamese, normalised to NFC", () => {
    assert.equal(sanitizeFileName("Biên bản hội nghị.pdf".normalize("NFD")), "Biên bản hội nghị.pdf");
  });

  test("no leading dots, no Windows-reserved names or characters, never empty", () => {
    assert.equal(sanitizeFileName(".htaccess"), "htaccess");
    assert.equal(sanitizeFileName(".."), "tep-dinh-kem");
    assert.equal(sanitizeFileName(""), "tep-dinh-kem");
    assert.equal(sanitizeFileName("CON.txt"), "_CON.txt");
    assert.equal(sanitizeFileName('a<b>:"c|d?*.pdf'), "a_b___c_d__.pdf");
  });

  test("at most 120 characters, keeping the extension", () => {
    const long = `${"Tuyên truyền cải cách hành chính ".repeat(10)}.docx`;
    const s = sanitizeFileName(long);
    assert.equal(Array.from(s).length <= 120, true);
    assert.ok(s.endsWith(".docx"), 'expected: s.endsWith(".docx")');
  });
});

describe("downloads", () => {
  test("Content-Disposition is an attachment with an ASCII fallback and the UTF-8 name", () => {
    const h = contentDisposition('Biên bản "họp" (1).pdf');
    assert.ok(h.startsWith("attachment; "), 'expected: h.startsWith("attachment; ")');
    assert.match(h, /filename="Bien ban _hop_ _1_.pdf"/);
    assert.match(h, /filename\*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20_h%E1%BB%8Dp_%20%281%29\.pdf$/);
    assert.doesNotMatch(contentDisposition("a\r\nSet-Cookie: x.pdf"), /[\r\n]/);
  });

  test("the download name carries the sniffed type's extension", () => {
    assert.equal(downloadName({ original_name: "anh.jpeg", mime: "image/jpeg" }), "anh.jpeg");
    assert.equal(downloadName({ original_name: "hoa-don.pdf", mime: "image/png" }), "hoa-don.pdf.png");
    assert.equal(downloadName({ original_name: "bao-cao", mime: "application/pdf" }), "bao-cao.pdf");
  });

  test("the size message is in Vietnamese", () => {
    assert.equal(tooLargeMessage(10 * 1024 * 1024), "Tệp quá lớn (tối đa 10 MB).");
    assert.equal(tooLargeMessage(1.5 * 1024 * 1024), "Tệp quá lớn (tối đa 1,5 MB).");
  });
});

describe("storeFile / openStoredFile", () => {
  test("stores under the content hash, once, with the sanitized name; refuses oversize and unknown types", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-files-"));
    const db = openSqlite(":memory:");
    try {
      await migrateToLatest(db);
      const ward = await db.kysely
        .insertInto("admin_units")
        .values({
          code: "21439",
          name: "Phường Đức Phổ",
          short_name: "Đức Phổ",
          type: "phuong",
          level: "commune",
          parent_id: null,
          valid_from: null,
          valid_to: null,
          name_key: "duc pho",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const deps = {
        db,
        config: { uploadMaxBytes: 1024 * 1024 },
        files: new LocalFileStore(dataDir),
        clock: () => new Date("2024-05-10T03:00:00Z"),
      };
      const owner = { kind: "note", id: 7 };
      const a = await storeFile(deps, {
        wardId: ward.id,
        userId: null,
        owner,
        name: "../../ảnh\u202E.png",
        bytes: PNG,
      });
      const b = await storeFile(deps, { wardId: ward.id, userId: null, owner, name: "copy.png", bytes: PNG });
      assert.ok(a.ok && b.ok, "both files are stored");
      assert.equal(a.file.original_name, "ảnh.png");
      assert.equal(a.file.mime, "image/png");
      assert.equal(a.file.sha256, b.file.sha256);
      const dir = path.join(dataDir, "files", a.file.sha256.slice(0, 2));
      assert.deepEqual(fs.readdirSync(dir), [a.file.sha256]);
      assert.equal(blobPath(dataDir, a.file.sha256), path.join(dir, a.file.sha256));
      assert.deepEqual([a.file.owner_kind, a.file.owner_id], ["note", 7]);

      const big = await storeFile(deps, {
        wardId: ward.id,
        userId: null,
        owner,
        name: "big.png",
        bytes: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]),
      });
      assert.deepEqual(big, { ok: false, status: 413, error: "Tệp quá lớn (tối đa 1 MB).", reason: "too_large" });
      const exe = await storeFile(deps, {
        wardId: ward.id,
        userId: null,
        owner,
        name: "hoa-don.pdf",
        bytes: bytes("MZ", [0x90, 0]),
      });
      assert.equal(exe.ok, false);
      assert.ok(
        !exe.ok && exe.status === 415 && exe.error.includes("không được chấp nhận"),
        'expected: !exe.ok && exe.status === 415 && exe.error.includes("không được chấp nhận")',
      );
      const rows = await db.kysely.selectFrom("stored_files").select("id").execute();
      assert.equal(rows.length, 2);

      // Reading asks the owner kind's rule: allowed, refused (403), hidden or unknown (404), never another ward's.
      const asked: number[] = [];
      const owners = new FileOwners().register("note", async (_db, viewer, ownerId) => {
        asked.push(ownerId);
        return viewer.id === 1 ? "allowed" : viewer.id === 2 ? "forbidden" : "not_found";
      });
      const viewer = (id: number, wardScope = [ward.id]) => ({
        id,
        role: "officer",
        ward_id: ward.id,
        org_unit_id: null,
        wardScope,
      });
      const read = await openStoredFile(deps, owners, viewer(1), a.file.id);
      assert.ok(read.ok, "the rule allows viewer 1");
      assert.deepEqual(Buffer.from(read.bytes), PNG);
      assert.deepEqual(asked, [7], "the rule is asked about the owning record");
      assert.deepEqual(await openStoredFile(deps, owners, viewer(2), a.file.id), { ok: false, status: 403 });
      assert.deepEqual(await openStoredFile(deps, owners, viewer(3), a.file.id), { ok: false, status: 404 });
      assert.deepEqual(await openStoredFile(deps, owners, viewer(1, [ward.id + 1]), a.file.id), {
        ok: false,
        status: 404,
      });
      assert.deepEqual(await openStoredFile(deps, new FileOwners(), viewer(1), a.file.id), { ok: false, status: 404 });
      assert.deepEqual(await openStoredFile(deps, owners, viewer(1), 999), { ok: false, status: 404 });
      assert.throws(() => owners.register("note", async () => "allowed"), /registered twice/);
    } finally {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
