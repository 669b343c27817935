import { DomainError } from "../domain/errors.ts";
import { hashPassword, verifyPassword } from "../auth/password-hashing.ts";
import { newToken, tokenHash } from "../auth/opaque-token.ts";
import { mosquittoPasswordHash } from "../security/mosquitto-acl.ts";
import type { EdgeRepository, EdgeSummary } from "../repositories/edge.repository.ts";
import type { CameraRepository } from "../repositories/camera.repository.ts";

const ENROLLMENT_VALID_MS = 24 * 3_600_000;

export interface EdgeCredentials {
  edgeId: string;
  mqtt: { username: string; password: string };
  apiToken: string;
}

export type EdgeStore = Pick<
  EdgeRepository,
  "list" | "find" | "findByEnrollmentHash" | "findByApiTokenHash" | "saveEnrollment" | "saveCredentials" | "revoke" | "withBrokerPassword"
>;

export interface EdgeRegistryHooks {
  /** Called after credentials change, so the broker's files can be rewritten. */
  onCredentialsChanged?: () => Promise<void>;
  /** Called after an edge was revoked, once the broker policy was rewritten: its live sessions must end. */
  onRevoked?: (edgeId: string) => Promise<void>;
}

/** Edge workers: registration, one-time enrollment, and the credentials they authenticate with. */
export class EdgeRegistryService {
  private readonly onCredentialsChanged: () => Promise<void>;
  private readonly onRevoked: (edgeId: string) => Promise<void>;

  constructor(
    private edges: EdgeStore,
    private cameras: Pick<CameraRepository, "idsOfEdge" | "assignmentsOf">,
    hooks: EdgeRegistryHooks = {},
    private clock: () => Date = () => new Date(),
  ) {
    this.onCredentialsChanged = hooks.onCredentialsChanged ?? (async () => {});
    this.onRevoked = hooks.onRevoked ?? (async () => {});
  }

  list(): Promise<EdgeSummary[]> {
    return this.edges.list();
  }

  /** Registers an edge (or re-issues its enrollment) and returns the one-time token, shown once. */
  async issueEnrollment(id: string, name: string): Promise<{ edgeId: string; enrollmentToken: string; expiresAt: string }> {
    const token = newToken();
    const expiresAt = new Date(this.clock().getTime() + ENROLLMENT_VALID_MS);
    await this.edges.saveEnrollment(id, name, tokenHash(token), expiresAt);
    return { edgeId: id, enrollmentToken: token, expiresAt: expiresAt.toISOString() };
  }

  /** Trades a one-time enrollment token for MQTT credentials and an API token; the token is spent either way. */
  async enroll(token: string): Promise<EdgeCredentials> {
    const edge = await this.edges.findByEnrollmentHash(tokenHash(token));
    if (!edge || !edge.active || !edge.enrollExpiresAt || edge.enrollExpiresAt < this.clock())
      throw new DomainError("unauthenticated", "unknown, used or expired enrollment token");
    return this.setCredentials(edge.id);
  }

  /** New credentials for an edge (enrollment, or `curbwatch start` provisioning its demo edge). Old ones stop working. */
  async setCredentials(edgeId: string, name = edgeId): Promise<EdgeCredentials> {
    const mqttPassword = newToken(24);
    const apiToken = newToken();
    await this.edges.saveCredentials(edgeId, name, {
      enrolledAt: this.clock(),
      apiTokenHash: tokenHash(apiToken),
      mqttPasswordHash: await hashPassword(mqttPassword),
      mosquittoHash: mosquittoPasswordHash(mqttPassword),
    });
    await this.onCredentialsChanged();
    return { edgeId, mqtt: { username: edgeId, password: mqttPassword }, apiToken };
  }

  async revoke(edgeId: string): Promise<void> {
    if (!(await this.edges.revoke(edgeId))) throw new DomainError("not_found", `edge ${edgeId} does not exist`);
    await this.onCredentialsChanged();
    await this.onRevoked(edgeId);
  }

  async edgeForApiToken(token: string): Promise<{ id: string; name: string } | null> {
    const e = await this.edges.findByApiTokenHash(tokenHash(token));
    return e?.active ? { id: e.id, name: e.name } : null;
  }

  /** MQTT login of an edge: its id and password (embedded broker). */
  async verifyMqttLogin(username: string, password: string): Promise<boolean> {
    const e = await this.edges.find(username);
    return Boolean(e?.active && e.mqttPasswordHash && (await verifyPassword(e.mqttPasswordHash, password)));
  }

  cameraIdsOf(edgeId: string): Promise<string[]> {
    return this.cameras.idsOfEdge(edgeId);
  }

  /** Everything the Mosquitto files need: stored $7$ hashes (never plaintext) and each edge's cameras. */
  async brokerPrincipals(): Promise<{ edgeId: string; mosquittoHash: string; cameraIds: string[] }[]> {
    const edges = await this.edges.withBrokerPassword();
    const cams = await this.cameras.assignmentsOf(edges.map((e) => e.id));
    return edges.map((e) => ({ edgeId: e.id, mosquittoHash: e.mosquittoHash, cameraIds: cams.filter((c) => c.edgeId === e.id).map((c) => c.id) }));
  }
}
