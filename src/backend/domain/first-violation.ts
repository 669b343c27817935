/**
 * 首违不罚 (Art. 33 行政处罚法): a subject's first minor violation inside the look-back
 * period is handled by education, not penalty; the `repeatedThreshold`-th is flagged as
 * repeated. Always computed from the stored cases, never from a counter that could drift.
 */
export type PenaltyTreatment = "first_violation_education" | "normal" | "repeated";

export function penaltyTreatment(violationsInWindow: number, minorViolation: boolean, repeatedThreshold: number): PenaltyTreatment {
  if (violationsInWindow >= repeatedThreshold) return "repeated";
  if (violationsInWindow <= 1 && minorViolation) return "first_violation_education";
  return "normal";
}

/** Earlier violations count when they started after this instant (the window is (t − days, t]). */
export function lookbackStart(startedAt: Date, lookbackDays: number): Date {
  return new Date(startedAt.getTime() - lookbackDays * 86_400_000);
}
