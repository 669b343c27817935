import { z } from "zod";
import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import type { RequestRateLimit } from "../http/request-rate-limit.ts";
import type { PublicCaseService } from "../services/public-case.service.ts";
import { caseLookupBody as lookupBody, publicCaseSchema, publishedCameraSchema, statementBody, statementSubmittedSchema } from "../../contracts/api/public.ts";

/** No login; every call counts against the per-IP public limit. Case calls are POST so codes never sit in URLs or access logs. */
export function publicController(cases: PublicCaseService, limit: RequestRateLimit): Router {
  const r = Router();
  const tag = "public";
  apiRoute(r, {
    method: "get",
    path: "/public/cameras",
    tag,
    access: "public",
    summary: "List published camera locations with the violations they watch",
    response: z.array(publishedCameraSchema),
    handler: async ({ req }) => (limit.check(req, "public"), cases.publishedCameras()),
  });
  apiRoute(r, {
    method: "post",
    path: "/public/cases/lookup",
    tag,
    access: "public",
    summary: "Look up a case by its number and the access code from the notice",
    body: lookupBody,
    responds: "facts and evidence summary · 404 no match · 429",
    response: publicCaseSchema,
    handler: async ({ req, body }) => (limit.check(req, "public"), cases.lookup(body.caseNumber, body.accessCode, req.ip ?? "unknown")),
  });
  apiRoute(r, {
    method: "post",
    path: "/public/cases/snapshot",
    tag,
    access: "public",
    summary: "The case's snapshot with people blurred (JPEG)",
    body: lookupBody,
    produces: ["image/jpeg"],
    handler: async ({ req, res, body }) => {
      limit.check(req, "public");
      const jpeg = await cases.blurredSnapshot(body.caseNumber, body.accessCode, req.ip ?? "unknown");
      res.setHeader("Content-Type", "image/jpeg");
      res.setHeader("Cache-Control", "no-store");
      res.end(jpeg);
      return undefined;
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/public/cases/statement",
    tag,
    access: "public",
    summary: "Submit a statement or defence (陈述申辩) on a case",
    body: statementBody,
    responds: "201 {submittedAt} · 404 no match · 429",
    status: 201,
    response: statementSubmittedSchema,
    handler: async ({ req, res, body }) => {
      limit.check(req, "public");
      res.status(201);
      return cases.submitStatement(body.caseNumber, body.accessCode, req.ip ?? "unknown", body.text, body.contact);
    },
  });
  return r;
}
