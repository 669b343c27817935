import type { CaseChanges, CaseRecord } from "../../domain/case-record.ts";
import type { Assignee } from "../../domain/dispatch-rules.ts";
import type { RecordAppend, UnitOfWork } from "./common.ts";

/** What confirming needs of an event code: is it in use, its time limit (处置时限), is it a minor violation (首违不罚). */
export interface EventCodeRule {
  active: boolean;
  timeLimitMinutes: number;
  minorViolation: boolean;
}

/** A configured rejection reason. */
export interface RejectReasonRule {
  code: string;
  active: boolean;
  requiresText: boolean;
}

/** Everything one workflow step reads and writes, inside one transaction. */
export interface CaseWorkflowUnit extends RecordAppend {
  findCase(id: string): Promise<CaseRecord | null>;
  /** Applies the changes (and bumps the version) only if the case is still at `version`; null = someone else changed it first. */
  updateIfVersion(id: string, version: number, changes: CaseChanges): Promise<CaseRecord | null>;
  /** Stores the hash of the case's first access code; false when it already has one (never replaces a code). */
  setFirstAccessCode(id: string, hash: string, at: Date): Promise<boolean>;
  eventCode(major: string, minor: string): Promise<EventCodeRule | null>;
  rejectReason(code: string): Promise<RejectReasonRule | null>;
  /** The person with their role, active flag and certificates (执法证), for the dispatch rules. */
  assignee(userId: string): Promise<Assignee | null>;
  vendorExists(vendorId: string): Promise<boolean>;
  /** Serialises 首违不罚 decisions of one subject until the unit ends, so two confirmations cannot both be "first". */
  lockSubject(subjectKey: string): Promise<void>;
  /**
   * Violations of the subject that started in (since, until], other than `excludeCaseId`:
   * cases in a violation state (case-transitions.ts `violationStates`) whose outcome is not not_a_case.
   */
  countSubjectViolations(subjectKey: string, since: Date, until: Date, excludeCaseId: string): Promise<number>;
  /** Has this person taken the case's task on (task.accepted in its record)? */
  hasAccepted(caseId: string, userId: string): Promise<boolean>;
  /** How many evidence files of this kind are linked to the candidate (e.g. officer photos). */
  evidenceCount(candidateId: string, kind: string): Promise<number>;
}

export type CaseWorkflowStore = UnitOfWork<CaseWorkflowUnit>;
