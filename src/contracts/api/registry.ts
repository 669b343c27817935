/**
 * The reference registry's API shapes (users, certificates, shops, vendors, event codes,
 * rejection reasons), defined once: the back end validates requests with them (and, under
 * test, its responses), the OpenAPI document is generated from them, and the console takes
 * its types from them.
 */
import { z } from "zod";

/** The people roles. Defined here, not in the back end, so the console and the contract can name them without importing the server. */
export const userRoles = ["administrator", "operator", "officer", "auxiliary", "supervisor"] as const;
export type UserRole = (typeof userRoles)[number];

const when = z.iso.datetime({ offset: true });
const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits, _ . : - (max 64)");

/** A registry id in a path (users, shops, vendors). */
export const idParam = id;

/** A normalised point in the camera frame. */
const framePoint = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);

// ---- requests ----

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
export type UserInput = z.infer<typeof userBody>;

export const certificateBody = z
  .object({
    number: z.string().min(1).max(64),
    issuingAuthority: z.string().min(1).max(200),
    validFrom: when,
    expiresAt: when,
  })
  .strict()
  .refine((c) => c.validFrom < c.expiresAt, "validFrom must be before expiresAt");
export type CertificateInput = z.infer<typeof certificateBody>;

export const shopBody = z
  .object({
    name: z.string().min(1).max(200),
    address: z.string().min(1).max(500),
    licenceNo: z.string().max(64).nullish(),
    street: z.string().max(128).nullish(),
    cameraId: z.string().max(64).nullish(),
    zoneId: z.string().max(64).nullish(),
    frontLine: z.array(framePoint).min(2).max(32).nullish(),
  })
  .strict();
export type ShopInput = z.infer<typeof shopBody>;

export const vendorBody = z
  .object({ name: z.string().max(128).nullish(), description: z.string().max(1000).nullish(), idNumber: z.string().max(64).nullish() })
  .strict();
export type VendorInput = z.infer<typeof vendorBody>;

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
export type EventCodeInput = z.infer<typeof eventCodeBody>;

export const rejectReasonBody = z
  .object({
    label: z.string().min(1).max(200),
    requiresText: z.boolean().default(false),
    active: z.boolean().default(true),
    sortOrder: z.number().int().default(0),
  })
  .strict();
export type RejectReasonInput = z.infer<typeof rejectReasonBody>;

// ---- responses ----

const isoTime = z.iso.datetime({ offset: true });

/** An officer's enforcement certificate; revokedAt null = still valid (until expiresAt). */
export const certificateViewSchema = z.strictObject({
  id: z.string(),
  userId: z.string(),
  number: z.string(),
  issuingAuthority: z.string(),
  validFrom: isoTime,
  expiresAt: isoTime,
  revokedAt: isoTime.nullable(),
  createdAt: isoTime,
});
export type CertificateView = z.output<typeof certificateViewSchema>;

/** A user as the registry shows them: never a password or its hash. */
export const userViewSchema = z.strictObject({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  streets: z.array(z.string()),
  grids: z.array(z.string()),
  certificates: z.array(certificateViewSchema),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type UserView = z.output<typeof userViewSchema>;

export const userUnlockSchema = z.strictObject({
  username: z.string(),
  /** Lockout records removed. */
  cleared: z.number().int(),
});

export const shopViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  licenceNo: z.string().nullable(),
  street: z.string().nullable(),
  cameraId: z.string().nullable(),
  zoneId: z.string().nullable(),
  /** Front line the shop owns, a normalised polyline in the camera frame. */
  frontLine: z.array(framePoint).nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type ShopView = z.output<typeof shopViewSchema>;

/** A vendor; idNumber is masked unless idNumberMasked is false (one vendor, a deciding role, the read recorded). */
export const vendorViewSchema = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  idNumber: z.string().nullable(),
  idNumberMasked: z.boolean(),
  createdAt: isoTime,
});
export type VendorView = z.output<typeof vendorViewSchema>;

export const eventCodeViewSchema = z.strictObject({
  major: z.string(),
  minor: z.string(),
  name: z.string(),
  timeLimitMinutes: z.number().int(),
  priority: z.number().int(),
  /** A "minor" violation is eligible for 首违不罚 (Art. 33). */
  minorViolation: z.boolean(),
  active: z.boolean(),
});
export type EventCodeView = z.output<typeof eventCodeViewSchema>;

export const rejectReasonViewSchema = z.strictObject({
  code: z.string(),
  label: z.string(),
  requiresText: z.boolean(),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type RejectReasonView = z.output<typeof rejectReasonViewSchema>;
