import { z } from "zod";
import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { administrators } from "../http/roles.ts";
import type { EdgeRegistryService } from "../services/edge-registry.service.ts";
import type { EdgeConfigPublisher } from "../services/edge-config-publisher.ts";
import type { RequestRateLimit } from "../http/request-rate-limit.ts";
import { createEdgeBody, edgeCredentialsSchema, edgeEnrollmentSchema, edgeIdParam as edgeId, edgeWorkerSchema, enrollBody } from "../../contracts/api/edge.ts";

/** Edge workers: administrators register them; an edge trades its one-time token for credentials. */
export function edgeController(edges: EdgeRegistryService, publisher: EdgeConfigPublisher, brokerUrl: string, limit: RequestRateLimit): Router {
  const r = Router();
  const tag = "edges";
  apiRoute(r, {
    method: "get",
    path: "/edges",
    tag,
    access: administrators,
    summary: "List registered edge workers",
    response: z.array(edgeWorkerSchema),
    handler: () => edges.list(),
  });
  apiRoute(r, {
    method: "post",
    path: "/edges",
    tag,
    access: administrators,
    summary: "Register an edge worker (or re-issue its enrollment); returns a one-time enrollment token",
    body: createEdgeBody,
    responds: "{edgeId, enrollmentToken, expiresAt} — the token is shown only here",
    response: edgeEnrollmentSchema,
    handler: ({ body }) => edges.issueEnrollment(body.id, body.name),
  });
  apiRoute(r, {
    method: "post",
    path: "/edges/:id/revoke",
    tag,
    access: administrators,
    summary: "Revoke an edge worker's credentials",
    responds: "204",
    status: 204,
    handler: async ({ params, res }) => {
      await edges.revoke(edgeId.parse(params.id));
      res.status(204).end();
      return undefined;
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/edges/enroll",
    tag,
    access: "public",
    summary: "Enroll an edge worker with its one-time token; returns MQTT credentials and an API token",
    body: enrollBody,
    responds: "{edgeId, mqtt:{url, username, password}, apiToken} · 401 unknown, used or expired token · 429",
    response: edgeCredentialsSchema,
    handler: async ({ req, body }) => {
      limit.check(req, "enroll");
      const creds = await edges.enroll(body.token);
      await publisher.publish(creds.edgeId);
      return { edgeId: creds.edgeId, mqtt: { url: brokerUrl, ...creds.mqtt }, apiToken: creds.apiToken };
    },
  });
  return r;
}
