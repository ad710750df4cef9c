/** Photos for upload tests: a phone-sized JPEG carrying a GPS position in its EXIF, and the form that posts one. */
import sharp from "sharp";

/** 2400×1600 JPEG with the camera's make and a GPS position (what must never be served). */
export const gpsJpeg = (): Promise<Buffer> =>
  sharp({ create: { width: 2400, height: 1600, channels: 3, background: "#4a8" } })
    .jpeg()
    .withExif({
      IFD0: { Make: "Dien thoai" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "14/1 48/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "108/1 57/1 0/1" },
    })
    .toBuffer();

/** The multipart form of a staff photo upload (fields `photo`, `alt`). */
export function photoForm(bytes: Uint8Array, alt: string): FormData {
  const f = new FormData();
  f.set("photo", new File([new Uint8Array(bytes)], "IMG_0001.JPG", { type: "image/jpeg" }));
  f.set("alt", alt);
  return f;
}
