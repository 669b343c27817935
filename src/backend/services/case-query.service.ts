import type { Prisma } from "../../generated/prisma/client.ts";
import type { Database } from "../db/database.ts";
import { HttpError } from "../http/errors.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { CaseRepository, type CaseListFilter } from "../repositories/case.repository.ts";
import { caseView, type CaseListQuery } from "../dtos/case.dto.ts";
import { certificateValid } from "../domain/dispatch-rules.ts";
import type { Class721 } from "../domain/outcome-rules.ts";
import { chainIntact } from "../audit/chain-integrity.ts";

/** Read side of the workflow: lists, the review queue, a case with its evidence and record, reports. */
export class CaseQueryService {
  private readonly cases = new CaseRepository();
  private readonly audit = new AuditRepository();

  constructor(
    private db: Database,
    private clock: () => Date = () => new Date(),
  ) {}

  private filter(q: CaseListQuery): CaseListFilter {
    const [major, minor] = q.code ? q.code.split("/") : [];
    return {
      states: q.state,
      cameraId: q.cameraId,
      eventMajor: major,
      eventMinor: minor,
      street: q.street,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      assigneeId: q.assigneeId,
      subjectKey: q.subject,
      overdue: q.overdue === undefined ? undefined : q.overdue === "true",
      number: q.number ? Number(q.number.replace(/^CW-?/i, "")) : undefined,
    };
  }

  async list(q: CaseListQuery, defaultOrder: Prisma.CaseOrderByWithRelationInput[] = [{ startedAt: "desc" }, { number: "desc" }]) {
    const order: Prisma.CaseOrderByWithRelationInput[] =
      q.sort === "newest" ? [{ startedAt: "desc" }, { number: "desc" }] : q.sort === "oldest" ? [{ startedAt: "asc" }, { number: "asc" }] : defaultOrder;
    const now = this.clock();
    const { total, items } = await this.cases.list(this.db.prisma, this.filter(q), { limit: q.limit, offset: q.offset }, order, now);
    return { total, limit: q.limit, offset: q.offset, items: items.map((c) => caseView(c, now)) };
  }

  /** Candidates awaiting review: highest priority first, then oldest first. */
  reviewQueue(q: CaseListQuery) {
    return this.list({ ...q, state: ["candidate"] }, [{ priority: "desc" }, { startedAt: "asc" }, { number: "asc" }]);
  }

  /** Overdue cases, the longest overdue first. */
  overdue(q: CaseListQuery) {
    return this.list({ ...q, overdue: "true" }, [{ dueAt: "asc" }]);
  }

  /** Whom the case is dispatched to (null when nobody or no such case). */
  /** The assignee of each of these cases (cases without one map to null). */
  async assigneesOf(ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.prisma.case.findMany({ where: { id: { in: ids } }, select: { id: true, assigneeId: true } });
    return new Map(rows.map((r) => [r.id, r.assigneeId]));
  }

  async assigneeOf(id: string): Promise<string | null> {
    const c = await this.db.prisma.case.findUnique({ where: { id }, select: { assigneeId: true } });
    return c?.assigneeId ?? null;
  }

  async detail(id: string) {
    const c = await this.cases.findById(this.db.prisma, id);
    if (!c) throw new HttpError(404, `case ${id} does not exist`);
    const merged = await this.cases.mergedInto(this.db.prisma, c.id);
    const evidence = await this.cases.evidenceOf(this.db.prisma, [c.candidateId, ...merged.map((m) => m.candidateId)]);
    return {
      ...caseView(c, this.clock()),
      mergedCases: merged.map((m) => ({ id: m.id, candidateId: m.candidateId })),
      evidence: evidence.map((e) => ({
        candidateId: e.candidateId,
        kind: e.kind,
        sha256: e.sha256,
        bytes: Number(e.bytes),
        contentType: e.contentType,
        uploaded: e.storedAt !== null,
        href: `/api/cases/${c.id}/evidence/${e.sha256}`,
      })),
    };
  }

  async record(id: string) {
    const c = await this.cases.findById(this.db.prisma, id);
    if (!c) throw new HttpError(404, `case ${id} does not exist`);
    const entries = await this.audit.entriesOf(this.db.prisma, c.candidateId);
    return {
      chain: c.candidateId,
      /** Every hash recomputed and linked from the chain's genesis. */
      intact: chainIntact(c.candidateId, entries),
      entries: entries.map((e) => ({
        seq: e.seq,
        at: e.at,
        actorId: e.actorId,
        action: e.action,
        before: e.before,
        after: e.after,
        evidenceSha256: e.evidenceSha256,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
    };
  }

  /** Field staff responsible for the camera's street/grid; those who can take an enforcement task first, then the least busy. */
  async suggestedAssignees(id: string, everyone = false) {
    const c = await this.cases.findById(this.db.prisma, id);
    if (!c) throw new HttpError(404, `case ${id} does not exist`);
    const camera = await this.cases.camera(this.db.prisma, c.cameraId);
    const now = this.clock();
    const staff = await this.cases.fieldStaffFor(this.db.prisma, camera?.street ?? null, camera?.grid ?? null, everyone);
    const rows = staff.map((u) => {
      const cert = u.certificates.find((x) => certificateValid(x, now)) ?? null;
      return {
        id: u.id,
        name: u.name,
        role: u.role,
        openTasks: u.openTasks,
        canTakeEnforcement: u.role === "officer" && cert !== null,
        certificate: cert ? { number: cert.number, expiresAt: cert.expiresAt } : null,
        matches: { street: camera?.street != null && u.streets.includes(camera.street), grid: camera?.grid != null && u.grids.includes(camera.grid) },
      };
    });
    rows.sort(
      (a, b) => Number(b.canTakeEnforcement) - Number(a.canTakeEnforcement) || Number(b.matches.grid) - Number(a.matches.grid) || a.openTasks - b.openTasks,
    );
    return { cameraId: c.cameraId, street: camera?.street ?? null, grid: camera?.grid ?? null, suggestions: rows };
  }

  /** The 721 split of outcomes recorded in [from, to). */
  async report721(from: Date, to: Date) {
    const rows = await this.cases.outcomeCounts(this.db.prisma, from, to);
    const byClass: Record<Class721, number> = { service: 0, management: 0, enforcement: 0 };
    const byOutcome: Record<string, number> = {};
    for (const r of rows) {
      if (r.class721) byClass[r.class721] += r._count;
      if (r.outcome) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + r._count;
    }
    const total = byClass.service + byClass.management + byClass.enforcement;
    const share = (n: number) => (total ? Math.round((n / total) * 1000) / 10 : 0);
    return {
      from,
      to,
      total,
      byClass,
      sharePercent: { service: share(byClass.service), management: share(byClass.management), enforcement: share(byClass.enforcement) },
      byOutcome,
    };
  }
}
