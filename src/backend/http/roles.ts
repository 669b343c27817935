import { userRoles, type UserRole } from "./actor.ts";

/** Who may do what; issue 6's permission matrix test reads the same declarations. */
export const anyUser: readonly UserRole[] = userRoles;
export const commandCenter: readonly UserRole[] = ["operator", "administrator"];
export const fieldStaff: readonly UserRole[] = ["officer", "auxiliary"];
export const administrators: readonly UserRole[] = ["administrator"];
export const auditors: readonly UserRole[] = ["administrator", "supervisor"];
