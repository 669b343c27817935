import type { Database } from "../db/database.ts";
import type { OfficerCertificate } from "../../generated/prisma/client.ts";

export type CertificateRecord = OfficerCertificate;

export interface NewCertificate {
  userId: string;
  number: string;
  issuingAuthority: string;
  validFrom: Date;
  expiresAt: Date;
}

/** Officers' enforcement certificates. */
export class CertificateRepository {
  constructor(private db: Database) {}

  findByNumber(number: string): Promise<CertificateRecord | null> {
    return this.db.prisma.officerCertificate.findUnique({ where: { number } });
  }

  create(c: NewCertificate): Promise<CertificateRecord> {
    return this.db.prisma.officerCertificate.create({ data: c });
  }

  markRevoked(number: string, at: Date): Promise<CertificateRecord> {
    return this.db.prisma.officerCertificate.update({ where: { number }, data: { revokedAt: at } });
  }
}
