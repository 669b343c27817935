import type { Database } from "../db/database.ts";
import { DomainError } from "../domain/errors.ts";
import { hashPassword, verifyPassword } from "../auth/password-hashing.ts";
import { newToken, tokenHash } from "../auth/opaque-token.ts";
import { mosquittoPasswordHash } from "../security/mosquitto-acl.ts";

const ENROLLMENT_VALID_MS = 24 * 3_600_000;

export interface EdgeCredentials {
  edgeId: string;
  mqtt: { username: string; password: string };
  apiToken: string;
}

/** Edge workers: registration, one-time enrollment, and the credentials they authenticate with. */
export class EdgeRegistry {
  /** Called after credentials change, so the broker's files can be rewritten. */
  onCredentialsChanged: () => Promise<void> = async () => {};
  /** Called after an edge was revoked, once the broker policy was rewritten: its live sessions must end. */
  onRevoked: (edgeId: string) => Promise<void> = async () => {};

  constructor(private db: Database) {}

  list() {
    return this.db.prisma.edgeWorker.findMany({
      orderBy: { id: "asc" },
      select: { id: true, name: true, active: true, enrolledAt: true, enrollExpiresAt: true, configRevision: true, createdAt: true, updatedAt: true },
    });
  }

  /** Registers an edge (or re-issues its enrollment) and returns the one-time token, shown once. */
  async issueEnrollment(id: string, name: string): Promise<{ edgeId: string; enrollmentToken: string; expiresAt: string }> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + ENROLLMENT_VALID_MS);
    await this.db.prisma.edgeWorker.upsert({
      where: { id },
      create: { id, name, enrollTokenHash: tokenHash(token), enrollExpiresAt: expiresAt },
      update: { name, enrollTokenHash: tokenHash(token), enrollExpiresAt: expiresAt, active: true },
    });
    return { edgeId: id, enrollmentToken: token, expiresAt: expiresAt.toISOString() };
  }

  /** Trades a one-time enrollment token for MQTT credentials and an API token; the token is spent either way. */
  async enroll(token: string): Promise<EdgeCredentials> {
    const edge = await this.db.prisma.edgeWorker.findUnique({ where: { enrollTokenHash: tokenHash(token) } });
    if (!edge || !edge.active || !edge.enrollExpiresAt || edge.enrollExpiresAt < new Date())
      throw new DomainError("unauthenticated", "unknown, used or expired enrollment token");
    const creds = await this.setCredentials(edge.id);
    return creds;
  }

  /** New credentials for an edge (enrollment, or `curbwatch start` provisioning its demo edge). Old ones stop working. */
  async setCredentials(edgeId: string, name = edgeId): Promise<EdgeCredentials> {
    const mqttPassword = newToken(24);
    const apiToken = newToken();
    const data = {
      enrollTokenHash: null,
      enrollExpiresAt: null,
      enrolledAt: new Date(),
      apiTokenHash: tokenHash(apiToken),
      mqttPasswordHash: await hashPassword(mqttPassword),
      mosquittoHash: mosquittoPasswordHash(mqttPassword),
    };
    await this.db.prisma.edgeWorker.upsert({ where: { id: edgeId }, create: { id: edgeId, name, ...data }, update: data });
    await this.onCredentialsChanged();
    return { edgeId, mqtt: { username: edgeId, password: mqttPassword }, apiToken };
  }

  async revoke(edgeId: string): Promise<void> {
    const r = await this.db.prisma.edgeWorker.updateMany({
      where: { id: edgeId },
      data: { active: false, apiTokenHash: null, mqttPasswordHash: null, mosquittoHash: null, enrollTokenHash: null },
    });
    if (r.count === 0) throw new DomainError("not_found", `edge ${edgeId} does not exist`);
    await this.onCredentialsChanged();
    await this.onRevoked(edgeId);
  }

  async edgeForApiToken(token: string): Promise<{ id: string; name: string } | null> {
    const e = await this.db.prisma.edgeWorker.findUnique({ where: { apiTokenHash: tokenHash(token) }, select: { id: true, name: true, active: true } });
    return e?.active ? { id: e.id, name: e.name } : null;
  }

  /** MQTT login of an edge: its id and password (embedded broker). */
  async verifyMqttLogin(username: string, password: string): Promise<boolean> {
    const e = await this.db.prisma.edgeWorker.findUnique({ where: { id: username }, select: { active: true, mqttPasswordHash: true } });
    return Boolean(e?.active && e.mqttPasswordHash && (await verifyPassword(e.mqttPasswordHash, password)));
  }

  async cameraIdsOf(edgeId: string): Promise<string[]> {
    const cams = await this.db.prisma.camera.findMany({ where: { edgeId }, select: { id: true } });
    return cams.map((c) => c.id);
  }

  async exists(edgeId: string): Promise<boolean> {
    return (await this.db.prisma.edgeWorker.count({ where: { id: edgeId } })) > 0;
  }

  /** Everything the Mosquitto files need: stored $7$ hashes (never plaintext) and each edge's cameras. */
  async brokerPrincipals(): Promise<{ edgeId: string; mosquittoHash: string; cameraIds: string[] }[]> {
    const edges = await this.db.prisma.edgeWorker.findMany({ where: { active: true, mosquittoHash: { not: null } }, orderBy: { id: "asc" } });
    const cams = await this.db.prisma.camera.findMany({
      where: { edgeId: { in: edges.map((e) => e.id) } },
      select: { id: true, edgeId: true },
      orderBy: { id: "asc" },
    });
    return edges.map((e) => ({ edgeId: e.id, mosquittoHash: e.mosquittoHash!, cameraIds: cams.filter((c) => c.edgeId === e.id).map((c) => c.id) }));
  }
}
