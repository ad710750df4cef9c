/** Named errors with a status and a stable id; one handler turns them into a page or JSON, never a stack trace. */

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what = "Không tìm thấy trang bạn cần.") => new AppError(404, "not_found", what);
export const forbidden = (why = "Bạn không có quyền thực hiện việc này.") => new AppError(403, "forbidden", why);
export const badRequest = (why: string) => new AppError(400, "bad_request", why);
