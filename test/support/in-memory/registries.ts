import type { CertificateService } from "../../../src/backend/services/certificate.service.ts";
import type { VendorService } from "../../../src/backend/services/vendor.service.ts";
import type { CertificateRecord, NewCertificate } from "../../../src/backend/repositories/certificate.repository.ts";
import type { VendorRecord } from "../../../src/backend/repositories/vendor.repository.ts";
import type { NewAuditEntry } from "../../../src/backend/repositories/audit.repository.ts";
import type { VendorInput } from "../../../src/contracts/api/registry.ts";

type CertificateStore = ConstructorParameters<typeof CertificateService>[0];
type VendorStore = ConstructorParameters<typeof VendorService>[0];

/** Certificates in a Map by number. */
export class InMemoryCertificates implements CertificateStore {
  readonly rows = new Map<string, CertificateRecord>();

  async findByNumber(number: string): Promise<CertificateRecord | null> {
    return this.rows.get(number) ?? null;
  }

  async create(c: NewCertificate): Promise<CertificateRecord> {
    const row = { ...c, id: `cert-${this.rows.size + 1}`, revokedAt: null, createdAt: new Date() };
    this.rows.set(c.number, row);
    return row;
  }

  async markRevoked(number: string, at: Date): Promise<CertificateRecord> {
    const row = this.rows.get(number)!;
    row.revokedAt = at;
    return { ...row };
  }
}

/** Vendors in a Map; `record` holds the audit entries a full read appended. */
export class InMemoryVendors implements VendorStore {
  readonly rows = new Map<string, VendorRecord>();
  readonly record: NewAuditEntry[] = [];

  async list(): Promise<VendorRecord[]> {
    return [...this.rows.values()];
  }

  async find(id: string): Promise<VendorRecord | null> {
    return this.rows.get(id) ?? null;
  }

  async findRecordingRead(id: string, entry: (v: VendorRecord) => NewAuditEntry): Promise<VendorRecord | null> {
    const v = this.rows.get(id) ?? null;
    if (v?.idNumber != null) this.record.push(entry(v));
    return v;
  }

  async save(id: string, b: VendorInput): Promise<VendorRecord> {
    const row: VendorRecord = { id, name: null, description: null, idNumber: null, createdAt: new Date(), ...this.rows.get(id), ...b };
    this.rows.set(id, row);
    return row;
  }
}
