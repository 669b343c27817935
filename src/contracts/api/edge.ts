/** Edge-worker registration API shapes, defined once: administrators register and revoke, an edge enrolls with its one-time token. */
import { z } from "zod";

const isoTime = z.iso.datetime({ offset: true });

export const edgeIdParam = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "edge ids are letters, digits, _ . - (max 64)");
export const createEdgeBody = z.object({ id: edgeIdParam, name: z.string().min(1).max(200) }).strict();
export type CreateEdgeInput = z.input<typeof createEdgeBody>;
export const enrollBody = z.object({ token: z.string().min(20).max(200) }).strict();

/** A registered edge worker (never a token or password hash). */
export const edgeWorkerSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  enrolledAt: isoTime.nullable(),
  enrollExpiresAt: isoTime.nullable(),
  /** Revision of the last config published to it. */
  configRevision: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type EdgeWorker = z.output<typeof edgeWorkerSchema>;

/** The one-time enrollment token, shown only in this answer. */
export const edgeEnrollmentSchema = z.strictObject({ edgeId: z.string(), enrollmentToken: z.string(), expiresAt: isoTime });
export type EdgeEnrollment = z.output<typeof edgeEnrollmentSchema>;

/** What an enrolling edge receives: MQTT credentials and its API token. */
export const edgeCredentialsSchema = z.strictObject({
  edgeId: z.string(),
  mqtt: z.strictObject({ url: z.string(), username: z.string(), password: z.string() }),
  apiToken: z.string(),
});
