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
import type { CaseCore } from "../../contracts/api/case.ts";

export function caseNumber(n: number): string {
  return `CW-${String(n).padStart(6, "0")}`;
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** A case row as the API contract shows it (caseCoreSchema); the lists add names and counts. */
export function caseView(c: Case, now = new Date()): CaseCore {
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
    startedAt: iso(c.startedAt),
    lastSeenAt: iso(c.lastSeenAt),
    endedAt: isoOrNull(c.endedAt),
    bestScore: c.bestScore,
    // Stored as the edge reported them (validated on intake).
    objects: c.objects as CaseCore["objects"],
    subject: c.subjectKey,
    shopId: c.shopId,
    vendorId: c.vendorId,
    penaltyEvidence: { usable: c.penaltyEvidenceUsable, note: c.penaltyEvidenceNote },
    firstViolation: c.penaltyTreatment ? { treatment: c.penaltyTreatment, violationsInLookback: c.subjectViolationCount } : null,
    confirmedAt: isoOrNull(c.confirmedAt),
    confirmedBy: c.confirmedBy,
    rejection: c.rejectReason ? { reason: c.rejectReason, text: c.rejectText } : null,
    mergedIntoId: c.mergedIntoId,
    dueAt: isoOrNull(c.dueAt),
    overdue,
    overdueFlaggedAt: isoOrNull(c.overdueAt),
    dispatch: c.assigneeId ? { assigneeId: c.assigneeId, task: c.taskKind, at: isoOrNull(c.dispatchedAt), sendBacks: c.sendBackCount } : null,
    outcome: c.outcome ? { outcome: c.outcome, reason: c.outcomeReason, note: c.outcomeNote, class721: c.class721, at: isoOrNull(c.handledAt) } : null,
    verifiedAt: isoOrNull(c.verifiedAt),
    closedAt: isoOrNull(c.closedAt),
    // When the party's access code was last issued (never the code or its hash): the console offers a re-issue then.
    accessCodeIssuedAt: isoOrNull(c.accessCodeIssuedAt),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}
