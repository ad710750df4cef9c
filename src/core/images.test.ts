import assert from "node:assert/strict";
import { test } from "node:test";
import sharp from "sharp";
import { PHOTO_MAX_WIDTH, preparePhoto } from "./images.ts";

const MB = 1024 * 1024;

test("a large photo with GPS in its EXIF comes out smaller, upright and without any metadata", async () => {
  const input = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#3a7" } })
    .jpeg()
    .withExif({
      IFD0: { Make: "Máy ảnh", Model: "X1", Copyright: "Nguyễn Văn A" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "14/1 48/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "108/1 57/1 0/1" },
    })
    .toBuffer();
  const before = await sharp(input).metadata();
  assert.ok(before.exif && before.exif.length > 0, "the fixture carries EXIF");
  const r = await preparePhoto(input, { maxBytes: 10 * MB });
  assert.ok(r.ok, "accepted");
  if (!r.ok) return;
  const meta = await sharp(r.bytes).metadata();
  assert.equal(meta.format, "jpeg", "re-encoded as JPEG");
  assert.equal(meta.width, PHOTO_MAX_WIDTH, "scaled down to the widest kept");
  assert.equal(r.width, PHOTO_MAX_WIDTH, "the reported width is the stored one");
  assert.equal(meta.exif, undefined, "no EXIF (no GPS position) left");
  assert.equal(meta.icc, undefined, "no other metadata block either");
  assert.ok(!r.bytes.includes(Buffer.from("Nguy")), "not a byte of the old metadata");
});

test("a small PNG is not enlarged", async () => {
  const png = await sharp({ create: { width: 40, height: 30, channels: 4, background: "#0000" } })
    .png()
    .toBuffer();
  const r = await preparePhoto(png, { maxBytes: MB });
  assert.ok(r.ok && r.width === 40 && r.height === 30, "kept at its size");
});

test("not an image, empty, too large, or broken: a Vietnamese message", async () => {
  const cases: [Uint8Array, RegExp][] = [
    [Buffer.from("Xin chào, đây là văn bản chứ không phải ảnh"), /không phải là ảnh/],
    [Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), /không phải là ảnh/],
    [new Uint8Array(0), /Chưa chọn ảnh/],
    [new Uint8Array(2 * MB).fill(0xff), /Ảnh quá lớn: tối đa 1 MB/],
    [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]), /Không đọc được ảnh/],
  ];
  for (const [bytes, message] of cases) {
    const r = await preparePhoto(bytes, { maxBytes: MB });
    assert.ok(!r.ok, `refused: ${message}`);
    if (!r.ok) assert.match(r.error, message, "the message says why");
  }
});
