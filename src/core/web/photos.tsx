/**
 * What every feature with public photos shares (news articles, held events): the alt text's rule, the upload form,
 * the figure on a page, and sending a stored photo's bytes. The bytes themselves are checked and re-encoded by
 * core/images.ts; who may see a photo is the owning feature's decision, made before `servePhoto`.
 */
import type { Context } from "hono";
import { z } from "zod";
import type { FileStore } from "../file-store.ts";
import { type PreparedUpload, prepareUpload, type UploadDeps } from "../files.ts";
import { preparePhoto } from "../images.ts";
import { findPersonal } from "../text/redact.ts";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { CsrfField, FieldError, type FormState, TextField } from "./forms.tsx";
import { oneLine, validate } from "./validation.ts";

/** A photo's alt text (mô tả ảnh): one line, long enough to say what the photo shows. */
export const altField = z.preprocess(
  oneLine,
  z
    .string({ error: "Nhập mô tả ảnh (cho người khiếm thị)." })
    .min(5, "Mô tả ảnh ít nhất 5 ký tự (cho người khiếm thị).")
    .max(300, "Mô tả ảnh tối đa 300 ký tự."),
);

/** A public photo's alt text checked: the rule above, and nothing personal (it is shown to everyone). */
export function checkAlt(raw: unknown): { ok: true; value: string } | { ok: false; error: string } {
  const alt = validate(altField, raw);
  if (!alt.ok) return { ok: false, error: alt.errors._ ?? "Nhập mô tả ảnh." };
  const found = findPersonal(alt.value)[0];
  if (found)
    return {
      ok: false,
      error: `Phần “Mô tả ảnh” được công khai nên không ghi thông tin cá nhân (“${alt.value.slice(found.start, found.end)}”).`,
    };
  return { ok: true, value: alt.value };
}

/** The uploaded `photo` field of a multipart form, or null when none was chosen. */
export async function photoUpload(value: unknown): Promise<{ name: string; bytes: Uint8Array } | null> {
  return value instanceof File && value.size > 0
    ? { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) }
    : null;
}

/**
 * An uploaded photo checked and re-encoded (core/images.ts), its bytes written to the file store: what is left is
 * the caller's row (`saveFileRow` with its owner) inside its own transaction. A refusal is a Vietnamese message.
 */
export async function preparePhotoUpload(
  deps: UploadDeps,
  file: { name: string; bytes: Uint8Array } | null,
): Promise<{ ok: true; upload: PreparedUpload; width: number; height: number } | { ok: false; error: string }> {
  if (!file) return { ok: false, error: "Chưa chọn ảnh." };
  const photo = await preparePhoto(file.bytes, { maxBytes: deps.config.uploadMaxBytes });
  if (!photo.ok) return photo;
  const upload = await prepareUpload(deps, { name: "anh.jpg", bytes: photo.bytes });
  if (!upload.ok) return { ok: false, error: upload.error };
  return { ok: true, upload, width: photo.width, height: photo.height };
}

/** A photo with its alt text, sized so the page does not jump while it loads. */
export function PhotoFigure({ p, src }: { p: { alt: string; width: number; height: number }; src: string }) {
  return (
    <figure class="photo">
      <img src={src} alt={p.alt} width={p.width} height={p.height} loading="lazy" decoding="async" />
    </figure>
  );
}

/** The staff form adding one photo with its alt text (fields `photo`, `alt`), posted as multipart to `action`. */
export function PhotoUploadForm(props: { action: string; csrfToken: string; state: FormState }) {
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" id="them-anh" novalidate>
      <CsrfField token={props.csrfToken} />
      <label for="photo">Ảnh (PNG, JPEG, GIF, WEBP)</label>
      <span class="hint" id="photo-goi-y">
        Ảnh được thu nhỏ và xóa thông tin vị trí, máy chụp trước khi lưu.
      </span>
      <FieldError errors={props.state.errors} id="photo" />
      <input
        type="file"
        id="photo"
        name="photo"
        accept="image/png,image/jpeg,image/gif,image/webp"
        aria-describedby="photo-goi-y"
      />
      <TextField
        id="alt"
        name="alt"
        label="Mô tả ảnh"
        hint="Ảnh chụp gì, cho người khiếm thị"
        state={{ values: {}, errors: props.state.errors }}
      />
      <button type="submit">Thêm ảnh</button>
    </form>
  );
}

/** Send a stored photo's bytes (JPEG, re-encoded on upload), never sniffed by the browser. */
export async function servePhoto(
  c: Context<AppEnv>,
  files: FileStore,
  p: { sha256: string; mime: string },
  cacheControl: string,
) {
  const bytes = await files.get(p.sha256);
  if (!bytes) throw notFound("Không tìm thấy ảnh.");
  c.header("Content-Type", p.mime);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Cache-Control", cacheControl);
  return c.body(bytes as Uint8Array<ArrayBuffer>);
}
