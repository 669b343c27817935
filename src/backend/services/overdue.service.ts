import type { Database } from "../db/database.ts";
import { systemActor } from "../domain/actor.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { CaseRepository } from "../repositories/case.repository.ts";
import type { ChangeFeed } from "./change-feed.ts";

/**
 * 处置时限: the clock runs from confirmation (立案) until the officer's result. A case whose
 * time limit passed is flagged once (overdueAt) with a record entry; listing uses dueAt
 * directly, so a case is listed as overdue even before the next sweep.
 */
export class OverdueService {
  private readonly cases = new CaseRepository();
  private readonly audit = new AuditRepository();

  constructor(
    private db: Database,
    private feed: ChangeFeed | null,
  ) {}

  async flagOverdue(now = new Date()): Promise<number> {
    const flagged = await this.db.prisma.$transaction(async (tx) => {
      const rows = await this.cases.flagOverdue(tx, now);
      await this.audit.append(
        tx,
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
