import type { z } from "zod";
import type { Vendor } from "../../generated/prisma/client.ts";
import type { Database } from "../db/database.ts";
import { DomainError } from "../domain/errors.ts";
import type { Actor } from "../domain/actor.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { maskIdNumber, seesFullPersonalData } from "./personal-data.ts";

const maskedVendor = (v: Vendor) => ({ ...v, idNumber: maskIdNumber(v.idNumber), idNumberMasked: v.idNumber !== null });
import type { certificateBody, eventCodeBody, rejectReasonBody, shopBody, vendorBody } from "../dtos/registry.dto.ts";

/**
 * The registry the case workflow needs: certificates, shops, vendors, event codes,
 * rejection reasons. People live in UserDirectory, cameras in CameraRegistry.
 */
export class RegistryService {
  private readonly audit = new AuditRepository();

  constructor(private db: Database) {}

  async addCertificate(userId: string, b: z.infer<typeof certificateBody>) {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new DomainError("not_found", `user ${userId} does not exist`);
    if (user.role !== "officer") throw new DomainError("unprocessable", `enforcement certificates belong to officers; ${userId} is ${user.role}`);
    const existing = await this.db.prisma.officerCertificate.findUnique({ where: { number: b.number } });
    if (existing) throw new DomainError("conflict", `certificate ${b.number} is already registered`);
    return this.db.prisma.officerCertificate.create({
      data: { userId, number: b.number, issuingAuthority: b.issuingAuthority, validFrom: new Date(b.validFrom), expiresAt: new Date(b.expiresAt) },
    });
  }

  async revokeCertificate(number: string) {
    const c = await this.db.prisma.officerCertificate.findUnique({ where: { number } });
    if (!c) throw new DomainError("not_found", `certificate ${number} does not exist`);
    return this.db.prisma.officerCertificate.update({ where: { number }, data: { revokedAt: c.revokedAt ?? new Date() } });
  }

  listShops() {
    return this.db.prisma.shop.findMany({ orderBy: { id: "asc" } });
  }

  putShop(id: string, b: z.infer<typeof shopBody>) {
    const data = { ...b, frontLine: b.frontLine ?? undefined };
    return this.db.prisma.shop.upsert({ where: { id }, create: { id, ...data }, update: data });
  }

  /** Identity numbers masked for every role: full numbers are read one vendor at a time (vendor), and each such read is recorded. */
  async listVendors() {
    return (await this.db.prisma.vendor.findMany({ orderBy: { id: "asc" } })).map(maskedVendor);
  }

  /**
   * One vendor. A deciding role gets the full identity number, and that read is appended
   * to the vendor's chain of the full-process record (who, when, which role) in the same
   * transaction; everyone else gets it masked.
   */
  async vendor(id: string, actor: Actor) {
    const full = seesFullPersonalData(actor.role);
    return this.db.prisma.$transaction(async (tx) => {
      const v = await tx.vendor.findUnique({ where: { id } });
      if (!v) throw new DomainError("not_found", `vendor ${id} does not exist`);
      if (!full || v.idNumber === null) return maskedVendor(v);
      await this.audit.append(tx, [
        { chain: `vendor:${v.id}`, actorId: actor.id, action: "personal_data.id_number_read", after: { vendorId: v.id, role: actor.role } },
      ]);
      return { ...v, idNumberMasked: false };
    });
  }

  /** The writer knows what they sent: the answer shows the number masked, so no response echoes it. */
  async putVendor(id: string, b: z.infer<typeof vendorBody>) {
    return maskedVendor(await this.db.prisma.vendor.upsert({ where: { id }, create: { id, ...b }, update: b }));
  }

  listEventCodes() {
    return this.db.prisma.eventCode.findMany({ orderBy: [{ major: "asc" }, { minor: "asc" }] });
  }

  putEventCode(major: string, minor: string, b: z.infer<typeof eventCodeBody>) {
    return this.db.prisma.eventCode.upsert({ where: { major_minor: { major, minor } }, create: { major, minor, ...b }, update: b });
  }

  listRejectReasons() {
    return this.db.prisma.rejectReason.findMany({ orderBy: [{ sortOrder: "asc" }, { code: "asc" }] });
  }

  putRejectReason(code: string, b: z.infer<typeof rejectReasonBody>) {
    return this.db.prisma.rejectReason.upsert({ where: { code }, create: { code, ...b }, update: b });
  }
}
