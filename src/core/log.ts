/** Structured logs. Sensitive fields are redacted by name as a second line of defence: handlers never log them anyway. */
import pino from "pino";

export function createLogger(level: string) {
  return pino({
    level,
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "cookie",
        "*.cookie",
        "req.headers.cookie",
        "phone",
        "*.phone",
      ],
      censor: "[ẩn]",
    },
  });
}
