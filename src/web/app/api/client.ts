/** One field the server refused, by its path in the request body and a stable code. */
export interface ApiFieldError {
  path: string;
  code: string;
  minimum?: number;
  maximum?: number;
  origin?: string;
}

/**
 * The one way the console talks to the back end. Every failure becomes an ApiError with the
 * server's stable `code` and `fields`, which the console puts into the person's language
 * (i18n/error-messages.ts); the English `message` is for the developer console only.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly code: string = status === 0 ? "network_unreachable" : "unknown",
    readonly fields: readonly ApiFieldError[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Detail = { path?: string; message?: string };

function fieldsOf(raw: unknown): ApiFieldError[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((f) => (f && typeof f === "object" && typeof f.path === "string" && typeof f.code === "string" ? [f as ApiFieldError] : []));
}

async function errorFrom(res: Response): Promise<ApiError> {
  let text = "";
  try {
    text = await res.text();
  } catch {
    /* body unreadable: the status alone has to do */
  }
  let message = `${res.status} ${res.statusText}`.trim();
  let code: string | undefined;
  let fields: ApiFieldError[] = [];
  try {
    const body = JSON.parse(text) as { error?: string; code?: unknown; fields?: unknown; details?: Detail[] | unknown };
    if (body.error) message = body.error;
    if (typeof body.code === "string") code = body.code;
    fields = fieldsOf(body.fields);
    if (Array.isArray(body.details) && body.details.length) {
      message += ": " + (body.details as Detail[]).map((d) => (d.path ? `${d.path} — ${d.message}` : d.message)).join("; ");
    }
  } catch {
    if (text && text.length < 300) message += `: ${text}`;
  }
  const retry = Number(res.headers.get("retry-after"));
  return new ApiError(res.status, message, Number.isFinite(retry) && retry > 0 ? retry : undefined, code ?? `http_${res.status}`, fields);
}

/** Listeners told when any call comes back 401, so the shell can return to the login screen. */
const unauthorisedListeners = new Set<() => void>();
export function onUnauthorised(fn: () => void): () => void {
  unauthorisedListeners.add(fn);
  return () => unauthorisedListeners.delete(fn);
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal; quiet401?: boolean; headers?: Record<string, string> } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: "same-origin",
      headers: {
        ...(body !== undefined ? { "content-type": "application/json", accept: "application/json" } : { accept: "application/json" }),
        ...opts.headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "network unreachable — check the connection and try again");
  }
  if (!res.ok) {
    const e = await errorFrom(res);
    if (res.status === 401 && !opts.quiet401) unauthorisedListeners.forEach((fn) => fn());
    throw e;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get("content-type") ?? "";
  return (type.includes("json") ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>("GET", path, undefined, { signal });
export const post = <T>(path: string, body: unknown = {}) => api<T>("POST", path, body);
export const put = <T>(path: string, body: unknown) => api<T>("PUT", path, body);

/** Query string from the defined, non-empty values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * Uploads a file with progress (fetch has no upload progress): officers on a slow mobile
 * connection need to see that the photo is still moving.
 */
export function uploadWithProgress<T>(path: string, file: Blob, contentType: string, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("content-type", contentType);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, "network unreachable — the photo was not sent; try again", undefined, "upload_failed"));
    xhr.ontimeout = () => reject(new ApiError(0, "upload timed out — try again on a better connection", undefined, "upload_timed_out"));
    xhr.timeout = 5 * 60_000;
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, { status: xhr.status, headers: { "content-type": xhr.getResponseHeader("content-type") ?? "" } });
      if (xhr.status >= 200 && xhr.status < 300) resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      else reject(await errorFrom(res));
    };
    xhr.send(file);
  });
}
