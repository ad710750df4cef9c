/**
 * Photos for public pages (articles, posters): checked to be an image by their content (never by name or the
 * browser's claim), turned upright, scaled down to a sane width, and re-encoded as JPEG with no metadata at all — so
 * the camera's EXIF, including the GPS position of where it was taken, never leaves. What fails is a Vietnamese
 * message and nothing else.
 */
import { megabytes, sniffType } from "./files.ts";

/** Widest photo kept: wide enough for a desktop article column at 2× density. */
export const PHOTO_MAX_WIDTH = 1600;
/** Pixels decoded at most (a "decompression bomb" of a tiny file stops here). */
const MAX_INPUT_PIXELS = 50_000_000;
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export type PreparedPhoto = { ok: true; bytes: Buffer; width: number; height: number; mime: "image/jpeg" };
export type PhotoRefusal = { ok: false; error: string };

/** Check and re-encode an uploaded photo (see the header); `maxBytes` bounds the upload as sent. */
export async function preparePhoto(
  bytes: Uint8Array,
  opts: { maxBytes: number; maxWidth?: number },
): Promise<PreparedPhoto | PhotoRefusal> {
  if (bytes.length === 0) return { ok: false, error: "Chưa chọn ảnh, hoặc tệp ảnh rỗng." };
  if (bytes.length > opts.maxBytes)
    return { ok: false, error: `Ảnh quá lớn: tối đa ${megabytes(opts.maxBytes)} MB mỗi ảnh.` };
  const type = sniffType(bytes);
  if (!type || !IMAGE_TYPES.has(type.mime))
    return { ok: false, error: "Tệp không phải là ảnh. Chỉ nhận ảnh PNG, JPEG, GIF hoặc WEBP." };
  try {
    // Loaded at the first photo: libvips is a native library a process that never takes a photo need not map.
    const { default: sharp } = await import("sharp");
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", animated: false })
      .rotate()
      .resize({ width: opts.maxWidth ?? PHOTO_MAX_WIDTH, withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 82, progressive: true })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, bytes: data, width: info.width, height: info.height, mime: "image/jpeg" };
  } catch {
    return { ok: false, error: "Không đọc được ảnh (tệp hỏng hoặc quá nhiều điểm ảnh). Vui lòng chọn ảnh khác." };
  }
}
