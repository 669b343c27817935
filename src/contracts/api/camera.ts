/**
 * The camera registry's API shapes, defined once: the back end validates requests with them
 * (and, under test, its responses), the OpenAPI document is generated from them, and the
 * console takes its types from them.
 */
import { z } from "zod";
import { samplingSchema, zoneSchema } from "../edge-config.ts";
import { zoneFocusConfigSchema } from "../zone-focus-config.ts";

const when = z.iso.datetime({ offset: true });
const edgeId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - (max 64)");

/** rtsp(s):// only: a camera URL must never point the back end's ffmpeg at a local file or another protocol. */
const streamUrl = z
  .string()
  .max(1000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "rtsp:" || u.protocol === "rtsps:") && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, "must be an rtsp:// or rtsps:// URL with a host");

/** Camera as the administrator sends it. Credentials go in only; they are never sent back. */
export const cameraBody = z
  .object({
    name: z.string().min(1).max(200),
    district: z.string().max(128).nullish(),
    street: z.string().max(128).nullish(),
    grid: z.string().max(128).nullish(),
    address: z.string().max(500).nullish(),
    lat: z.number().min(-90).max(90).nullish(),
    lng: z.number().min(-180).max(180).nullish(),
    legalReviewAt: when.nullish().describe("date the legal and technical review (法制审核) passed"),
    legalReviewer: z.string().max(200).nullish(),
    legalReviewRef: z.string().max(200).nullish().describe("document reference of the review"),
    locationPublishedAt: when.nullish().describe("date the location was published (Art. 41); null = not published"),
    streamUrl: streamUrl.nullish().describe("rtsp:// URL; user:password@ inside it are moved into the sealed credentials"),
    credentials: z
      .object({ username: z.string().min(1).max(200), password: z.string().max(200) })
      .strict()
      .nullish()
      .describe("absent = keep the stored ones; null = remove them"),
    edgeId: edgeId.nullish().describe("the edge worker that serves this camera"),
    enabled: z.boolean().default(true),
    sampling: samplingSchema.nullish(),
    model: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .nullish(),
    zones: z.array(zoneSchema).max(32).nullish(),
    zoneFocus: zoneFocusConfigSchema.strict().nullish().describe("zone-focused detection; null = the defaults"),
    shopIds: z.array(z.string().min(1).max(64)).max(100).default([]),
  })
  .strict()
  .refine((c) => (c.lat == null) === (c.lng == null), "lat and lng go together");

export type CameraInput = z.infer<typeof cameraBody>;

const isoTime = z.iso.datetime({ offset: true });

/** A camera as every API answer shows it: credentials reduced to a flag, the stream URL without them. */
export const cameraViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  district: z.string().nullable(),
  street: z.string().nullable(),
  grid: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  legalReviewAt: isoTime.nullable(),
  legalReviewer: z.string().nullable(),
  legalReviewRef: z.string().nullable(),
  locationPublishedAt: isoTime.nullable(),
  locationPublished: z.boolean(),
  /** Redacted: the API never returns credentials. */
  streamUrl: z.string().nullable(),
  hasCredentials: z.boolean(),
  edgeId: z.string().nullable(),
  enabled: z.boolean(),
  sampling: samplingSchema.nullable(),
  model: z.string().nullable(),
  /** Zone-focused detection; null = the defaults. */
  zoneFocus: zoneFocusConfigSchema.nullable(),
  zones: z.array(zoneSchema),
  shopIds: z.array(z.string()),
  /** The event codes its rules raise, "major/minor". */
  eventCodes: z.array(z.string()),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type CameraView = z.output<typeof cameraViewSchema>;

/** A zone's clear-pavement reference as the API shows it: who took it and when, not its pixels. */
export const zoneReferenceViewSchema = z.strictObject({
  cameraId: z.string(),
  zoneId: z.string(),
  version: z.number().int(),
  capturedAt: isoTime,
  capturedBy: z.string(),
  /** Normalised [x1,y1,x2,y2] of the frame the reference covers. */
  region: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  width: z.number().int(),
  height: z.number().int(),
});
export type ZoneReferenceView = z.output<typeof zoneReferenceViewSchema>;

/** A single-use ticket to watch a camera live: connect to ws://<console host>:wsPort<wsPath> within 30 s. */
export const liveTicketSchema = z.strictObject({ wsPort: z.number().int(), wsPath: z.string() });
export type LiveTicket = z.output<typeof liveTicketSchema>;
