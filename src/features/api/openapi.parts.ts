/**
 * The building blocks every feature's part of the OpenAPI document uses, so each part stays short and the
 * errors read the same everywhere: `{error: {id, message}}` with a Vietnamese message, or `{errors: {field: message}}`.
 */

/** A schema object: plain JSON, as OpenAPI 3.1 (JSON Schema 2020-12) reads it. */
export type Schema = Record<string, unknown>;
/** One path's operations, keyed by HTTP method. */
export type PathItem = Record<string, Schema>;

/** What a feature adds to the document: its paths and the named schemas they refer to. */
export interface OpenApiPart {
  paths: Record<string, PathItem>;
  schemas?: Record<string, Schema>;
}

export const str = { type: "string" } as const;
export const int = { type: "integer" } as const;
export const nullableStr = { type: ["string", "null"] } as const;
export const nullableInt = { type: ["integer", "null"] } as const;
export const date = { type: "string", format: "date" } as const;
export const dateTime = { type: "string", format: "date-time" } as const;
export const nullableDate = { type: ["string", "null"], format: "date" } as const;
/** An index 0–100 with one decimal, null when nothing was answered. */
export const index = { type: ["number", "null"], minimum: 0, maximum: 100 } as const;

/** `?ward=CODE` (or `CODE@YYYY-MM-DD` for a unit as it was on a date): the ward the request is about. */
export const wardParam = {
  name: "ward",
  in: "query",
  required: false,
  description: "Mã xã, phường (5 chữ số); mặc định: xã, phường của hệ thống",
  schema: { type: "string", pattern: "^\\d{5}(@\\d{4}-\\d{2}-\\d{2})?$" },
} as const;

/** A free-text search parameter as the search box takes it. */
export const qParam = {
  name: "q",
  in: "query",
  required: false,
  description: "Từ khóa, có dấu hoặc không dấu",
  schema: { type: "string", maxLength: 200 },
} as const;

/** `page` from 1. */
export const pageParam = {
  name: "page",
  in: "query",
  required: false,
  schema: { type: "integer", minimum: 1, default: 1 },
} as const;

/** A path parameter. */
export const pathParam = (name: string, schema: Schema, description?: string) => ({
  name,
  in: "path",
  required: true,
  ...(description ? { description } : {}),
  schema,
});

/** A 2xx JSON response, with an example where one helps. */
export const jsonResponse = (description: string, schema: Schema, example?: unknown) => ({
  description,
  content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } },
});

const errorRef = { $ref: "#/components/schemas/Error" } as const;

/** An error response `{error: {id, message}}` with the message the API really sends, as its example. */
export const errorResponse = (description: string, id: string, message: string, headers?: Schema) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: errorRef, example: { error: { id, message } } } },
});

/** A 400 with one message per field, e.g. the Vietnamese messages of a form's validation. */
export const fieldErrorsResponse = (description: string, example: Record<string, string>) => ({
  description,
  content: {
    "application/json": { schema: { $ref: "#/components/schemas/FieldErrors" }, example: { errors: example } },
  },
});

/** The 400 every list endpoint sends for a bad query parameter. */
export const badQuery = (message: string) => errorResponse("Tham số không hợp lệ", "bad_request", message);

/** The 429 of a rate-limited public form, with the seconds to wait. */
export const rateLimited = errorResponse(
  "Quá nhiều yêu cầu từ một máy trong một khoảng thời gian",
  "rate_limited",
  "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
  { "Retry-After": { description: "Số giây cần chờ trước khi gửi lại", schema: int } },
);

/** The schemas every part may refer to. */
export const commonSchemas: Record<string, Schema> = {
  Error: {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: {
          id: { type: "string", description: "Mã lỗi ổn định, ví dụ not_found, bad_request, rate_limited" },
          message: { type: "string", description: "Thông báo tiếng Việt cho người dùng" },
        },
        required: ["id", "message"],
      },
    },
    required: ["error"],
  },
  FieldErrors: {
    type: "object",
    properties: {
      errors: {
        type: "object",
        description: "Tên trường → thông báo tiếng Việt",
        additionalProperties: { type: "string" },
      },
    },
    required: ["errors"],
  },
};

/** The 404 of `?ward=` naming no commune-level unit. */
export const wardNotFound = errorResponse(
  "Không có xã, phường với mã ?ward=",
  "ward_not_found",
  "Không có đơn vị hành chính cấp xã mã 99999.",
);
