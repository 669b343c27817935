import pino, { type Logger } from "pino";

/**
 * Structured JSON logs. Anything that may carry a secret is redacted here once,
 * so a careless `log.info({ camera })` cannot leak an RTSP password.
 */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "credentials",
  "*.credentials",
  "token",
  "*.token",
  "headers.cookie",
  "headers.authorization",
  "req.headers.cookie",
  "req.headers.authorization",
];

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { pid: process.pid, service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** rtsp://user:pass@host/ → rtsp://***@host/ for logs and API output. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]+)@/i, "$1***@");
}

export type { Logger };
