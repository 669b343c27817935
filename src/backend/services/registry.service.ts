import type { EventCode, OfficerCertificate, RejectReason, Shop, Vendor } from "../../generated/prisma/client.ts";
import type {
  CertificateInput,
  CertificateView,
  EventCodeInput,
  EventCodeView,
  RejectReasonInput,
  RejectReasonView,
  ShopInput,
  ShopView,
  VendorInput,
  VendorView,
} from "../../contracts/api/registry.ts";
import type { Database } from "../db/database.ts";
import { DomainError } from "../domain/errors.ts";
import type { Actor } from "../domain/actor.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { maskIdNumber, seesFullPersonalData } from "./personal-data.ts";

// Views built field by field: the answer is exactly the contract, and a new column is not sent until the contract names it.
const vendorView = (v: Vendor, idNumber: string | null, idNumberMasked: boolean): VendorView => ({
  id: v.id,
  name: v.name,
  description: v.description,
  idNumber,
  idNumberMasked,
  createdAt: v.createdAt.toISOString(),
});
const maskedVendor = (v: Vendor): VendorView => vendorView(v, maskIdNumber(v.idNumber), v.idNumber !== null);

export const certificateView = (c: OfficerCertificate): CertificateView => ({
  id: c.id,
  userId: c.userId,
  number: c.number,
  issuingAuthority: c.issuingAuthority,
  validFrom: c.validFrom.toISOString(),
  expiresAt: c.expiresAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
  createdAt: c.createdAt.toISOString(),
});

const shopView = (s: Shop): ShopView => ({
  id: s.id,
  name: s.name,
  address: s.address,
  licenceNo: s.licenceNo,
  street: s.street,
  cameraId: s.cameraId,
  zoneId: s.zoneId,
  // A Json column, but only ever written through shopBody's frontLine (a list of normalised points).
  frontLine: (s.frontLine as [number, number][] | null) ?? null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

const eventCodeView = (e: EventCode): EventCodeView => ({
  major: e.major,
  minor: e.minor,
  name: e.name,
  timeLimitMinutes: e.timeLimitMinutes,
  priority: e.priority,
  minorViolation: e.minorViolation,
  active: e.active,
});

const rejectReasonView = (r: RejectReason): RejectReasonView => ({
  code: r.code,
  label: r.label,
  requiresText: r.requiresText,
  active: r.active,
  sortOrder: r.sortOrder,
});

/**
 * The registry the case workflow needs: certificates, shops, vendors, event codes,
 * rejection reasons. People live in UserDirectory, cameras in CameraRegistry.
 */
export class RegistryService {
  private readonly audit = new AuditRepository();

  constructor(private db: Database) {}

  async addCertificate(userId: string, b: CertificateInput): Promise<CertificateView> {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new DomainError("not_found", `user ${userId} does not exist`);
    if (user.role !== "officer") throw new DomainError("unprocessable", `enforcement certificates belong to officers; ${userId} is ${user.role}`);
    const existing = await this.db.prisma.officerCertificate.findUnique({ where: { number: b.number } });
    if (existing) throw new DomainError("conflict", `certificate ${b.number} is already registered`);
    const created = await this.db.prisma.officerCertificate.create({
      data: { userId, number: b.number, issuingAuthority: b.issuingAuthority, validFrom: new Date(b.validFrom), expiresAt: new Date(b.expiresAt) },
    });
    return certificateView(created);
  }

  async revokeCertificate(number: string): Promise<CertificateView> {
    const c = await this.db.prisma.officerCertificate.findUnique({ where: { number } });
    if (!c) throw new DomainError("not_found", `certificate ${number} does not exist`);
    return certificateView(await this.db.prisma.officerCertificate.update({ where: { number }, data: { revokedAt: c.revokedAt ?? new Date() } }));
  }

  async listShops(): Promise<ShopView[]> {
    return (await this.db.prisma.shop.findMany({ orderBy: { id: "asc" } })).map(shopView);
  }

  async putShop(id: string, b: ShopInput): Promise<ShopView> {
    const data = { ...b, frontLine: b.frontLine ?? undefined };
    return shopView(await this.db.prisma.shop.upsert({ where: { id }, create: { id, ...data }, update: data }));
  }

  /** Identity numbers masked for every role: full numbers are read one vendor at a time (vendor), and each such read is recorded. */
  async listVendors(): Promise<VendorView[]> {
    return (await this.db.prisma.vendor.findMany({ orderBy: { id: "asc" } })).map(maskedVendor);
  }

  /**
   * One vendor. A deciding role gets the full identity number, and that read is appended
   * to the vendor's chain of the full-process record (who, when, which role) in the same
   * transaction; everyone else gets it masked.
   */
  async vendor(id: string, actor: Actor): Promise<VendorView> {
    const full = seesFullPersonalData(actor.role);
    return this.db.prisma.$transaction(async (tx) => {
      const v = await tx.vendor.findUnique({ where: { id } });
      if (!v) throw new DomainError("not_found", `vendor ${id} does not exist`);
      if (!full || v.idNumber === null) return maskedVendor(v);
      await this.audit.append(tx, [
        { chain: `vendor:${v.id}`, actorId: actor.id, action: "personal_data.id_number_read", after: { vendorId: v.id, role: actor.role } },
      ]);
      return vendorView(v, v.idNumber, false);
    });
  }

  /** The writer knows what they sent: the answer shows the number masked, so no response echoes it. */
  async putVendor(id: string, b: VendorInput): Promise<VendorView> {
    return maskedVendor(await this.db.prisma.vendor.upsert({ where: { id }, create: { id, ...b }, update: b }));
  }

  async listEventCodes(): Promise<EventCodeView[]> {
    return (await this.db.prisma.eventCode.findMany({ orderBy: [{ major: "asc" }, { minor: "asc" }] })).map(eventCodeView);
  }

  async putEventCode(major: string, minor: string, b: EventCodeInput): Promise<EventCodeView> {
    return eventCodeView(await this.db.prisma.eventCode.upsert({ where: { major_minor: { major, minor } }, create: { major, minor, ...b }, update: b }));
  }

  async listRejectReasons(): Promise<RejectReasonView[]> {
    return (await this.db.prisma.rejectReason.findMany({ orderBy: [{ sortOrder: "asc" }, { code: "asc" }] })).map(rejectReasonView);
  }

  async putRejectReason(code: string, b: RejectReasonInput): Promise<RejectReasonView> {
    return rejectReasonView(await this.db.prisma.rejectReason.upsert({ where: { code }, create: { code, ...b }, update: b }));
  }
}
