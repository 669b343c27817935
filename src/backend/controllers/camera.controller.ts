import { Router } from "express";
import { z } from "zod";
import { apiRoute } from "../http/api-route.ts";
import { administrators, anyUser, commandCenter } from "../http/roles.ts";
import { cameraBody, cameraViewSchema, zoneReferenceViewSchema } from "../../contracts/api/camera.ts";
import { staticMasksSchema } from "../../contracts/static-mask.ts";
import { zoneActivitySchema } from "../../contracts/zone-activity.ts";
import type { CameraRegistryService } from "../services/camera-registry.service.ts";
import { grabSnapshot } from "../services/camera-snapshot.ts";
import type { ZoneReferencesService } from "../services/zone-references.service.ts";
import type { CameraReports } from "../services/camera-reports.ts";
import { requireActor } from "../http/api-route.ts";

const cameraId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "camera ids are letters, digits, _ . - (max 64)");

/** Camera registry: anyone logged in reads (no credentials ever), administrators change, command center grabs frames. */
const zoneId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "zone ids are letters, digits, _ . - (max 64)");

export function cameraController(cameras: CameraRegistryService, references: ZoneReferencesService, reports: CameraReports): Router {
  const r = Router();
  const tag = "cameras";
  apiRoute(r, {
    method: "get",
    path: "/cameras",
    tag,
    access: anyUser,
    summary: "List cameras (credentials are never returned)",
    response: z.array(cameraViewSchema),
    handler: () => cameras.list(),
  });
  apiRoute(r, {
    method: "get",
    path: "/cameras/:id",
    tag,
    access: anyUser,
    summary: "Get a camera with zones, rules and review status",
    response: cameraViewSchema,
    handler: ({ params }) => cameras.get(cameraId.parse(params.id)),
  });
  apiRoute(r, {
    method: "put",
    path: "/cameras/:id",
    tag,
    access: administrators,
    summary: "Create or update a camera; publishes a new config to its edge",
    body: cameraBody,
    responds: "the camera (hasCredentials instead of credentials) · 422 unknown edge, event code or shop",
    response: cameraViewSchema,
    handler: ({ params, body }) => cameras.put(cameraId.parse(params.id), body),
  });
  apiRoute(r, {
    method: "delete",
    path: "/cameras/:id",
    tag,
    access: administrators,
    summary: "Remove a camera; publishes a new config to its edge",
    responds: "204",
    status: 204,
    handler: async ({ params, res }) => {
      await cameras.remove(cameraId.parse(params.id));
      res.status(204).end();
      return undefined;
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/cameras/:id/snapshot",
    tag,
    access: commandCenter,
    summary: "Grab a current frame of the camera (JPEG) for drawing zones",
    produces: ["image/jpeg"],
    responds: "200 JPEG · 409 no stream URL · 502 stream error · 504 no frame in time",
    handler: async ({ params, res }) => {
      const jpeg = await grabSnapshot(await cameras.streamUrlForSnapshot(cameraId.parse(params.id)));
      res.setHeader("Content-Type", "image/jpeg");
      res.setHeader("Cache-Control", "private, no-store");
      res.end(jpeg);
      return undefined;
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/cameras/:id/zones/:zoneId/reference",
    tag,
    access: administrators,
    summary: "Capture a clear-pavement reference of the zone from the camera's current frame (a new version); publishes a new config to its edge",
    responds:
      "201 the reference's version, time and author (not its pixels) · 404 camera or zone · 409 no stream URL · 502 stream error · 504 no frame in time",
    status: 201,
    response: zoneReferenceViewSchema,
    handler: async ({ params, actor, res }) => {
      const captured = await references.capture(cameraId.parse(params.id), zoneId.parse(params.zoneId), requireActor(actor).id);
      res.status(201);
      return captured;
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/cameras/:id/zones/:zoneId/reference",
    tag,
    access: anyUser,
    summary: "The zone's clear-pavement references, newest first (versions, not pixels)",
    response: z.array(zoneReferenceViewSchema),
    handler: ({ params }) => references.history(cameraId.parse(params.id), zoneId.parse(params.zoneId)),
  });
  apiRoute(r, {
    method: "get",
    path: "/cameras/:id/static-masks",
    tag,
    access: administrators,
    summary: "The static-object mask of each zone as the camera's edge last reported it (for the zone editor)",
    responds:
      "200 {at, zones: [{zoneId, width, height, region, cells}]} — cells: base64 bitset, row-major, 1 = static · 404 camera (not_found) or nothing reported yet (static_masks_not_reported)",
    response: staticMasksSchema,
    handler: async ({ params, res }) => {
      res.setHeader("Cache-Control", "private, no-store");
      return reports.latest(cameraId.parse(params.id), "staticMasks");
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/cameras/:id/zone-activity",
    tag,
    access: administrators,
    summary: "What the camera's edge last reported seeing in each zone and where each rule stands (for the zone editor)",
    responds:
      "200 {at, zones: [{zoneId, detections: [{label, role, score, box}], rules: [{ruleId, kind, state, detail}]}]} — state: raised, counting, not_enough, outside_schedule, cooldown or no_frames · 404 camera (not_found) or nothing reported yet (zone_activity_not_reported)",
    response: zoneActivitySchema,
    handler: async ({ params, res }) => {
      res.setHeader("Cache-Control", "private, no-store");
      return reports.latest(cameraId.parse(params.id), "zoneActivity");
    },
  });
  return r;
}
