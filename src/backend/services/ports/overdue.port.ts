import type { RecordAppend, UnitOfWork } from "./common.ts";

/** A case the sweep just flagged as past its time limit. */
export interface OverdueFlag {
  id: string;
  candidateId: string;
  dueAt: Date;
  state: string;
}

export interface OverdueUnit extends RecordAppend {
  /** Flags (overdueAt = now, version bumped) the cases whose time is running and ran out, not flagged before; returns them. */
  flagOverdue(now: Date): Promise<OverdueFlag[]>;
}

export type OverdueStore = UnitOfWork<OverdueUnit>;
