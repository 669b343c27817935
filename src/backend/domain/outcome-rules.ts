/**
 * Officer outcomes and the 721 work method (70% service, 20% management, 10% enforcement):
 * each outcome is classified so the command center can report the split.
 */
import type { class721s, Outcome } from "../../contracts/api/case.ts";

// The outcomes are defined once, in the API contract; the Prisma enum Outcome has the same values (checked by a test).
export { outcomes, type Outcome } from "../../contracts/api/case.ts";
export type Class721 = (typeof class721s)[number];

export const outcomeLabels: Record<Outcome, string> = {
  education: "教育劝导",
  order_to_correct: "责令改正",
  file_case: "立案",
  no_case_filed: "不予立案",
  not_a_case: "非转案",
};

export const class721Of: Record<Outcome, Class721> = {
  education: "service",
  not_a_case: "service",
  order_to_correct: "management",
  no_case_filed: "management",
  file_case: "enforcement",
};

/** Outcomes that are enforcement decisions: only a certified officer on an enforcement task records them. */
export const enforcementDecisions: readonly Outcome[] = ["order_to_correct", "file_case", "no_case_filed"];

/**
 * Outcomes that say something was done on site, so the officer's own photo must prove it.
 * Finding nothing to act on (非转案) and declining to file (不予立案, which needs a reason) need none.
 */
export const photoProofOutcomes: readonly Outcome[] = ["education", "order_to_correct", "file_case"];

export const needsOfficerPhoto = (o: Outcome): boolean => photoProofOutcomes.includes(o);

export interface OutcomeInput {
  outcome: Outcome;
  reason?: string;
  taskKind: "enforcement" | "dissuasion";
  penaltyTreatment: "first_violation_education" | "normal" | "repeated" | null;
}

/** Why this outcome cannot be recorded, or null when it can. */
export function outcomeProblem(i: OutcomeInput): string | null {
  const hasReason = (i.reason ?? "").trim().length >= 2;
  if (i.outcome === "no_case_filed" && !hasReason) return "不予立案 (no case filed) needs a reason";
  if (i.taskKind === "dissuasion" && enforcementDecisions.includes(i.outcome)) {
    return `${outcomeLabels[i.outcome]} is an enforcement decision; a dissuasion task can end only in education or not-a-case`;
  }
  if (i.outcome === "file_case" && i.penaltyTreatment === "first_violation_education" && !hasReason) {
    return "first minor violation (首违不罚): filing a case needs a reason, e.g. not corrected in time";
  }
  return null;
}

/** Why the assignee may not record an outcome yet: they have to take the task on (接收任务) first. */
export function acceptanceProblem(accepted: boolean): string | null {
  return accepted ? null : "accept the task before recording its outcome";
}

/** Why this outcome lacks its proof: on-site outcomes need at least one officer photo on the case. */
export function photoProofProblem(outcome: Outcome, officerPhotos: number): string | null {
  if (!needsOfficerPhoto(outcome) || officerPhotos > 0) return null;
  return `${outcomeLabels[outcome]} needs at least one officer photo of the site`;
}
