import type { Case } from "../../generated/prisma/client.ts";
import { clockRunningStates, type CaseState } from "../domain/case-transitions.ts";

// The request shapes live in the API contract (src/contracts/api/case.ts); these are the ones the services name.
export {
  encodeCursor,
  type CaseListQuery,
  type CaseTableExportQuery,
  type CaseTableKey,
  type CaseTableQuery,
  type CaseTableSort,
} from "../../contracts/api/case.ts";

export function caseNumber(n: number): string {
  return `CW-${String(n).padStart(6, "0")}`;
}

/** The JSON shape of a case in every response. */
export function caseView(c: Case, now = new Date()) {
  const overdue = c.dueAt !== null && c.dueAt < now && clockRunningStates.includes(c.state as CaseState);
  return {
    id: c.id,
    number: caseNumber(c.number),
    candidateId: c.candidateId,
    state: c.state,
    version: c.version,
    priority: c.priority,
    eventCode: `${c.eventMajor}/${c.eventMinor}`,
    rule: c.rule,
    edgeId: c.edgeId,
    cameraId: c.cameraId,
    zoneId: c.zoneId,
    ruleId: c.ruleId,
    phase: c.phase,
    candidateSeq: c.candidateSeq,
    startedAt: c.startedAt,
    lastSeenAt: c.lastSeenAt,
    endedAt: c.endedAt,
    bestScore: c.bestScore,
    objects: c.objects,
    subject: c.subjectKey,
    shopId: c.shopId,
    vendorId: c.vendorId,
    penaltyEvidence: { usable: c.penaltyEvidenceUsable, note: c.penaltyEvidenceNote },
    firstViolation: c.penaltyTreatment ? { treatment: c.penaltyTreatment, violationsInLookback: c.subjectViolationCount } : null,
    confirmedAt: c.confirmedAt,
    confirmedBy: c.confirmedBy,
    rejection: c.rejectReason ? { reason: c.rejectReason, text: c.rejectText } : null,
    mergedIntoId: c.mergedIntoId,
    dueAt: c.dueAt,
    overdue,
    overdueFlaggedAt: c.overdueAt,
    dispatch: c.assigneeId ? { assigneeId: c.assigneeId, task: c.taskKind, at: c.dispatchedAt, sendBacks: c.sendBackCount } : null,
    outcome: c.outcome ? { outcome: c.outcome, reason: c.outcomeReason, note: c.outcomeNote, class721: c.class721, at: c.handledAt } : null,
    verifiedAt: c.verifiedAt,
    closedAt: c.closedAt,
    // When the party's access code was last issued (never the code or its hash): the console offers a re-issue then.
    accessCodeIssuedAt: c.accessCodeIssuedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
