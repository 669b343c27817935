import { z } from "zod";
import { evidenceKinds } from "./candidate.ts";

/**
 * Evidence upload, edge → back end over HTTP:
 *
 *   PUT /api/evidence/{sha256}
 *   Content-Type: image/jpeg | image/png | video/mp4
 *   X-CurbWatch-Candidate: {candidateId}
 *   X-CurbWatch-Camera: {cameraId}
 *   X-CurbWatch-Evidence-Kind: snapshot_start | … | clip
 *   Authorization: Bearer {edge token}        (when the back end requires edge tokens)
 *   body: the file's bytes
 *
 * 201 stored · 200 already stored (idempotent retry) · 422 sha256 of the body differs from the URL ·
 * 413 larger than the configured limit · 415 content type not allowed · 400 bad headers.
 * Files are stored content-addressed by sha256, so a retry never stores twice.
 */
export const EVIDENCE_UPLOAD_PATH = "/api/evidence";
export const evidenceHeaders = {
  candidate: "x-curbwatch-candidate",
  camera: "x-curbwatch-camera",
  kind: "x-curbwatch-evidence-kind",
} as const;

export const evidenceContentTypes = ["image/jpeg", "image/png", "video/mp4"] as const;

export const evidenceUploadHeadersSchema = z.object({
  [evidenceHeaders.candidate]: z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/),
  [evidenceHeaders.camera]: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  [evidenceHeaders.kind]: z.enum(evidenceKinds),
  "content-type": z.enum(evidenceContentTypes),
});

export const evidenceUploadResponseSchema = z.object({
  sha256: z.string(),
  bytes: z.number().int(),
  stored: z.enum(["created", "existing"]),
});
export type EvidenceUploadResponse = z.infer<typeof evidenceUploadResponseSchema>;
