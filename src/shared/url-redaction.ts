/**
 * The one place that takes secrets out of URLs before they are logged, stored in a health
 * report or put in an error message, on the edge and the back end alike. Camera and
 * broker URLs carry credentials in two places: user info (rtsp://user:pass@host/) and
 * query parameters (…?user=admin&password=…, …?token=…, signed URLs' …&signature=…).
 */

/** A query parameter whose name contains one of these is a secret (password, passwd, pwd, access_token, api_key, X-Amz-Signature, auth…). */
const SECRET_NAME = /pass|pwd|token|key|secret|auth|sig|credential/i;
const MASK = "***";

/** `scheme://` up to the first character that cannot be part of a URL in running text. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
/** `name=value` after ? & or ; — also outside a URL (ffmpeg sometimes prints the query alone). */
const PARAM_IN_TEXT = /([?&;])([^=&#\s"'?;]+)=([^&#\s"';]*)/g;

function redactParams(text: string): string {
  // A value right before ": " is usually a URL that ends a message (ffmpeg: "<url>: Connection refused"): keep the colon.
  return text.replace(PARAM_IN_TEXT, (whole, sep: string, name: string, value: string) =>
    SECRET_NAME.test(safeDecode(name)) && value !== "" ? `${sep}${name}=${MASK}${value.endsWith(":") ? ":" : ""}` : whole,
  );
}

function redactUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, `$1${MASK}@`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** rtsp://user:pw@cam/p?user=admin&password=x&channel=1 → rtsp://***@cam/p?user=admin&password=***&channel=1 */
export function redactUrl(url: string): string {
  return redactParams(redactUserInfo(url));
}

/** The same for any text that may quote URLs: an ffmpeg error line, an exception message, a whole log line. */
export function redactUrlsIn(text: string): string {
  if (!text.includes("=") && !text.includes("@")) return text;
  return redactParams(text.replace(URL_IN_TEXT, (url) => redactUserInfo(url)));
}
