import { systemActor } from "../domain/actor.ts";
import type { ChangeNotices, Clock } from "./ports/common.ts";
import type { OverdueStore } from "./ports/overdue.port.ts";

/**
 * 处置时限: the clock runs from confirmation (立案) until the officer's result. A case whose
 * time limit passed is flagged once (overdueAt) with a record entry; listing uses dueAt
 * directly, so a case is listed as overdue even before the next sweep.
 */
export class OverdueService {
  constructor(
    private store: OverdueStore,
    private feed: ChangeNotices | null,
    private clock: Clock,
  ) {}

  async flagOverdue(now = this.clock()): Promise<number> {
    const flagged = await this.store.transaction(async (u) => {
      const rows = await u.flagOverdue(now);
      await u.appendRecord(
        rows.map((r) => ({
          chain: r.candidateId,
          actorId: systemActor("overdue").id,
          action: "case.overdue",
          caseId: r.id,
          after: { dueAt: r.dueAt, state: r.state },
        })),
        now,
      );
      return rows;
    });
    this.feed?.publish(flagged.map((r) => ({ caseId: r.id, candidateId: r.candidateId, action: "overdue", state: r.state })));
    return flagged.length;
  }
}
