import type { Database } from "../db/database.ts";
import type { RejectReason } from "../../generated/prisma/client.ts";
import type { RejectReasonInput } from "../../contracts/api/registry.ts";

export type RejectReasonRecord = RejectReason;

/** The reasons a reviewer may reject a case with. */
export class RejectReasonRepository {
  constructor(private db: Database) {}

  list(): Promise<RejectReasonRecord[]> {
    return this.db.prisma.rejectReason.findMany({ orderBy: [{ sortOrder: "asc" }, { code: "asc" }] });
  }

  save(code: string, b: RejectReasonInput): Promise<RejectReasonRecord> {
    return this.db.prisma.rejectReason.upsert({ where: { code }, create: { code, ...b }, update: b });
  }
}
