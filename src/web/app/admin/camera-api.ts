import { get, post, put } from "../api/client.ts";
import type { Camera, HealthReport, ZoneReferenceView } from "../api/types.ts";
import type { Zone } from "../../../contracts/edge-config.ts";
import type { StaticMasks } from "../../../contracts/static-mask.ts";
import type { ZoneActivity } from "../../../contracts/zone-activity.ts";

/** Fields PUT /api/cameras/:id takes back unchanged; the stream URL and credentials are only sent when edited. */
const keptFields = [
  "name",
  "district",
  "street",
  "grid",
  "address",
  "lat",
  "lng",
  "legalReviewAt",
  "legalReviewer",
  "legalReviewRef",
  "locationPublishedAt",
  "edgeId",
  "enabled",
  "sampling",
  "model",
  "zoneFocus",
  "zones",
  "shopIds",
] as const;

export function cameraBodyFrom(c: Camera): Record<string, unknown> {
  const src = c as unknown as Record<string, unknown>;
  return Object.fromEntries(keptFields.filter((k) => src[k] !== undefined).map((k) => [k, src[k]]));
}

/** Camera registry calls in one place, so the screens do not depend on the exact routes. */
export const cameraApi = {
  list: (signal?: AbortSignal) => get<Camera[]>("/cameras", signal),
  get: (id: string, signal?: AbortSignal) => get<Camera>(`/cameras/${encodeURIComponent(id)}`, signal),
  save: (id: string, body: Record<string, unknown>) => put<Camera>(`/cameras/${encodeURIComponent(id)}`, body),
  /** Zones travel with the whole camera (one PUT publishes one new edge config). */
  saveZones: async (id: string, zones: Zone[]) => {
    const current = await get<Camera>(`/cameras/${encodeURIComponent(id)}`);
    const shopIds = [...new Set([...(current.shopIds ?? []), ...zones.flatMap((z) => z.rules.flatMap((r) => (r.kind === "shop_overflow" ? [r.shopId] : [])))])];
    return put<Camera>(`/cameras/${encodeURIComponent(id)}`, { ...cameraBodyFrom(current), zones, shopIds });
  },
  /** Captures the zone's clear-pavement reference from the camera's current frame (a new version, published to the edge). */
  captureReference: (id: string, zoneId: string) => post<ZoneReferenceView>(`/cameras/${encodeURIComponent(id)}/zones/${encodeURIComponent(zoneId)}/reference`),
  /** What the camera's edge last reported as standing in each zone (administrators; 404 `static_masks_not_reported` until it has). */
  staticMasks: (id: string, signal?: AbortSignal) => get<StaticMasks>(`/cameras/${encodeURIComponent(id)}/static-masks`, signal),
  /** What the camera's edge last reported seeing in each zone and where each rule stands (administrators; 404 `zone_activity_not_reported` until it has). */
  zoneActivity: (id: string, signal?: AbortSignal) => get<ZoneActivity>(`/cameras/${encodeURIComponent(id)}/zone-activity`, signal),
  snapshotUrl: (id: string) => `/api/cameras/${encodeURIComponent(id)}/snapshot?t=${Date.now()}`,
  /** The fleet view needs an administrator's or operator's session; anyone else gets `{status}` only, read as an empty fleet. */
  health: async (signal?: AbortSignal) => {
    const r = await get<Partial<HealthReport>>("/health", signal);
    return { edges: r.edges ?? [], cameras: r.cameras ?? [] };
  },
};
