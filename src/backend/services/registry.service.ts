import type { z } from "zod";
import type { Database } from "../db/database.ts";
import type { ActorLookup, UserRole } from "../http/actor.ts";
import { HttpError } from "../http/errors.ts";
import type { cameraBody, certificateBody, eventCodeBody, rejectReasonBody, shopBody, userBody, vendorBody } from "../dtos/registry.dto.ts";

const toDate = (s: string | null | undefined) => (s ? new Date(s) : s === null ? null : undefined);

/**
 * The minimal registry the case workflow needs: people, certificates, cameras (review and
 * publication), shops, vendors, event codes, rejection reasons. Issue 6 grows it (camera
 * credentials, zones, sessions) on the same tables.
 */
export class RegistryService implements ActorLookup {
  private cache = new Map<string, { at: number; user: { id: string; role: UserRole; name: string } | null }>();

  constructor(private db: Database) {}

  async findActiveUser(id: string) {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < 5_000) return hit.user;
    const u = await this.db.prisma.user.findUnique({ where: { id } });
    const user = u && u.active ? { id: u.id, role: u.role as UserRole, name: u.name } : null;
    this.cache.set(id, { at: Date.now(), user });
    return user;
  }

  /** Until issue 6 brings first-login: an empty database gets one administrator to start from. */
  async ensureBootstrapAdministrator(): Promise<string | null> {
    if ((await this.db.prisma.user.count()) > 0) return null;
    await this.db.prisma.user.upsert({ where: { id: "admin" }, create: { id: "admin", name: "Bootstrap administrator", role: "administrator" }, update: {} });
    return "admin";
  }

  listUsers() {
    return this.db.prisma.user.findMany({ orderBy: { id: "asc" }, include: { certificates: true } });
  }

  async putUser(id: string, b: z.infer<typeof userBody>) {
    this.cache.delete(id);
    return this.db.prisma.user.upsert({ where: { id }, create: { id, ...b }, update: b });
  }

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

  listCameras() {
    return this.db.prisma.camera.findMany({ orderBy: { id: "asc" } });
  }

  putCamera(id: string, b: z.infer<typeof cameraBody>) {
    const data = { ...b, legalReviewAt: toDate(b.legalReviewAt), locationPublishedAt: toDate(b.locationPublishedAt) };
    return this.db.prisma.camera.upsert({ where: { id }, create: { id, ...data, name: b.name }, update: data });
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
