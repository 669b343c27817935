import type { CertificateInput, CertificateView } from "../../contracts/api/registry.ts";
import { DomainError } from "../domain/errors.ts";
import type { CertificateRecord, CertificateRepository } from "../repositories/certificate.repository.ts";
import type { UserRepository } from "../repositories/user.repository.ts";

// Views built field by field: the answer is exactly the contract, and a new column is not sent until the contract names it.
export const certificateView = (c: CertificateRecord): CertificateView => ({
  id: c.id,
  userId: c.userId,
  number: c.number,
  issuingAuthority: c.issuingAuthority,
  validFrom: c.validFrom.toISOString(),
  expiresAt: c.expiresAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
  createdAt: c.createdAt.toISOString(),
});

/** Officers' enforcement certificates: only officers hold one, and a number is registered once. */
export class CertificateService {
  constructor(
    private certificates: Pick<CertificateRepository, "findByNumber" | "create" | "markRevoked">,
    private users: Pick<UserRepository, "findById">,
    private clock: () => Date = () => new Date(),
  ) {}

  async add(userId: string, b: CertificateInput): Promise<CertificateView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError("not_found", `user ${userId} does not exist`);
    if (user.role !== "officer") throw new DomainError("unprocessable", `enforcement certificates belong to officers; ${userId} is ${user.role}`);
    if (await this.certificates.findByNumber(b.number)) throw new DomainError("conflict", `certificate ${b.number} is already registered`);
    const created = await this.certificates.create({
      userId,
      number: b.number,
      issuingAuthority: b.issuingAuthority,
      validFrom: new Date(b.validFrom),
      expiresAt: new Date(b.expiresAt),
    });
    return certificateView(created);
  }

  /** Revoking twice keeps the first revocation's time. */
  async revoke(number: string): Promise<CertificateView> {
    const c = await this.certificates.findByNumber(number);
    if (!c) throw new DomainError("not_found", `certificate ${number} does not exist`);
    return certificateView(await this.certificates.markRevoked(number, c.revokedAt ?? this.clock()));
  }
}
