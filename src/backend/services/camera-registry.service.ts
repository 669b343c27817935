import { DomainError } from "../domain/errors.ts";
import type { CameraInput, CameraView } from "../../contracts/api/camera.ts";
import type { CameraSecrets } from "./camera-secrets.ts";
import type { EdgeConfigPublisher } from "./edge-config-publisher.ts";
import { redactedUrl, splitCredentials, withCredentials } from "./stream-url.ts";
import type { Zone } from "../../contracts/index.ts";
import type { CameraRecord, CameraRepository } from "../repositories/camera.repository.ts";
import type { EdgeRepository } from "../repositories/edge.repository.ts";
import type { EventCodeRepository } from "../repositories/event-code.repository.ts";
import type { ShopRepository } from "../repositories/shop.repository.ts";

/** The camera as every API answer shows it: credentials reduced to a flag, the URL stripped. */
function cameraView(c: CameraRecord): CameraView {
  const zones = (c.zones as Zone[] | null) ?? [];
  return {
    id: c.id,
    name: c.name,
    district: c.district,
    street: c.street,
    grid: c.grid,
    address: c.address,
    lat: c.lat,
    lng: c.lng,
    legalReviewAt: iso(c.legalReviewAt),
    legalReviewer: c.legalReviewer,
    legalReviewRef: c.legalReviewRef,
    locationPublishedAt: iso(c.locationPublishedAt),
    locationPublished: c.locationPublishedAt !== null,
    streamUrl: redactedUrl(c.streamUrl),
    hasCredentials: c.credentialsSealed !== null,
    edgeId: c.edgeId,
    enabled: c.enabled,
    sampling: (c.sampling as CameraView["sampling"]) ?? null,
    model: c.model,
    zoneFocus: (c.zoneFocus as CameraView["zoneFocus"]) ?? null,
    zones,
    shopIds: c.shopIds,
    eventCodes: [...new Set(zones.flatMap((z) => z.rules.map((r) => `${r.eventCode.major}/${r.eventCode.minor}`)))].sort(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const toDate = (s: string | null | undefined) => (s ? new Date(s) : s === null ? null : undefined);

/** What the camera registry reads and writes, and the registries a camera refers to. */
export interface CameraRegistryStores {
  cameras: Pick<CameraRepository, "list" | "find" | "save" | "remove">;
  edges: Pick<EdgeRepository, "exists">;
  eventCodes: Pick<EventCodeRepository, "isActive">;
  shops: Pick<ShopRepository, "countExisting">;
}

/** Cameras: registration, sealed credentials, and a new edge config whenever something changes. */
export class CameraRegistryService {
  constructor(
    private stores: CameraRegistryStores,
    private secrets: Pick<CameraSecrets, "seal" | "open">,
    private publisher: Pick<EdgeConfigPublisher, "publish">,
    /** Rewrites the broker's ACL (cameras moved between edges change who may publish what). */
    private onAssignmentChanged: () => Promise<void> = async () => {},
  ) {}

  async list() {
    return (await this.stores.cameras.list()).map(cameraView);
  }

  async get(id: string) {
    return cameraView(await this.existing(id));
  }

  async put(id: string, b: CameraInput) {
    const before = await this.stores.cameras.find(id);
    await this.checkReferences(b);

    let streamUrl = before?.streamUrl ?? null;
    let sealed = before?.credentialsSealed ?? null;
    if (b.streamUrl !== undefined) {
      if (b.streamUrl === null) {
        streamUrl = null;
        sealed = null;
      } else {
        const split = splitCredentials(b.streamUrl);
        streamUrl = split.bare;
        if (split.credentials) sealed = this.secrets.seal(id, split.credentials);
      }
    }
    if (b.credentials !== undefined) sealed = b.credentials === null ? null : this.secrets.seal(id, b.credentials);

    const after = await this.stores.cameras.save(id, {
      name: b.name,
      district: b.district,
      street: b.street,
      grid: b.grid,
      address: b.address,
      lat: b.lat,
      lng: b.lng,
      legalReviewAt: toDate(b.legalReviewAt),
      legalReviewer: b.legalReviewer,
      legalReviewRef: b.legalReviewRef,
      locationPublishedAt: toDate(b.locationPublishedAt),
      streamUrl,
      credentialsSealed: sealed,
      edgeId: b.edgeId,
      enabled: b.enabled,
      sampling: b.sampling ?? undefined,
      model: b.model,
      zoneFocus: b.zoneFocus,
      zones: b.zones ?? undefined,
      shopIds: b.shopIds,
    });
    await this.republish(before?.edgeId ?? null, after.edgeId);
    return cameraView(after);
  }

  async remove(id: string) {
    const before = await this.existing(id);
    await this.stores.cameras.remove(id);
    await this.republish(before.edgeId, null);
  }

  /** The URL ffmpeg needs to grab a frame (credentials included); stays inside the back end. */
  async streamUrlForSnapshot(id: string): Promise<string> {
    const c = await this.existing(id);
    if (!c.streamUrl) throw new DomainError("conflict", `camera ${id} has no stream URL`);
    return withCredentials(c.streamUrl, c.credentialsSealed ? this.secrets.open(id, c.credentialsSealed) : null);
  }

  private async existing(id: string): Promise<CameraRecord> {
    const c = await this.stores.cameras.find(id);
    if (!c) throw new DomainError("not_found", `camera ${id} does not exist`);
    return c;
  }

  /** A camera refers only to a registered edge, active event codes and registered shops; its zone ids are unique. */
  private async checkReferences(b: CameraInput): Promise<void> {
    if (b.edgeId && !(await this.stores.edges.exists(b.edgeId)))
      throw new DomainError("unprocessable", `edge ${b.edgeId} is not registered (POST /api/edges first)`);
    const zones = b.zones ?? [];
    const ids = zones.map((z) => z.id);
    if (new Set(ids).size !== ids.length) throw new DomainError("unprocessable", "zone ids must be unique within a camera");
    const codes = zones.flatMap((z) => z.rules.map((r) => r.eventCode));
    for (const code of codes) {
      if (!(await this.stores.eventCodes.isActive(code.major, code.minor)))
        throw new DomainError("unprocessable", `event code ${code.major}/${code.minor} is not an active event code`);
    }
    const shopIds = [...new Set([...b.shopIds, ...zones.flatMap((z) => z.rules.flatMap((r) => (r.kind === "shop_overflow" ? [r.shopId] : [])))])];
    const known = await this.stores.shops.countExisting(shopIds);
    if (known !== shopIds.length) throw new DomainError("unprocessable", `unknown shop among ${shopIds.join(", ")}`);
  }

  private async republish(oldEdge: string | null, newEdge: string | null): Promise<void> {
    if (oldEdge !== newEdge) await this.onAssignmentChanged();
    for (const edge of new Set([oldEdge, newEdge])) if (edge) await this.publisher.publish(edge);
  }
}
