import type { CaseRecord } from "../../domain/case-record.ts";
import type { EvidenceLinking, RecordAppend, UnitOfWork } from "./common.ts";

export interface FieldTaskUnit extends RecordAppend, EvidenceLinking {
  findCase(id: string): Promise<CaseRecord | null>;
}

export type FieldTaskStore = UnitOfWork<FieldTaskUnit>;
