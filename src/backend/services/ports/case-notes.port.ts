import type { CaseRecord } from "../../domain/case-record.ts";
import type { RecordAppend, UnitOfWork } from "./common.ts";

export interface CaseNotesUnit extends RecordAppend {
  findCase(id: string): Promise<CaseRecord | null>;
  /** Those of `statementIds` that are the case's own party statements. */
  ownStatements(caseId: string, statementIds: string[]): Promise<string[]>;
  /** Replaces the case's access code (its hash) with a new one. */
  setAccessCode(caseId: string, hash: string, at: Date): Promise<void>;
}

export type CaseNotesStore = UnitOfWork<CaseNotesUnit>;
