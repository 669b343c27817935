import { ApiError } from "./client.ts";

/**
 * Downloads a file the API makes (a CSV export) with byte progress, then hands it to the
 * browser under `filename`. A refusal becomes an ApiError with the server's stable code, so the
 * console says it in the person's language.
 */
export async function downloadFile(path: string, filename: string, onProgress: (fraction: number | null) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network unreachable — check the connection and try again");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
    throw new ApiError(res.status, body.error ?? res.statusText, undefined, body.code ?? `http_${res.status}`);
  }
  const total = Number(res.headers.get("content-length")) || 0;
  const reader = res.body!.getReader();
  const parts: BlobPart[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    onProgress(total ? received / total : null);
  }
  const url = URL.createObjectURL(new Blob(parts, { type: res.headers.get("content-type") ?? "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
