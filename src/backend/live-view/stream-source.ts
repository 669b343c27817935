import type { Database } from "../db/database.ts";
import { HttpError } from "../http/errors.ts";
import type { CameraSecrets } from "../services/camera-secrets.ts";
import { withCredentials } from "../services/stream-url.ts";

/** The camera's stream URL with its sealed credentials opened; it only ever goes to ffmpeg's argv. */
export async function liveStreamUrl(db: Database, secrets: CameraSecrets, cameraId: string): Promise<string> {
  const c = await db.prisma.camera.findUnique({ where: { id: cameraId } });
  if (!c) throw new HttpError(404, `camera ${cameraId} does not exist`);
  if (!c.streamUrl) throw new HttpError(409, `camera ${cameraId} has no stream URL`);
  return withCredentials(c.streamUrl, c.credentialsSealed ? secrets.open(cameraId, c.credentialsSealed) : null);
}
