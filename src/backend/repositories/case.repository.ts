import type { Case, Prisma } from "../../generated/prisma/client.ts";
import { clockRunningStates, violationStates, type CaseState } from "../domain/case-transitions.ts";
import type { Tx } from "./tx.ts";

export interface CaseListFilter {
  states?: CaseState[];
  cameraId?: string;
  eventMajor?: string;
  eventMinor?: string;
  /** Cases whose camera is registered on this street. */
  street?: string;
  from?: Date;
  to?: Date;
  assigneeId?: string;
  subjectKey?: string;
  overdue?: boolean;
  number?: number;
  /** Cases listed whatever their state (the other filters still apply): the review queue's cases with an unread statement. */
  orIds?: string[];
}

export interface Page {
  limit: number;
  offset: number;
}

/** All database access of the case workflow. */
export class CaseRepository {
  findById(tx: Tx, id: string): Promise<Case | null> {
    return tx.case.findUnique({ where: { id } });
  }

  findByCandidateId(tx: Tx, candidateId: string): Promise<Case | null> {
    return tx.case.findUnique({ where: { candidateId } });
  }

  /** Applies the change only if nobody changed the case since it was read; false = lost the race. */
  async updateIfVersion(tx: Tx, id: string, version: number, data: Prisma.CaseUncheckedUpdateManyInput): Promise<Case | null> {
    const r = await tx.case.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 }, updatedAt: new Date() } });
    return r.count === 1 ? tx.case.findUnique({ where: { id } }) : null;
  }

  /** Serialises 首违不罚 decisions of one subject, so two confirmations cannot both be "first". */
  async lockSubject(tx: Tx, subjectKey: string): Promise<void> {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `subject:${subjectKey}`);
  }

  /** Violations of a subject that started in (since, until], other than `excludeId`. Not-a-case outcomes do not count. */
  countSubjectViolations(tx: Tx, subjectKey: string, since: Date, until: Date, excludeId: string): Promise<number> {
    return tx.case.count({
      where: {
        subjectKey,
        id: { not: excludeId },
        state: { in: [...violationStates] },
        startedAt: { gt: since, lte: until },
        OR: [{ outcome: null }, { outcome: { not: "not_a_case" } }],
      },
    });
  }

  eventCode(tx: Tx, major: string, minor: string) {
    return tx.eventCode.findUnique({ where: { major_minor: { major, minor } } });
  }

  rejectReason(tx: Tx, code: string) {
    return tx.rejectReason.findUnique({ where: { code } });
  }

  userWithCertificates(tx: Tx, id: string) {
    return tx.user.findUnique({ where: { id }, include: { certificates: true } });
  }

  camera(tx: Tx, id: string) {
    return tx.camera.findUnique({ where: { id } });
  }

  /** Has this person taken the task on (接收任务)? Acceptance lives in the case's record only. */
  async acceptedBy(tx: Tx, caseId: string, userId: string): Promise<boolean> {
    return (await tx.auditEntry.count({ where: { caseId, action: "task.accepted", actorId: userId } })) > 0;
  }

  /**
   * Stores the hash of the case's first access code; false when it already has one. The null
   * check is in the UPDATE itself, so a code issued meanwhile from the console is never replaced.
   */
  async setFirstAccessCode(tx: Tx, id: string, hash: string, at: Date): Promise<boolean> {
    const r = await tx.case.updateMany({ where: { id, accessCodeHash: null }, data: { accessCodeHash: hash, accessCodeIssuedAt: at } });
    return r.count === 1;
  }

  private where(f: CaseListFilter, now: Date): Prisma.CaseWhereInput {
    const and: Prisma.CaseWhereInput[] = [];
    if (f.states?.length) and.push(f.orIds?.length ? { OR: [{ state: { in: f.states } }, { id: { in: f.orIds } }] } : { state: { in: f.states } });
    if (f.cameraId) and.push({ cameraId: f.cameraId });
    if (f.eventMajor) and.push({ eventMajor: f.eventMajor });
    if (f.eventMinor) and.push({ eventMinor: f.eventMinor });
    if (f.from) and.push({ startedAt: { gte: f.from } });
    if (f.to) and.push({ startedAt: { lt: f.to } });
    if (f.assigneeId) and.push({ assigneeId: f.assigneeId });
    if (f.subjectKey) and.push({ subjectKey: f.subjectKey });
    if (f.number !== undefined) and.push({ number: f.number });
    if (f.overdue === true) and.push({ state: { in: [...clockRunningStates] }, dueAt: { lt: now } });
    if (f.overdue === false) and.push({ NOT: { state: { in: [...clockRunningStates] }, dueAt: { lt: now } } });
    return { AND: and };
  }

  async list(tx: Tx, f: CaseListFilter, page: Page, order: Prisma.CaseOrderByWithRelationInput[], now = new Date()) {
    let filter = f;
    if (f.street) {
      const cams = await tx.camera.findMany({ where: { street: f.street }, select: { id: true } });
      if (f.cameraId && !cams.some((c) => c.id === f.cameraId)) return { total: 0, items: [] };
      filter = { ...f, street: undefined };
      const where = { AND: [this.where(filter, now), { cameraId: { in: cams.map((c) => c.id) } }] };
      const [total, items] = await Promise.all([tx.case.count({ where }), tx.case.findMany({ where, orderBy: order, take: page.limit, skip: page.offset })]);
      return { total, items };
    }
    const where = this.where(filter, now);
    const [total, items] = await Promise.all([tx.case.count({ where }), tx.case.findMany({ where, orderBy: order, take: page.limit, skip: page.offset })]);
    return { total, items };
  }

  /** Cases whose time limit ran out and that are not flagged yet; flags them. */
  async flagOverdue(tx: Tx, now: Date): Promise<{ id: string; candidateId: string; dueAt: Date; state: string }[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string; candidateId: string; dueAt: Date; state: string }[]>(
      `UPDATE "Case" SET "overdueAt" = $1::timestamptz, version = version + 1, "updatedAt" = $1::timestamptz
       WHERE state::text = ANY($2::text[]) AND "dueAt" < $1::timestamptz AND "overdueAt" IS NULL
       RETURNING id, "candidateId", "dueAt", state::text AS state`,
      now.toISOString(),
      [...clockRunningStates],
    );
    return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt) }));
  }

  evidenceOf(tx: Tx, candidateIds: string[]) {
    return tx.$queryRawUnsafe<{ candidateId: string; sha256: string; kind: string; bytes: number; contentType: string; storedAt: Date | null }[]>(
      `SELECT l."candidateId", l.sha256, l.kind, l.bytes, l."contentType", e."storedAt"
       FROM "EvidenceLink" l LEFT JOIN "Evidence" e ON e.sha256 = l.sha256
       WHERE l."candidateId" = ANY($1::text[]) ORDER BY l."createdAt", l.kind`,
      candidateIds,
    );
  }

  mergedInto(tx: Tx, id: string) {
    return tx.case.findMany({ where: { mergedIntoId: id }, select: { id: true, candidateId: true, number: true } });
  }

  /** Officers (and auxiliaries) responsible for a street or grid, with their certificates and open task count. */
  /** Active field staff of the street or grid; `everyone` lists them all (the operator's manual pick). */
  async fieldStaffFor(tx: Tx, street: string | null, grid: string | null, everyone = false) {
    const or: Prisma.UserWhereInput[] = [];
    if (street) or.push({ streets: { has: street } });
    if (grid) or.push({ grids: { has: grid } });
    if (or.length === 0 && !everyone) return [];
    const users = await tx.user.findMany({
      where: { active: true, role: { in: ["officer", "auxiliary"] }, ...(everyone ? {} : { OR: or }) },
      include: { certificates: true },
      orderBy: { name: "asc" },
    });
    const open = await tx.case.groupBy({ by: ["assigneeId"], where: { assigneeId: { in: users.map((u) => u.id) }, state: "dispatched" }, _count: true });
    const openOf = new Map(open.map((o) => [o.assigneeId, o._count]));
    return users.map((u) => ({ ...u, openTasks: openOf.get(u.id) ?? 0 }));
  }

  /** Outcome counts for the 721 report over cases handled in [from, to). */
  outcomeCounts(tx: Tx, from: Date, to: Date) {
    return tx.case.groupBy({ by: ["class721", "outcome"], where: { handledAt: { gte: from, lt: to }, outcome: { not: null } }, _count: true });
  }
}
