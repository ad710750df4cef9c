import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import { buildPdf, onePage, stream } from "../../test/helpers/pdf.ts";
import { checkUpload } from "./files.ts";
import { inspectPdf } from "./pdf-active-content.ts";

const JS_ACTION = "<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>";

describe("PDFs with active content", () => {
  test("plain documents pass: text, compressed content, a link, an opening jump to page one", () => {
    assert.deepEqual(inspectPdf(buildPdf(onePage())), { ok: true });
    const link =
      "/Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI (https://duc-pho.vn/thu-tuc) >> >>]";
    assert.deepEqual(inspectPdf(buildPdf(onePage({ catalogExtra: "/OpenAction [3 0 R /Fit]", pageExtra: link }))), {
      ok: true,
    });
  });

  test("binary stream data that happens to spell a refused name is not read as a key", () => {
    const image = stream(
      "/Type /XObject /Subtype /Image /Width 4 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
      "\x00/JS /AA /Launch\x00",
    );
    const objs = onePage({ pageExtra: "/Resources << /XObject << /Im1 5 0 R >> >>" });
    assert.deepEqual(inspectPdf(buildPdf([...objs, image])), { ok: true });
  });

  const refused: [string, Buffer][] = [
    ["a script run on opening", buildPdf(onePage({ catalogExtra: "/OpenAction 5 0 R" }).concat(JS_ACTION))],
    [
      "a document-level script",
      buildPdf(onePage({ catalogExtra: "/Names << /JavaScript << /Names [(a) 5 0 R] >> >>" }).concat(JS_ACTION)),
    ],
    ["a page's additional action", buildPdf(onePage({ pageExtra: "/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>" }))],
    [
      "a launch action",
      buildPdf(
        onePage({ pageExtra: "/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (cmd.exe) >> >>]" }),
      ),
    ],
    [
      "an embedded file",
      buildPdf(
        onePage({
          catalogExtra:
            "/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>] >> >>",
        }).concat(stream("/Type /EmbeddedFile", "MZ\x90\x00")),
      ),
    ],
    [
      "a form that submits",
      buildPdf(onePage({ catalogExtra: "/OpenAction << /S /SubmitForm /F (https://x.example/) >>" })),
    ],
    [
      "a name hidden by #xx escapes",
      buildPdf(onePage({ catalogExtra: "/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>" })),
    ],
  ];
  for (const [what, pdf] of refused) {
    test(`refused: ${what}`, () => {
      const v = inspectPdf(pdf);
      assert.equal(v.ok, false, `${what} is refused`);
      assert.ok(!v.ok && v.reason === "active", `${what} is active content`);
    });
  }

  test("compressed object streams are opened: a script inside one is found, a clean one passes", () => {
    const clean = buildPdf(onePage(), { objectStream: [1, 2, 3] });
    assert.ok(clean.includes("/ObjStm") && !clean.includes("/Catalog"), "the catalog is inside the object stream");
    assert.deepEqual(inspectPdf(clean), { ok: true });
    const hidden = buildPdf(onePage({ catalogExtra: "/OpenAction 5 0 R" }).concat(JS_ACTION), { objectStream: [1, 5] });
    assert.ok(!hidden.includes("JavaScript"), "the script is not visible in the file's bytes");
    const v = inspectPdf(hidden);
    assert.ok(!v.ok && v.reason === "active" && v.what === "mã JavaScript", "the script inside is found");
  });

  test("an object stream this reader cannot open makes the file uninspectable, refused", () => {
    const uninspectable = { ok: false, reason: "uninspectable" };
    const lzw = buildPdf(onePage(), {
      objectStream: [1, 2],
      objStmDict: (n, first, length) => `/Type /ObjStm /N ${n} /First ${first} /Filter /LZWDecode /Length ${length}`,
    });
    assert.deepEqual(inspectPdf(lzw), uninspectable);
    const corrupt = buildPdf(onePage(), { objectStream: [1, 2], objStmData: (plain) => Buffer.from(plain.reverse()) });
    assert.deepEqual(inspectPdf(corrupt), uninspectable);
    // No /Type, but /N and /First: a lenient viewer would still read it as an object stream.
    const untyped = buildPdf(onePage(), {
      objectStream: [1, 2],
      objStmDict: (n, first, length) => `/N ${n} /First ${first} /Filter /LZWDecode /Length ${length}`,
    });
    assert.deepEqual(inspectPdf(untyped), uninspectable);
    // Over the inflate cap: a small file that inflates far beyond what a real document's dictionaries take.
    const bomb = buildPdf(onePage(), {
      objectStream: [1, 2],
      objStmData: (plain) => deflateSync(Buffer.concat([plain, Buffer.alloc(2 * 1024 * 1024, 0x20)])),
    });
    assert.deepEqual(inspectPdf(bomb, 1024 * 1024), uninspectable);
    assert.deepEqual(inspectPdf(bomb), { ok: true }, "within the default cap the same file passes");
    // More streams than any real paper holds: not read on, refused.
    const swarm = Buffer.from(`%PDF-1.7\n${"<< >>\nstream\nx\nendstream\n".repeat(50_001)}%%EOF\n`, "latin1");
    assert.deepEqual(inspectPdf(swarm), uninspectable);
  });

  test("the upload check refuses such a PDF with a Vietnamese reason, and takes the clean one", () => {
    const bad = checkUpload(
      { name: "don-khieu-nai.pdf", bytes: buildPdf(onePage({ catalogExtra: "/OpenAction 5 0 R" }).concat(JS_ACTION)) },
      1024 * 1024,
    );
    assert.ok(!bad.ok && bad.status === 415 && bad.reason === "active_content", "refused as active content");
    assert.match(bad.error, /Tệp PDF “don-khieu-nai\.pdf” không được chấp nhận vì có mã JavaScript/);
    const good = checkUpload({ name: "don.pdf", bytes: buildPdf(onePage()) }, 1024 * 1024);
    assert.ok(good.ok && good.type.mime === "application/pdf", "a plain PDF is accepted");
  });
});
