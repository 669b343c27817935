import { DomainError } from "../domain/errors.ts";
import type { CameraRecord } from "../repositories/camera.repository.ts";
import type { CameraSecrets } from "../services/camera-secrets.ts";
import { withCredentials } from "../services/stream-url.ts";

/** The camera's stream URL with its sealed credentials opened; it only ever goes to ffmpeg's argv. */
export async function liveStreamUrl(cameras: { find(id: string): Promise<CameraRecord | null> }, secrets: CameraSecrets, cameraId: string): Promise<string> {
  const c = await cameras.find(cameraId);
  if (!c) throw new DomainError("not_found", `camera ${cameraId} does not exist`).withCode("camera_not_found");
  if (!c.streamUrl) throw new DomainError("conflict", `camera ${cameraId} has no stream URL`).withCode("camera_without_stream");
  return withCredentials(c.streamUrl, c.credentialsSealed ? secrets.open(cameraId, c.credentialsSealed) : null);
}
