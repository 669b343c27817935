import pino, { type DestinationStream, type Logger } from "pino";
import { redactUrl, redactUrlsIn } from "./url-redaction.ts";

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

/**
 * Every finished line passes through the URL redaction, whatever field or message carries
 * the URL (an error's message and stack included): a key-path list cannot know where an
 * ffmpeg error will quote a camera URL.
 */
const redactedStdout: DestinationStream = { write: (line: string) => void process.stdout.write(redactUrlsIn(line)) };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { pid: process.pid, service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    redactedStdout,
  );
}

/** rtsp://user:pass@host/p?password=… → rtsp://***@host/p?password=*** for logs and API output (see url-redaction.ts). */
export { redactUrl };

export type { Logger };
