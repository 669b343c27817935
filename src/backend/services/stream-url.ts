/** RTSP URLs with the credentials kept apart: stored bare, joined only for the edge and ffmpeg. */
export interface StreamCredentials {
  username: string;
  password: string;
}

/** Splits user:password@ out of a URL (so they can be sealed) and returns the URL without them. */
export function splitCredentials(url: string): { bare: string; credentials: StreamCredentials | null } {
  const u = new URL(url);
  const credentials = u.username ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : null;
  u.username = "";
  u.password = "";
  return { bare: u.toString(), credentials };
}

export function withCredentials(bare: string, c: StreamCredentials | null): string {
  if (!c) return bare;
  const u = new URL(bare);
  u.username = encodeURIComponent(c.username);
  u.password = encodeURIComponent(c.password);
  return u.toString();
}

/** What the API shows: scheme, host, port and path; never user info, and no query (tokens hide there too). */
export function redactedUrl(bare: string | null): string | null {
  if (!bare) return null;
  const u = new URL(bare);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
