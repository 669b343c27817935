import { z } from "zod";

/**
 * What a detected object means to the rules. A model's manifest maps each of its
 * class names to one role, so rules never depend on a particular model's labels.
 */
export const objectRoles = ["person", "vending_gear", "goods", "furniture", "vehicle", "static_object", "other"] as const;
export const objectRoleSchema = z.enum(objectRoles);
export type ObjectRole = z.infer<typeof objectRoleSchema>;

/** Pixel box [x1, y1, x2, y2] in the frame it was detected on. */
export const boxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Box = z.infer<typeof boxSchema>;

export const detectionSchema = z.object({
  label: z.string().min(1),
  role: objectRoleSchema,
  score: z.number().min(0).max(1),
  box: boxSchema,
});
export type Detection = z.infer<typeof detectionSchema>;
