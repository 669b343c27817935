import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { administrators } from "../http/roles.ts";
import type { DeadLetterReadRepository } from "../repositories/dead-letter-read.repository.ts";
import { deadLetterPageSchema, deadLetterQuery as listQuery } from "../../contracts/api/operations.ts";

/** Candidate messages the database refused, newest first, for administrators to look into. */
export function deadLetterController(deadLetters: Pick<DeadLetterReadRepository, "list">): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/ingest/dead-letters",
    tag: "operations",
    access: administrators,
    summary: "List candidate messages set aside because the database refused them",
    query: listQuery,
    responds: "{total, limit, offset, items:[{id, at, topic, candidateId, seq, cameraId, edgeId, reason, payload}]}",
    response: deadLetterPageSchema,
    handler: async ({ query }) => ({
      limit: query.limit,
      offset: query.offset,
      ...(await deadLetters.list({ limit: query.limit, offset: query.offset, since: query.since ? new Date(query.since) : undefined })),
    }),
  });
  return r;
}
