import { verifyAuditRecord, type AuditRecordReads, type AuditVerifyReport } from "../audit/audit-verify.ts";
import type { AnchorResult } from "../audit/audit-anchor.ts";
import type { AuditRecordRepository } from "../repositories/audit-record.repository.ts";

/** The full-process record's upkeep: verifying every chain, anchor and evidence file, and anchoring moved chain heads. */
export class AuditRecordService {
  constructor(
    private record: AuditRecordReads & Pick<AuditRecordRepository, "anchorMovedHeads">,
    private evidenceDir: string,
  ) {}

  verify(): Promise<AuditVerifyReport> {
    return verifyAuditRecord(this.record, this.evidenceDir);
  }

  anchor(): Promise<AnchorResult | null> {
    return this.record.anchorMovedHeads();
  }
}
