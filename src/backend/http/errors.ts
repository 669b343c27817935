import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import type { Logger } from "../../shared/logger.ts";

/** An error whose status and message are meant for the API caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to the error, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound: RequestHandler = (req, _res, next) => next(new HttpError(404, `no route for ${req.method} ${req.path}`));

/** Every error leaves as JSON `{ error, details? }`; internal errors are logged, never echoed. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ZodError) {
      res.status(400).json({ error: "invalid request", details: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
      return;
    }
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
      res.status(err.status).json({ error: err.message, ...(err.details !== undefined ? { details: err.details } : {}) });
      return;
    }
    // body-parser errors carry a status (413 too large, 400 bad JSON). Their message may quote
    // the request body, so only the type of problem is returned.
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status !== 500 && typeof err?.type === "string") {
      res.status(status).json({ error: bodyParserReason(err.type, status) });
      return;
    }
    if (status === 500) log.error({ err, method: req.method, path: req.path }, "request failed");
    res.status(status).json({ error: status === 500 ? "internal error" : String(err.message ?? "bad request") });
  };
}

function bodyParserReason(type: string, status: number): string {
  if (type === "entity.too.large") return "request body too large";
  if (type === "entity.parse.failed") return "request body is not valid JSON";
  if (type === "encoding.unsupported" || type === "charset.unsupported") return "unsupported body encoding";
  return `bad request (${status})`;
}
