import type { CameraConfig, EdgeConfig } from "../../contracts/edge-config.ts";

export interface CameraDiff {
  added: CameraConfig[];
  removed: string[];
  /** Stream settings changed (url, sampling, model, watchdog…): the camera's stream restarts. */
  restarted: CameraConfig[];
  /** Only zones/rules changed: applied in place, the stream keeps running. */
  rezoned: CameraConfig[];
}

// Whether zone focus runs decides the frame ffmpeg hands over (working canvas or model input), so
// a camera gaining its first zone or losing its last one restarts; other zone edits do not.
const streamPart = (c: CameraConfig) => JSON.stringify({ ...c, zones: undefined, name: undefined, zoneFocused: c.zoneFocus.enabled && c.zones.length > 0 });

/** What a new config means for each camera, so untouched cameras are left alone. */
export function diffCameras(prev: EdgeConfig | null, next: EdgeConfig): CameraDiff {
  const before = new Map((prev?.cameras ?? []).filter((c) => c.enabled).map((c) => [c.id, c]));
  const after = new Map(next.cameras.filter((c) => c.enabled).map((c) => [c.id, c]));
  const diff: CameraDiff = { added: [], removed: [], restarted: [], rezoned: [] };
  for (const [id, cam] of after) {
    const old = before.get(id);
    if (!old) diff.added.push(cam);
    else if (streamPart(old) !== streamPart(cam)) diff.restarted.push(cam);
    else if (JSON.stringify(old.zones) !== JSON.stringify(cam.zones) || old.name !== cam.name) diff.rezoned.push(cam);
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  return diff;
}
