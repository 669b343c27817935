import type { Database } from "../db/database.ts";
import type { Vendor } from "../../generated/prisma/client.ts";
import type { VendorInput } from "../../contracts/api/registry.ts";
import { AuditRepository, type NewAuditEntry } from "./audit.repository.ts";

export type VendorRecord = Vendor;

/** Vendors, whose identity numbers are personal data. */
export class VendorRepository {
  private readonly audit = new AuditRepository();

  constructor(private db: Database) {}

  list(): Promise<VendorRecord[]> {
    return this.db.prisma.vendor.findMany({ orderBy: { id: "asc" } });
  }

  find(id: string): Promise<VendorRecord | null> {
    return this.db.prisma.vendor.findUnique({ where: { id } });
  }

  /**
   * The vendor, and — when it has an identity number — the record of who read it, appended
   * in the same transaction, so no full number is read without its entry.
   */
  findRecordingRead(id: string, entry: (v: VendorRecord) => NewAuditEntry): Promise<VendorRecord | null> {
    return this.db.prisma.$transaction(async (tx) => {
      const v = await tx.vendor.findUnique({ where: { id } });
      if (v?.idNumber != null) await this.audit.append(tx, [entry(v)]);
      return v;
    });
  }

  save(id: string, b: VendorInput): Promise<VendorRecord> {
    return this.db.prisma.vendor.upsert({ where: { id }, create: { id, ...b }, update: b });
  }
}
