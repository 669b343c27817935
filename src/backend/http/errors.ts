import http from "node:http";
import { randomUUID } from "node:crypto";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { redactUrlsIn } from "../../shared/url-redaction.ts";
import { DomainError, type DomainErrorKind, type FieldError } from "../domain/errors.ts";
import type { Logger } from "../../shared/logger.ts";

export type { FieldError } from "../domain/errors.ts";

/** Stable code of an error that names none of its own: the kind of failure its status says. */
const codeByStatus: Record<number, string> = {
  400: "invalid_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "rate_limited",
  502: "upstream_failed",
  504: "upstream_timeout",
};
export const codeForStatus = (status: number): string => codeByStatus[status] ?? (status >= 500 ? "internal" : "invalid_request");

/** How each kind of domain failure is answered over HTTP: the one place statuses are chosen. */
const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  upstream_failed: 502,
  unavailable: 503,
  upstream_timeout: 504,
};

export const statusOfDomainKind = (kind: DomainErrorKind): number => statusOfKind[kind];

/** The HTTP status an error is answered with (a domain error's kind, an HttpError's own), or null for an unexpected one. */
export function httpStatusOf(err: unknown): number | null {
  if (err instanceof HttpError) return err.status;
  if (err instanceof DomainError) return statusOfKind[err.kind];
  return null;
}

/** An error whose status and message are meant for the API caller. */
export class HttpError extends Error {
  /** Stable machine-readable code; the English message is for logs and API users, the code for the console. */
  code: string;
  fields?: FieldError[];
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to the error, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
    this.code = codeForStatus(status);
  }

  /** Names the failure with a stable code (and the fields at fault) so people see it in their language. */
  withCode(code: string, fields?: FieldError[]): this {
    this.code = code;
    if (fields) this.fields = fields;
    return this;
  }
}

/** zod issues as field errors: path and zod's own issue code, with the broken limit. */
export function fieldErrorsOf(err: ZodError): FieldError[] {
  return err.issues.map((i) => {
    const f: FieldError = { path: i.path.map(String).join("."), code: i.code };
    if (i.code === "too_small" && typeof i.minimum === "number") Object.assign(f, { minimum: i.minimum, origin: i.origin });
    if (i.code === "too_big" && typeof i.maximum === "number") Object.assign(f, { maximum: i.maximum, origin: i.origin });
    return f;
  });
}

export const notFound: RequestHandler = (req, _res, next) => next(new HttpError(404, `no route for ${req.method} ${req.path}`));

/**
 * Every API error leaves as JSON `{ error, code, fields?, details? }`; anything else (static
 * files of the console) as the bare status text. Internal errors are logged with the request id
 * and answered with that id only: no message, stack or file path of ours reaches a caller.
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
      res.status(400).json({
        error: "invalid request",
        code: "invalid_request",
        fields: fieldErrorsOf(err),
        details: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
      return;
    }
    if (err instanceof DomainError) {
      if (err.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(err.retryAfterSeconds));
      res.status(statusOfKind[err.kind]).json({
        error: redactUrlsIn(err.message),
        code: err.code,
        ...(err.fields ? { fields: err.fields } : {}),
        ...(err.details !== undefined ? { details: err.details } : {}),
      });
      return;
    }
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
      res.status(err.status).json({
        error: redactUrlsIn(err.message),
        code: err.code,
        ...(err.fields ? { fields: err.fields } : {}),
        ...(err.details !== undefined ? { details: err.details } : {}),
      });
      return;
    }
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err, requestId, method: req.method, path: req.path }, "request failed");
    if (!isApi(req.originalUrl)) {
      // serve-static's errors name the absolute file path (ENOENT) or carry a stack: plain text only.
      res
        .status(status)
        .type("text/plain; charset=utf-8")
        .send(`${http.STATUS_CODES[status] ?? "Error"}${status === 500 ? ` (request ${requestId})` : ""}\n`);
      return;
    }
    // body-parser errors carry a status (413 too large, 400 bad JSON). Their message may quote
    // the request body, so only the type of problem is returned.
    if (status === 500) res.status(500).json({ error: "internal error", code: "internal", requestId });
    else if (typeof err?.type === "string") res.status(status).json({ error: bodyParserReason(err.type, status), code: bodyParserCode(err.type, status) });
    else res.status(status).json({ error: (http.STATUS_CODES[status] ?? "bad request").toLowerCase(), code: codeForStatus(status) });
  };
}

function bodyParserCode(type: string, status: number): string {
  if (type === "entity.too.large") return "too_large";
  if (type === "entity.parse.failed") return "malformed_json";
  if (type === "encoding.unsupported" || type === "charset.unsupported") return "unsupported_encoding";
  return codeForStatus(status);
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
