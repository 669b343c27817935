import { Prisma, type Case } from "../../generated/prisma/client.ts";
import { clockRunningStates, violationStates, type CaseState } from "../domain/case-transitions.ts";
import type { CaseTableKey, CaseTableSort } from "../dtos/case.dto.ts";
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

/** Filters of the all-cases table. */
export interface CaseTableFilter {
  states?: CaseState[];
  rules?: string[];
  cameraId?: string;
  eventMajor?: string;
  eventMinor?: string;
  /** Cases whose camera is registered on this street. */
  street?: string;
  from?: Date;
  to?: Date;
  assigneeId?: string;
  number?: number;
}

/**
 * Key columns of each table order, all in one direction so that a row comparison
 * `(cols) < (values)` finds the rows after a cursor, and PostgreSQL can start an index scan
 * right there (indexes Case(startedAt, number) and Case(priority, startedAt, number)).
 */
const tableOrder: Record<CaseTableSort, { cols: Prisma.Sql; desc: boolean; key: (k: CaseTableKey) => Prisma.Sql }> = {
  newest: { cols: Prisma.sql`("startedAt", number)`, desc: true, key: (k) => Prisma.sql`(${k.startedAt}::timestamptz, ${k.number}::int)` },
  oldest: { cols: Prisma.sql`("startedAt", number)`, desc: false, key: (k) => Prisma.sql`(${k.startedAt}::timestamptz, ${k.number}::int)` },
  priority: {
    cols: Prisma.sql`(priority, "startedAt", number)`,
    desc: true,
    key: (k) => Prisma.sql`(${k.priority}::int, ${k.startedAt}::timestamptz, ${k.number}::int)`,
  },
};
const orderBy = (sort: CaseTableSort, backwards: boolean): Prisma.Sql => {
  const dir = tableOrder[sort].desc !== backwards ? Prisma.raw("DESC") : Prisma.raw("ASC");
  return sort === "priority" ? Prisma.sql`ORDER BY priority ${dir}, "startedAt" ${dir}, number ${dir}` : Prisma.sql`ORDER BY "startedAt" ${dir}, number ${dir}`;
};

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

  private tableWhere(f: CaseTableFilter): Prisma.Sql[] {
    const and: Prisma.Sql[] = [];
    if (f.states?.length) and.push(Prisma.sql`state IN (${Prisma.join(f.states.map((st) => Prisma.sql`${st}::"CaseState"`))})`);
    if (f.rules?.length) and.push(Prisma.sql`rule IN (${Prisma.join(f.rules)})`);
    if (f.cameraId) and.push(Prisma.sql`"cameraId" = ${f.cameraId}`);
    if (f.street) and.push(Prisma.sql`"cameraId" IN (SELECT id FROM "Camera" WHERE street = ${f.street})`);
    if (f.eventMajor) and.push(Prisma.sql`"eventMajor" = ${f.eventMajor}`);
    if (f.eventMinor) and.push(Prisma.sql`"eventMinor" = ${f.eventMinor}`);
    if (f.from) and.push(Prisma.sql`"startedAt" >= ${f.from}::timestamptz`);
    if (f.to) and.push(Prisma.sql`"startedAt" < ${f.to}::timestamptz`);
    if (f.assigneeId) and.push(Prisma.sql`"assigneeId" = ${f.assigneeId}`);
    if (f.number !== undefined) and.push(Prisma.sql`number = ${f.number}::int`);
    return and;
  }

  /**
   * How many cases the table's filters match, counting no further than `cap`: an exact count
   * reads every matching row, which on a big table costs more than the page itself.
   */
  async tableCount(tx: Tx, f: CaseTableFilter, cap: number): Promise<number> {
    const and = this.tableWhere(f);
    const where = and.length ? Prisma.sql`WHERE ${Prisma.join(and, " AND ")}` : Prisma.empty;
    const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Case" ${where} LIMIT ${cap}::int) AS matching`;
    return Number(row?.n ?? 0);
  }

  /**
   * Up to `take` cases in the table's order, starting right after (or, `backwards`, right
   * before, returned in reverse) the row the cursor names. Keyset paging: a page costs the
   * same on the thousandth page as on the first, and rows arriving meanwhile shift nothing.
   */
  async tableRows(tx: Tx, f: CaseTableFilter, sort: CaseTableSort, take: number, cursor?: CaseTableKey, backwards = false): Promise<Case[]> {
    const and = this.tableWhere(f);
    if (cursor) {
      const o = tableOrder[sort];
      const op = o.desc !== backwards ? Prisma.raw("<") : Prisma.raw(">");
      and.push(Prisma.sql`${o.cols} ${op} ${o.key(cursor)}`);
    }
    const where = and.length ? Prisma.sql`WHERE ${Prisma.join(and, " AND ")}` : Prisma.empty;
    const ids = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Case" ${where} ${orderBy(sort, backwards)} LIMIT ${take}::int`;
    if (!ids.length) return [];
    const rows = await tx.case.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((r) => byId.get(r.id) ?? []);
  }

  /** Names the table shows instead of ids: cameras (with their street) and assignees. */
  async tableNames(tx: Tx, cameraIds: string[], userIds: string[]) {
    const [cameras, users] = await Promise.all([
      cameraIds.length ? tx.camera.findMany({ where: { id: { in: cameraIds } }, select: { id: true, name: true, street: true } }) : [],
      userIds.length ? tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    ]);
    return { cameras: new Map(cameras.map((c) => [c.id, c])), users: new Map(users.map((u) => [u.id, u.name])) };
  }

  /** Field staff, active or not (a former officer's cases are still theirs), for the table's assignee filter. */
  fieldStaff(tx: Tx) {
    return tx.user.findMany({
      where: { role: { in: ["officer", "auxiliary"] } },
      select: { id: true, name: true, role: true, active: true },
      orderBy: [{ active: "desc" }, { name: "asc" }],
    });
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
