/**
 * The public API (no login): published camera locations, and a case looked up by its number
 * and the access code from the notice. Case calls are POST so codes never sit in URLs.
 */
import { z } from "zod";
import { caseStates, outcomes } from "./case.ts";

const isoTime = z.iso.datetime({ offset: true });

const credentials = { caseNumber: z.string().min(1).max(20), accessCode: z.string().min(4).max(20) };
export const caseLookupBody = z.object(credentials).strict();
export type CaseLookupInput = z.input<typeof caseLookupBody>;
export const statementBody = z.object({ ...credentials, text: z.string().trim().min(1).max(10_000), contact: z.string().trim().max(200).optional() }).strict();
export type StatementInput = z.input<typeof statementBody>;

/** A published camera location and the violations it watches (Art. 41 行政处罚法). */
export const publishedCameraSchema = z.strictObject({
  name: z.string(),
  district: z.string().nullable(),
  street: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  publishedAt: isoTime.nullable(),
  watches: z.array(z.strictObject({ code: z.string(), name: z.string().nullable() })),
});
export type PublishedCamera = z.output<typeof publishedCameraSchema>;

/** What the party learns of their case: the facts, the evidence by hash, never a person's data. */
export const publicCaseSchema = z.strictObject({
  caseNumber: z.string(),
  violation: z.strictObject({ code: z.string(), name: z.string().nullable() }),
  place: z.strictObject({
    address: z.string().nullable(),
    street: z.string().nullable(),
    district: z.string().nullable(),
    cameraLocationPublishedAt: isoTime.nullable(),
  }),
  observedFrom: isoTime,
  observedUntil: isoTime,
  /** The state in words. */
  state: z.string(),
  stateCode: z.enum(caseStates),
  outcome: z.strictObject({ code: z.enum(outcomes), label: z.string() }).nullable(),
  firstViolationNotPenalised: z.boolean(),
  evidence: z.array(z.strictObject({ kind: z.string(), contentType: z.string(), sha256: z.string(), recordedAt: isoTime })),
  snapshotAvailable: z.boolean(),
  statements: z.array(z.strictObject({ submittedAt: isoTime })),
});
export type PublicCase = z.output<typeof publicCaseSchema>;

export const statementSubmittedSchema = z.strictObject({ submittedAt: isoTime });
export type StatementSubmitted = z.output<typeof statementSubmittedSchema>;
