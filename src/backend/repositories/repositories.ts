import type { Database } from "../db/database.ts";
import { AuditRepository } from "./audit.repository.ts";
import { CaseRepository } from "./case.repository.ts";
import { PrismaCaseStore } from "./case-store.ts";
import { DeadLetterRepository } from "./dead-letter.repository.ts";
import { EvidenceRepository } from "./evidence.repository.ts";
import { IngestRepository } from "./ingest.repository.ts";
import { IntakeOwnershipRepository } from "./intake-ownership.repository.ts";

/** Every repository of one back end, over its one database (built by the composition root). */
export interface Repositories {
  db: Database;
  audit: AuditRepository;
  cases: CaseRepository;
  /** The case workflow's units of work (workflow, overdue sweep, notes, field tasks, evidence). */
  caseStore: PrismaCaseStore;
  deadLetters: DeadLetterRepository;
  evidence: EvidenceRepository;
  ingest: IngestRepository;
  intakeOwnership: IntakeOwnershipRepository;
}

export function createRepositories(db: Database): Repositories {
  return {
    db,
    audit: new AuditRepository(),
    cases: new CaseRepository(),
    caseStore: new PrismaCaseStore(db),
    deadLetters: new DeadLetterRepository(),
    evidence: new EvidenceRepository(),
    ingest: new IngestRepository(),
    intakeOwnership: new IntakeOwnershipRepository(),
  };
}
