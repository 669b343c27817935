import { userRoles, type UserRole } from "./actor.ts";

/** Who may do what; the permission matrix test reads the same declarations. */
export const anyUser: readonly UserRole[] = userRoles;
export const commandCenter: readonly UserRole[] = ["operator", "administrator"];
export const fieldStaff: readonly UserRole[] = ["officer", "auxiliary"];
export const administrators: readonly UserRole[] = ["administrator"];
export const auditors: readonly UserRole[] = ["administrator", "supervisor"];
/** Everyone who oversees cases as a whole (queue, reports, statistics): not field staff. */
export const overseers: readonly UserRole[] = ["operator", "administrator", "supervisor"];
/** May add a field note to a case (协管员 included: notes are not enforcement decisions). */
export const noteTakers: readonly UserRole[] = ["operator", "administrator", "officer", "auxiliary"];

/** Field staff see only the tasks dispatched to them (list, detail, record, evidence). */
export const seesOnlyOwnTasks = (role: string): boolean => role === "officer" || role === "auxiliary";
