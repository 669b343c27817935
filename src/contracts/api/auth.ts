/** Log-in, session and password API shapes, defined once (POST /auth/login, /auth/password, GET /auth/me …). */
import { z } from "zod";
import { userRoles } from "./registry.ts";

export const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
export type LoginInput = z.input<typeof loginBody>;
export const unlockAddressBody = z.object({ address: z.union([z.ipv4(), z.ipv6()]) }).strict();
export const passwordBody = z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }).strict();
export type PasswordInput = z.input<typeof passwordBody>;

/** The logged-in user as the console knows them. */
export const sessionUserSchema = z.strictObject({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
  /** A one-time password: nothing but changing it works until then. */
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.output<typeof sessionUserSchema>;

/** Answer of POST /auth/login and GET /auth/me. */
export const sessionSchema = z.strictObject({ user: sessionUserSchema });
export type Session = z.output<typeof sessionSchema>;

export const addressUnlockSchema = z.strictObject({ address: z.string(), cleared: z.number().int() });
