/**
 * Art. 41 行政处罚法: evidence from a fixed camera supports a penalty only when the
 * camera passed its legal and technical review and its location was published —
 * both before the situation was recorded.
 */
export interface CameraStanding {
  legalReviewAt: Date | null;
  locationPublishedAt: Date | null;
}

export function penaltyEvidenceStanding(camera: CameraStanding | null, recordedAt: Date): { usable: boolean; note: string | null } {
  if (!camera) return { usable: false, note: "camera is not registered" };
  const missing: string[] = [];
  if (!camera.legalReviewAt) missing.push("camera has not passed legal and technical review");
  else if (camera.legalReviewAt > recordedAt) missing.push("camera was reviewed only after this was recorded");
  if (!camera.locationPublishedAt) missing.push("camera location is not published");
  else if (camera.locationPublishedAt > recordedAt) missing.push("camera location was published only after this was recorded");
  return missing.length ? { usable: false, note: `not usable for penalty: ${missing.join("; ")}` } : { usable: true, note: null };
}
