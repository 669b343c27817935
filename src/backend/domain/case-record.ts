import type { CaseState } from "./case-transitions.ts";
import type { TaskKind } from "./dispatch-rules.ts";
import type { PenaltyTreatment } from "./first-violation.ts";
import type { Class721, Outcome } from "./outcome-rules.ts";

/** A JSON value as stored in a json column (the shape the database driver returns). */
export type StoredJson = string | number | boolean | { [key in string]?: StoredJson } | StoredJson[] | null;

/**
 * One case as it is stored: what the workflow reads before a step and returns after it.
 * Every column of the Case table, in the domain's words; the Prisma row type and this one are
 * interchangeable (the Prisma store checks it at compile time).
 */
export interface CaseRecord {
  id: string;
  number: number;
  candidateId: string;
  candidateSeq: number;
  phase: string;
  edgeId: string;
  cameraId: string;
  zoneId: string;
  ruleId: string;
  rule: string;
  eventMajor: string;
  eventMinor: string;
  shopId: string | null;
  vendorId: string | null;
  /** "shop:<id>" or "vendor:<id>": whose history 首违不罚 counts. */
  subjectKey: string | null;
  startedAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  bestScore: number;
  objects: StoredJson;
  priority: number;
  state: CaseState;
  /** Optimistic concurrency: every change bumps it. */
  version: number;
  penaltyEvidenceUsable: boolean;
  penaltyEvidenceNote: string | null;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  rejectReason: string | null;
  rejectText: string | null;
  mergedIntoId: string | null;
  penaltyTreatment: PenaltyTreatment | null;
  /** Violations of the same subject inside the look-back window, this one included. */
  subjectViolationCount: number | null;
  dispatchedAt: Date | null;
  dueAt: Date | null;
  overdueAt: Date | null;
  assigneeId: string | null;
  taskKind: TaskKind | null;
  sendBackCount: number;
  handledAt: Date | null;
  outcome: Outcome | null;
  outcomeReason: string | null;
  outcomeNote: string | null;
  class721: Class721 | null;
  verifiedAt: Date | null;
  closedAt: Date | null;
  /** sha256 of the party's access code (public case lookup); the code itself is never stored. */
  accessCodeHash: string | null;
  accessCodeIssuedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns a workflow step may change (state included); version and updatedAt move with every change. */
export type CaseChanges = Partial<
  Pick<
    CaseRecord,
    | "state"
    | "confirmedAt"
    | "confirmedBy"
    | "dueAt"
    | "subjectViolationCount"
    | "penaltyTreatment"
    | "rejectReason"
    | "rejectText"
    | "mergedIntoId"
    | "assigneeId"
    | "taskKind"
    | "dispatchedAt"
    | "outcome"
    | "outcomeReason"
    | "outcomeNote"
    | "class721"
    | "handledAt"
    | "vendorId"
    | "subjectKey"
    | "sendBackCount"
    | "verifiedAt"
    | "closedAt"
  >
>;

/** One entry to append to a case's full-process record (its hash chain). */
export interface NewAuditEntry {
  /** One chain per case: the case's candidateId. */
  chain: string;
  actorId: string;
  action: string;
  caseId?: string | null;
  before?: unknown;
  after?: unknown;
  evidenceSha256?: string | null;
}
