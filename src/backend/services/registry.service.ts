import type { z } from "zod";
import type { Database } from "../db/database.ts";
import { HttpError } from "../http/errors.ts";
import type { certificateBody, eventCodeBody, rejectReasonBody, shopBody, vendorBody } from "../dtos/registry.dto.ts";

/**
 * The registry the case workflow needs: certificates, shops, vendors, event codes,
 * rejection reasons. People live in UserDirectory, cameras in CameraRegistry.
 */
export class RegistryService {
  constructor(private db: Database) {}

  async addCertificate(userId: string, b: z.infer<typeof certificateBody>) {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new HttpError(404, `user ${userId} does not exist`);
    if (user.role !== "officer") throw new HttpError(422, `enforcement certificates belong to officers; ${userId} is ${user.role}`);
    const existing = await this.db.prisma.officerCertificate.findUnique({ where: { number: b.number } });
    if (existing) throw new HttpError(409, `certificate ${b.number} is already registered`);
    return this.db.prisma.officerCertificate.create({
      data: { userId, number: b.number, issuingAuthority: b.issuingAuthority, validFrom: new Date(b.validFrom), expiresAt: new Date(b.expiresAt) },
    });
  }

  async revokeCertificate(number: string) {
    const c = await this.db.prisma.officerCertificate.findUnique({ where: { number } });
    if (!c) throw new HttpError(404, `certificate ${number} does not exist`);
    return this.db.prisma.officerCertificate.update({ where: { number }, data: { revokedAt: c.revokedAt ?? new Date() } });
  }

  listShops() {
    return this.db.prisma.shop.findMany({ orderBy: { id: "asc" } });
  }

  putShop(id: string, b: z.infer<typeof shopBody>) {
    const data = { ...b, frontLine: b.frontLine ?? undefined };
    return this.db.prisma.shop.upsert({ where: { id }, create: { id, ...data }, update: data });
  }

  listVendors() {
    return this.db.prisma.vendor.findMany({ orderBy: { id: "asc" } });
  }

  putVendor(id: string, b: z.infer<typeof vendorBody>) {
    return this.db.prisma.vendor.upsert({ where: { id }, create: { id, ...b }, update: b });
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
