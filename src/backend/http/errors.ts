import http from "node:http";
import { randomUUID } from "node:crypto";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { redactUrlsIn } from "../../shared/url-redaction.ts";
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

/**
 * Every API error leaves as JSON `{ error, details? }`; anything else (static files of the
 * console) as the bare status text. Internal errors are logged with the request id and
 * answered with that id only: no message, stack or file path of ours reaches a caller.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = requestIdOf(res);
    if (res.headersSent) {
      log.warn({ err, requestId, method: req.method, path: req.path }, "request failed after its response started");
      res.destroy();
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json({ error: "invalid request", details: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
      return;
    }
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
      res.status(err.status).json({ error: redactUrlsIn(err.message), ...(err.details !== undefined ? { details: err.details } : {}) });
      return;
    }
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err, requestId, method: req.method, path: req.path }, "request failed");
    if (!isApi(req.originalUrl)) {
      // serve-static's errors name the absolute file path (ENOENT) or carry a stack: plain text only.
      res.status(status).type("text/plain; charset=utf-8").send(`${http.STATUS_CODES[status] ?? "Error"}${status === 500 ? ` (request ${requestId})` : ""}\n`);
      return;
    }
    // body-parser errors carry a status (413 too large, 400 bad JSON). Their message may quote
    // the request body, so only the type of problem is returned.
    if (status === 500) res.status(500).json({ error: "internal error", requestId });
    else res.status(status).json({ error: typeof err?.type === "string" ? bodyParserReason(err.type, status) : (http.STATUS_CODES[status] ?? "bad request").toLowerCase() });
  };
}

const isApi = (url: string) => url === "/api" || url.startsWith("/api/") || url.startsWith("/api?");

/** A fresh id per request, sent back as X-Request-Id and written into every error log line, so a report can be matched to the log. */
export const assignRequestId: RequestHandler = (_req, res, next) => {
  const id = randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};

function requestIdOf(res: { locals: Record<string, unknown> }): string {
  return typeof res.locals.requestId === "string" ? res.locals.requestId : "unknown";
}

function bodyParserReason(type: string, status: number): string {
  if (type === "entity.too.large") return "request body too large";
  if (type === "entity.parse.failed") return "request body is not valid JSON";
  if (type === "encoding.unsupported" || type === "charset.unsupported") return "unsupported body encoding";
  return `bad request (${status})`;
}
