import { ApiError, type ApiFieldError } from "../api/client.ts";

type Translate = (phrase: string, vars?: Record<string, string | number>) => string;

/**
 * What each stable error code of the API means to a person, in English; zh.ts holds the Chinese.
 * The server's own English text never reaches the screen: a code missing here falls back to a
 * sentence chosen by the HTTP status.
 */
const byCode: Record<string, string> = {
  invalid_request: "Some fields are not filled in correctly; see the marked fields",
  malformed_json: "The console sent something the server could not read; reload the page and try again",
  unauthenticated: "Your session has ended; sign in again",
  forbidden: "Your role may not do this",
  not_found: "This item no longer exists",
  method_not_allowed: "This action is not available",
  conflict: "This cannot be done in the item's current state; reload and check",
  too_large: "The file is too large",
  unsupported_media_type: "This kind of file is not accepted",
  unprocessable: "The server refused the input; check the fields and try again",
  rate_limited: "Too many attempts; wait a moment and try again",
  upstream_failed: "The camera did not answer; check that it is online",
  upstream_timeout: "The camera sent no picture in time; check that it is online",
  internal: "Something went wrong on the server; try again, and tell the administrator if it persists",
  network_unreachable: "No connection to the server; check the network and try again",
  upload_failed: "The photo was not sent (no connection); try again",
  upload_timed_out: "The upload took too long; try again on a better connection",
  stale_version: "The case changed meanwhile; reloaded — check and try again",
  concurrent_update: "The case changed meanwhile; reloaded — check and try again",
  illegal_transition: "The case is no longer in a state that allows this; reloaded",
  event_code_not_configured: "This event type is not configured yet; ask the administrator to add it",
  merge_into_itself: "A case cannot be merged into itself",
  merge_target_not_found: "There is no such case to merge into",
  merge_target_invalid: "That case cannot take a merge: only confirmed or dispatched cases can",
  assignee_not_found: "This person does not exist",
  assignee_not_eligible: "This person may not take this task (an enforcement task needs an active officer with a valid certificate)",
  not_assignee: "Only the assigned person records the outcome of this task",
  task_not_accepted: "Accept the task first; then record the outcome",
  officer_photo_required: "Add at least one photo of the site for this outcome",
  outcome_not_allowed_for_role: "Your role may not record this outcome (auxiliary staff take no enforcement decisions)",
  outcome_not_allowed_for_task: "This task allows only education or not-a-case",
  certificate_invalid: "Your enforcement certificate is not valid; you cannot record an enforcement decision",
  vendor_not_found: "This vendor is not registered",
  reason_required: "A reason is needed",
  text_required: "This reason needs an explanation",
  current_password_wrong: "The current password is wrong",
  password_unchanged: "The new password must differ from the current one",
  password_too_weak: "The password does not meet the rules",
  password_required: "A new user needs an initial password",
  user_exists: "A user with this ID already exists; edit that user instead",
  bad_credentials: "Wrong username or password",
  camera_not_found: "This camera does not exist",
  no_stream_url: "This camera has no stream address",
  zone_ids_not_unique: "Two zones have the same ID",
  event_code_inactive: "The event type is not active",
  unknown_shop: "A linked shop is not registered",
  edge_not_registered: "This edge worker is not registered; add it under Edge workers first",
  certificate_exists: "This certificate number is already registered",
  certificate_for_officers_only: "Enforcement certificates belong to officers",
  public_lookup_failed: "No case matches this case number and access code",
  public_image_unavailable: "The public image cannot be prepared now; try again later",
  static_masks_not_reported: "The edge worker has not reported static objects for this camera yet",
  zone_activity_not_reported: "The edge worker has not reported what it sees in this camera's zones yet",
  export_too_large: "Too many cases to export at once (at most 100,000); narrow the filters",
};

/** Field-level codes (zod's issue codes and the API's own), in English; {n} is the limit. */
function fieldSentence(f: ApiFieldError, t: Translate): string {
  switch (f.code) {
    case "required":
      return t("Required");
    case "too_small":
      if (f.origin === "string") return f.minimum === 1 ? t("Required") : t("At least {n} characters", { n: f.minimum ?? 1 });
      if (f.origin === "array" || f.origin === "set") return t("At least {n} items", { n: f.minimum ?? 1 });
      return t("Must be at least {n}", { n: f.minimum ?? 0 });
    case "too_big":
      if (f.origin === "string") return t("At most {n} characters", { n: f.maximum ?? 0 });
      if (f.origin === "array" || f.origin === "set") return t("At most {n} items", { n: f.maximum ?? 0 });
      return t("Must be at most {n}", { n: f.maximum ?? 0 });
    case "invalid_type":
      return t("Missing or of the wrong kind");
    case "invalid_format":
      return t("Not in the expected format");
    case "invalid_value":
    case "invalid_union":
      return t("Not one of the allowed values");
    case "unrecognized_keys":
      return t("Unknown field");
    case "not_found":
      return t("Does not exist");
    case "custom":
      return t("Not valid");
    default:
      return byCode[f.code] ? t(byCode[f.code]) : t("Not valid");
  }
}

/** The sentence for a whole failure, in the person's language; never the server's raw text. */
export function errorSentence(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.code === "rate_limited" && err.retryAfterSeconds) return t("Too many attempts; try again in {n} s", { n: err.retryAfterSeconds });
    const phrase = byCode[err.code] ?? byCode[statusCode(err.status)] ?? byCode.internal;
    return t(phrase);
  }
  if (err instanceof LocalError) return err.message;
  return t(byCode.internal);
}

/** Which stable code a bare status stands for (an answer without a code, e.g. from a proxy). */
function statusCode(status: number): string {
  const m: Record<number, string> = {
    0: "network_unreachable",
    400: "invalid_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    502: "upstream_failed",
    504: "upstream_timeout",
  };
  return m[status] ?? "internal";
}

/** Messages for the fields under `path` (exact, or nested below it: `zones` covers `zones.0.polygon`). */
export function fieldMessages(err: unknown, path: string, t: Translate): string[] {
  if (!(err instanceof ApiError)) return [];
  return err.fields.filter((f) => f.path === path || f.path.startsWith(`${path}.`)).map((f) => fieldSentence(f, t));
}

/** An error the console itself raised, already in the person's language. */
export class LocalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalError";
  }
}

/** Every code this table knows (tests check the Chinese table covers them all). */
export const knownErrorCodes = Object.keys(byCode);
export const errorPhrases = Object.values(byCode);
