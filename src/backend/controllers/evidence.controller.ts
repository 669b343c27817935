import { Router } from "express";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { HttpError } from "../http/errors.ts";
import { evidenceContentTypes, evidenceHeaders, evidenceUploadHeadersSchema, evidenceUploadResponseSchema } from "../../contracts/index.ts";
import { isSha256 } from "../services/evidence-paths.ts";
import type { EvidenceService } from "../services/evidence.service.ts";

/** PUT /api/evidence/{sha256}: the contract in src/contracts/evidence-upload.ts. */
/** Is this camera assigned to that edge? An edge may upload evidence only for its own cameras. */
export type CameraOwnership = (cameraId: string, edgeId: string) => Promise<boolean>;

export function evidenceController(evidence: EvidenceService, cameraServedBy: CameraOwnership): Router {
  const r = Router();
  apiRoute(r, {
    method: "put",
    path: "/evidence/:sha256",
    tag: "evidence",
    access: "edge",
    summary: "Upload an evidence file (edge workers)",
    rawBody: { contentTypes: evidenceContentTypes },
    responds:
      "201 stored · 200 already stored · 403 camera not assigned to this edge · 422 sha256 mismatch · 413 too large · 415 content type · 400 bad headers",
    response: evidenceUploadResponseSchema,
    handler: async ({ req, res, params, actor }) => {
      if (!isSha256(params.sha256)) throw new HttpError(400, "the URL must end in the lower-case hex sha256 of the body");
      const contentType = (req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (!(evidenceContentTypes as readonly string[]).includes(contentType))
        throw new HttpError(415, `content type must be one of ${evidenceContentTypes.join(", ")}`);
      const headers = evidenceUploadHeadersSchema.safeParse({
        [evidenceHeaders.candidate]: req.header(evidenceHeaders.candidate),
        [evidenceHeaders.camera]: req.header(evidenceHeaders.camera),
        [evidenceHeaders.kind]: req.header(evidenceHeaders.kind),
        "content-type": contentType,
      });
      if (!headers.success)
        throw new HttpError(400, `bad evidence headers: ${headers.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      const edgeId = requireActor(actor).id.replace(/^edge:/, "");
      if (!(await cameraServedBy(headers.data[evidenceHeaders.camera], edgeId)))
        throw new HttpError(403, `camera ${headers.data[evidenceHeaders.camera]} is not assigned to edge ${edgeId}`);
      const length = req.header("content-length");
      const out = await evidence.upload({
        sha256: params.sha256,
        candidateId: headers.data[evidenceHeaders.candidate],
        cameraId: headers.data[evidenceHeaders.camera],
        kind: headers.data[evidenceHeaders.kind],
        contentType,
        declaredBytes: length ? Number(length) : undefined,
        body: req,
      });
      res.status(out.status);
      return { sha256: out.sha256, bytes: out.bytes, stored: out.stored };
    },
  });
  return r;
}
