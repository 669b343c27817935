/**
 * What a service tells its caller went wrong, in the domain's words: the kind of failure,
 * a stable code the console translates, and the fields at fault. How a kind is answered over
 * HTTP is decided in one place (http/errors.ts); services never name a status.
 */
export type DomainErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media"
  | "unprocessable"
  | "rate_limited"
  | "internal"
  | "upstream_failed"
  | "unavailable"
  | "upstream_timeout";

/**
 * One field a request got wrong: its path in the body (dot-joined) and a stable code the
 * console translates (zod's issue codes, or a domain code such as `password_too_weak`).
 * `minimum`/`maximum` carry the limit a too_small/too_big broke, for the message.
 */
export interface FieldError {
  path: string;
  code: string;
  minimum?: number;
  maximum?: number;
  /** What the limit counts: string (characters), array (items), number (value). */
  origin?: string;
}

/** The code an error carries when it names none of its own. */
const defaultCode: Record<DomainErrorKind, string> = {
  invalid: "invalid_request",
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  too_large: "too_large",
  unsupported_media: "unsupported_media_type",
  unprocessable: "unprocessable",
  rate_limited: "rate_limited",
  internal: "internal",
  upstream_failed: "upstream_failed",
  unavailable: "unavailable",
  upstream_timeout: "upstream_timeout",
};

export class DomainError extends Error {
  /** Stable machine-readable code; the English message is for logs and API users, the code for the console. */
  code: string;
  fields?: FieldError[];
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
    /** For `rate_limited`: when trying again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
    this.code = defaultCode[kind];
  }

  /** Names the failure with a stable code (and the fields at fault) so people see it in their language. */
  withCode(code: string, fields?: FieldError[]): this {
    this.code = code;
    if (fields) this.fields = fields;
    return this;
  }
}
