/** Structured logs. Sensitive fields are redacted by name as a second line of defence: handlers never log them anyway. */
import pino from "pino";

export function createLogger(level: string, destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
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
  };
  // A test passes its own destination to read the lines; the server writes to stdout.
  return destination ? pino(options, destination) : pino(options);
}
