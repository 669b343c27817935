/** Who may receive which task. 协管人员只能配合执法人员从事辅助性事务: auxiliaries get dissuasion only. */
import type { TaskKind } from "../../contracts/api/case.ts";

// Task kinds are defined once, in the API contract.
export type { TaskKind };

export interface Certificate {
  number: string;
  validFrom: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export function certificateValid(c: Certificate, at: Date): boolean {
  return c.revokedAt === null && c.validFrom <= at && c.expiresAt > at;
}

export interface Assignee {
  id: string;
  role: string;
  active: boolean;
  certificates: Certificate[];
}

/** Why this person cannot receive this task, or null when they can. */
export function assignmentProblem(user: Assignee, task: TaskKind, at: Date): string | null {
  if (!user.active) return `user ${user.id} is not active`;
  if (task === "dissuasion") return user.role === "officer" || user.role === "auxiliary" ? null : `user ${user.id} (${user.role}) does not handle field tasks`;
  if (user.role !== "officer") return `an enforcement task needs an officer; ${user.id} is ${user.role}`;
  if (!user.certificates.some((c) => certificateValid(c, at))) return `officer ${user.id} has no valid enforcement certificate (执法证)`;
  return null;
}
