import type { EdgeStore } from "../../../src/backend/services/edge-registry.service.ts";
import type { CameraRegistryStores } from "../../../src/backend/services/camera-registry.service.ts";
import type { EdgeCredentialHashes, EdgeRecord, EdgeSummary } from "../../../src/backend/repositories/edge.repository.ts";
import type { CameraRecord, CameraWrite } from "../../../src/backend/repositories/camera.repository.ts";

/** Edge workers in a Map. */
export class InMemoryEdges implements EdgeStore {
  readonly rows = new Map<string, EdgeRecord>();

  constructor(private clock: () => Date = () => new Date()) {}

  async list(): Promise<EdgeSummary[]> {
    return [...this.rows.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(({ id, name, active, enrolledAt, enrollExpiresAt, configRevision, createdAt, updatedAt }) => ({
        id,
        name,
        active,
        enrolledAt,
        enrollExpiresAt,
        configRevision,
        createdAt,
        updatedAt,
      }));
  }

  async find(id: string): Promise<EdgeRecord | null> {
    return this.rows.get(id) ?? null;
  }

  async findByEnrollmentHash(hash: string): Promise<EdgeRecord | null> {
    return [...this.rows.values()].find((e) => e.enrollTokenHash === hash) ?? null;
  }

  async findByApiTokenHash(hash: string): Promise<EdgeRecord | null> {
    return [...this.rows.values()].find((e) => e.apiTokenHash === hash) ?? null;
  }

  async exists(id: string): Promise<boolean> {
    return this.rows.has(id);
  }

  async saveEnrollment(id: string, name: string, enrollTokenHash: string, enrollExpiresAt: Date): Promise<void> {
    this.write(id, name, { name, enrollTokenHash, enrollExpiresAt, active: true });
  }

  async saveCredentials(id: string, name: string, c: EdgeCredentialHashes): Promise<void> {
    this.write(id, name, { ...c, enrollTokenHash: null, enrollExpiresAt: null });
  }

  async revoke(id: string): Promise<boolean> {
    const e = this.rows.get(id);
    if (!e) return false;
    Object.assign(e, { active: false, apiTokenHash: null, mqttPasswordHash: null, mosquittoHash: null, enrollTokenHash: null, updatedAt: this.clock() });
    return true;
  }

  async withBrokerPassword(): Promise<{ id: string; mosquittoHash: string }[]> {
    return [...this.rows.values()].filter((e) => e.active && e.mosquittoHash).map((e) => ({ id: e.id, mosquittoHash: e.mosquittoHash! }));
  }

  private write(id: string, name: string, data: Partial<EdgeRecord>): void {
    const now = this.clock();
    const before: EdgeRecord = this.rows.get(id) ?? {
      id,
      name,
      enrollTokenHash: null,
      enrollExpiresAt: null,
      enrolledAt: null,
      apiTokenHash: null,
      mqttPasswordHash: null,
      mosquittoHash: null,
      configRevision: 0,
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    this.rows.set(id, { ...before, ...data, updatedAt: now });
  }
}

/** Cameras in a Map, stored the way the repository stores a CameraWrite. */
export class InMemoryCameras implements Pick<CameraRegistryStores["cameras"], "list" | "find" | "save" | "remove"> {
  readonly rows = new Map<string, CameraRecord>();

  async list(): Promise<CameraRecord[]> {
    return [...this.rows.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async find(id: string): Promise<CameraRecord | null> {
    return this.rows.get(id) ?? null;
  }

  async save(id: string, w: CameraWrite): Promise<CameraRecord> {
    const now = new Date();
    const before = this.rows.get(id);
    const defined = Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined));
    const row: CameraRecord = {
      id,
      district: null,
      street: null,
      grid: null,
      address: null,
      lat: null,
      lng: null,
      legalReviewAt: null,
      legalReviewer: null,
      legalReviewRef: null,
      locationPublishedAt: null,
      edgeId: null,
      sampling: null,
      model: null,
      zoneFocus: null,
      zones: null,
      createdAt: now,
      ...before,
      ...(defined as Partial<CameraRecord>),
      updatedAt: now,
    } as CameraRecord;
    this.rows.set(id, row);
    return row;
  }

  async remove(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async idsOfEdge(edgeId: string): Promise<string[]> {
    return [...this.rows.values()].filter((c) => c.edgeId === edgeId).map((c) => c.id);
  }

  async assignmentsOf(edgeIds: string[]): Promise<{ id: string; edgeId: string }[]> {
    return [...this.rows.values()].filter((c) => c.edgeId && edgeIds.includes(c.edgeId)).map((c) => ({ id: c.id, edgeId: c.edgeId! }));
  }
}
