import { z } from "zod";

/**
 * Per-camera zone-focused detection: the edge detects on the region its zones cover, cut
 * from a frame decoded at a working resolution and fed to the model at (close to) its native
 * scale, instead of the whole frame shrunk to the model input. A whole-frame pass still runs
 * every `fullFrameSeconds` for context.
 */
export const zoneFocusConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** Added around the zones' bounding box on every side, as a fraction of its width/height (context for objects at the zone's edge). */
  margin: z.number().min(0).max(1).default(0.1),
  /** Neighbouring tiles share this fraction of a tile side. */
  overlap: z.number().min(0.05).max(0.5).default(0.2),
  /** A region up to this many model inputs per side is detected in one piece; larger ones are tiled. */
  singleTileMaxScale: z.number().min(1).max(4).default(1.5),
  /** Hard cap on inferences per sample, whole-frame pass included; health reports the average used. */
  maxInferencesPerSample: z.number().int().min(1).max(16).default(2),
  /** A whole-frame pass runs at least this often (seconds of the camera's timeline). */
  fullFrameSeconds: z.number().positive().max(3600).default(10),
  /** Working resolution the frame is decoded at (never upscaled; aspect kept). */
  workingWidth: z.number().int().min(320).max(3840).default(1920),
  workingHeight: z.number().int().min(240).max(2160).default(1080),
});
export type ZoneFocusConfig = z.infer<typeof zoneFocusConfigSchema>;

export const defaultZoneFocusConfig: ZoneFocusConfig = zoneFocusConfigSchema.parse({});
