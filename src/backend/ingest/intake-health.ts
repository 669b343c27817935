import type { DeadLetterReadRepository } from "../repositories/dead-letter-read.repository.ts";
import type { IngestStats } from "./ingest-stats.ts";

/** A message waiting longer than this means intake is not keeping up (or is stuck). */
export const INTAKE_LAG_LIMIT_MS = 30_000;

export interface IntakeHealthReport {
  status: "ok" | "degraded";
  /** Why it is degraded, for people: failing, lagging, dead letters. */
  problems: string[];
  /** Age of the oldest candidate message this replica has read but not yet committed and acked. */
  oldestPendingAgeMs: number;
  /** How long batch writes have been failing, 0 when the last one succeeded. */
  failingForMs: number;
  /** Messages set aside in the dead-letter table in the last hour (all replicas). */
  deadLettersLastHour: number;
  /** Malformed, refused and dead-lettered messages this replica counted in the last hour. */
  rejectedLastHour: number;
}

/** Whether candidate intake works: degraded while writes fail, while it lags, or when messages were dead-lettered in the last hour. */
export class IntakeHealth {
  constructor(
    private deadLetters: Pick<DeadLetterReadRepository, "countSince">,
    private stats: IngestStats,
  ) {}

  async report(now = Date.now()): Promise<IntakeHealthReport> {
    const oldestPendingAgeMs = this.stats.oldestPendingAt === null ? 0 : now - this.stats.oldestPendingAt;
    const failingForMs = this.stats.failingSince === null ? 0 : now - this.stats.failingSince;
    const deadLettersLastHour = await this.deadLetters.countSince(new Date(now - 3_600_000)).catch(() => 0);
    const problems: string[] = [];
    if (failingForMs > 0) problems.push(`candidate writes failing for ${Math.round(failingForMs / 1000)} s`);
    if (oldestPendingAgeMs > INTAKE_LAG_LIMIT_MS) problems.push(`oldest unacknowledged candidate waited ${Math.round(oldestPendingAgeMs / 1000)} s`);
    if (deadLettersLastHour > 0) problems.push(`${deadLettersLastHour} candidate message(s) dead-lettered in the last hour`);
    return {
      status: problems.length ? "degraded" : "ok",
      problems,
      oldestPendingAgeMs,
      failingForMs,
      deadLettersLastHour,
      rejectedLastHour: this.stats.recentRejects.since(60, now),
    };
  }
}
