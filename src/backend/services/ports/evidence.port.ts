import type { CaseRecord } from "../../domain/case-record.ts";
import type { EvidenceLinking, RecordAppend, UnitOfWork } from "./common.ts";

export interface EvidenceUnit extends RecordAppend, EvidenceLinking {
  findCase(id: string): Promise<CaseRecord | null>;
  findCaseByCandidate(candidateId: string): Promise<CaseRecord | null>;
  /** The cases merged into this one (their evidence is part of it). */
  mergedInto(caseId: string): Promise<{ candidateId: string }[]>;
  /** Was this candidate's file already recorded as stored (then a retried upload records nothing)? */
  wasRecorded(candidateId: string, sha256: string): Promise<boolean>;
  /** A link of the file to one of these candidates, or null. */
  linkTo(sha256: string, candidateIds: string[]): Promise<{ kind: string } | null>;
  evidenceFile(sha256: string): Promise<{ contentType: string; bytes: number } | null>;
  /**
   * Files stored before `cutoff` that no open case needs (open: not closed, rejected, or merged
   * into a case that is itself closed or rejected), with the candidates they were linked to.
   */
  purgeable(cutoff: Date, limit: number): Promise<{ sha256: string; candidateIds: string[] }[]>;
  /** Forgets the file (its row); the links stay, saying what the case once had. */
  forgetEvidence(sha256: string): Promise<void>;
}

export type EvidenceRecords = UnitOfWork<EvidenceUnit>;
