import type { Camera, Case, OfficerCertificate, Prisma, User } from "../../generated/prisma/client.ts";
import type { Database } from "../db/database.ts";
import type { CaseTableKey, CaseTableSort } from "../dtos/case.dto.ts";
import type { AuditRepository, StoredAuditEntry } from "./audit.repository.ts";
import type { CaseListFilter, CaseRepository, CaseTableFilter, Page } from "./case.repository.ts";

/** The orders case lists come in: newest or oldest first, the review queue's, the longest overdue first. */
export type CaseListOrder = "newest" | "oldest" | "review" | "due";

const listOrders: Record<CaseListOrder, Prisma.CaseOrderByWithRelationInput[]> = {
  newest: [{ startedAt: "desc" }, { number: "desc" }],
  oldest: [{ startedAt: "asc" }, { number: "asc" }],
  review: [{ priority: "desc" }, { startedAt: "asc" }, { number: "asc" }],
  due: [{ dueAt: "asc" }],
};

/** A person's name and role, by user id. */
export interface PersonRow {
  id: string;
  name: string;
  role: string;
}

/** A field staff member for the assignee suggestions: certificates and open task count. */
export type FieldStaffRow = User & { certificates: OfficerCertificate[]; openTasks: number };

/** A piece of evidence linked to a case, and whether its file arrived. */
export interface CaseEvidenceRow {
  candidateId: string;
  sha256: string;
  kind: string;
  bytes: number;
  contentType: string;
  storedAt: Date | null;
}

/**
 * Everything the read side of the workflow reads (lists, the table, a case with its evidence,
 * statements and record, reports), over the back end's database. Writes stay in CaseRepository.
 */
export class CaseReadRepository {
  constructor(
    private db: Database,
    private cases: CaseRepository,
    private audit: AuditRepository,
  ) {}

  async findById(id: string): Promise<Case | null> {
    return this.cases.findById(this.db.prisma, id);
  }

  async list(filter: CaseListFilter, page: Page, order: CaseListOrder, now: Date): Promise<{ total: number; items: Case[] }> {
    return this.cases.list(this.db.prisma, filter, page, listOrders[order], now);
  }

  async tableRows(filter: CaseTableFilter, sort: CaseTableSort, take: number, cursor?: CaseTableKey, backwards = false): Promise<Case[]> {
    return this.cases.tableRows(this.db.prisma, filter, sort, take, cursor, backwards);
  }

  async tableCount(filter: CaseTableFilter, cap: number): Promise<number> {
    return this.cases.tableCount(this.db.prisma, filter, cap);
  }

  async tableNames(
    cameraIds: string[],
    userIds: string[],
  ): Promise<{ cameras: Map<string, { name: string; street: string | null }>; users: Map<string, string> }> {
    return this.cases.tableNames(this.db.prisma, cameraIds, userIds);
  }

  async fieldStaff(): Promise<{ id: string; name: string; role: string; active: boolean }[]> {
    return this.cases.fieldStaff(this.db.prisma);
  }

  async fieldStaffFor(street: string | null, grid: string | null, everyone: boolean): Promise<FieldStaffRow[]> {
    return this.cases.fieldStaffFor(this.db.prisma, street, grid, everyone);
  }

  async camera(id: string): Promise<Camera | null> {
    return this.cases.camera(this.db.prisma, id);
  }

  async mergedInto(id: string): Promise<{ id: string; candidateId: string; number: number }[]> {
    return this.cases.mergedInto(this.db.prisma, id);
  }

  async evidenceOf(candidateIds: string[]): Promise<CaseEvidenceRow[]> {
    return this.cases.evidenceOf(this.db.prisma, candidateIds);
  }

  async outcomeCounts(from: Date, to: Date): Promise<{ class721: string | null; outcome: string | null; count: number }[]> {
    const rows = await this.cases.outcomeCounts(this.db.prisma, from, to);
    return rows.map((r) => ({ class721: r.class721, outcome: r.outcome, count: r._count }));
  }

  /** The case's full-process record (its chain), in order. */
  async recordOf(chain: string): Promise<StoredAuditEntry[]> {
    return this.audit.entriesOf(this.db.prisma, chain);
  }

  async people(ids: string[]): Promise<PersonRow[]> {
    return this.db.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, role: true } });
  }

  async assignees(ids: string[]): Promise<{ id: string; assigneeId: string | null }[]> {
    return this.db.prisma.case.findMany({ where: { id: { in: ids } }, select: { id: true, assigneeId: true } });
  }

  /** The party's statements on these cases (no text: for counting). */
  async statementsOn(caseIds: string[]): Promise<{ id: string; caseId: string; submittedAt: Date }[]> {
    return this.db.prisma.partyStatement.findMany({ where: { caseId: { in: caseIds } }, select: { id: true, caseId: true, submittedAt: true } });
  }

  /** The party's statements on one case, oldest first. */
  async statementsOf(caseId: string): Promise<{ id: string; text: string; contact: string | null; submittedAt: Date }[]> {
    return this.db.prisma.partyStatement.findMany({
      where: { caseId },
      orderBy: { submittedAt: "asc" },
      select: { id: true, text: true, contact: true, submittedAt: true },
    });
  }

  /** What the record entries of this action on these cases say (their `after`). */
  async recordedAfter(caseIds: string[], action: string): Promise<unknown[]> {
    const entries = await this.db.prisma.auditEntry.findMany({ where: { caseId: { in: caseIds }, action }, select: { after: true } });
    return entries.map((e) => e.after);
  }

  /** Cases with a statement no entry of `readAction` names (statements are few: a scan is cheap). */
  async casesWithUnreadStatements(readAction: string): Promise<string[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<{ caseId: string }[]>(
      `SELECT DISTINCT s."caseId" FROM "PartyStatement" s
       WHERE NOT EXISTS (
         SELECT 1 FROM "AuditEntry" a
         WHERE a."caseId" = s."caseId" AND a.action = $1 AND a.after -> 'statementIds' @> jsonb_build_array(s.id)
       )`,
      readAction,
    );
    return rows.map((r) => r.caseId);
  }
}
