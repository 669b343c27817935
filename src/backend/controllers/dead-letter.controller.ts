import { Router } from "express";
import { z } from "zod";
import { apiRoute } from "../http/api-route.ts";
import { administrators } from "../http/roles.ts";
import type { DeadLetterReadRepository } from "../repositories/dead-letter-read.repository.ts";

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  since: z.iso.datetime({ offset: true }).optional(),
});

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
    handler: async ({ query }) => ({
      limit: query.limit,
      offset: query.offset,
      ...(await deadLetters.list({ limit: query.limit, offset: query.offset, since: query.since ? new Date(query.since) : undefined })),
    }),
  });
  return r;
}
