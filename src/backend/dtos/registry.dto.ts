import { z } from "zod";
import { userRoles } from "../http/actor.ts";

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits, _ . : - (max 64)");
const when = z.iso.datetime({ offset: true });

export const idParam = id;

export const userBody = z
  .object({
    name: z.string().min(1).max(128),
    role: z.enum(userRoles),
    active: z.boolean().default(true),
    streets: z.array(z.string().min(1).max(128)).max(100).default([]),
    grids: z.array(z.string().min(1).max(128)).max(100).default([]),
    /** Initial or reset password; the user must change it at the next login. Never returned. */
    password: z.string().min(1).max(256).optional(),
  })
  .strict();

export const certificateBody = z
  .object({
    number: z.string().min(1).max(64),
    issuingAuthority: z.string().min(1).max(200),
    validFrom: when,
    expiresAt: when,
  })
  .strict()
  .refine((c) => c.validFrom < c.expiresAt, "validFrom must be before expiresAt");

export const shopBody = z
  .object({
    name: z.string().min(1).max(200),
    address: z.string().min(1).max(500),
    licenceNo: z.string().max(64).nullish(),
    street: z.string().max(128).nullish(),
    cameraId: z.string().max(64).nullish(),
    zoneId: z.string().max(64).nullish(),
    frontLine: z
      .array(z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]))
      .min(2)
      .max(32)
      .nullish(),
  })
  .strict();

export const vendorBody = z
  .object({ name: z.string().max(128).nullish(), description: z.string().max(1000).nullish(), idNumber: z.string().max(64).nullish() })
  .strict();

export const eventCodeBody = z
  .object({
    name: z.string().min(1).max(200),
    timeLimitMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 90),
    priority: z.number().int().min(-100).max(100).default(0),
    minorViolation: z.boolean().default(true),
    active: z.boolean().default(true),
  })
  .strict();

export const rejectReasonBody = z
  .object({
    label: z.string().min(1).max(200),
    requiresText: z.boolean().default(false),
    active: z.boolean().default(true),
    sortOrder: z.number().int().default(0),
  })
  .strict();
