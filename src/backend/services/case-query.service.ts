import type { Case, Prisma } from "../../generated/prisma/client.ts";
import type { Database } from "../db/database.ts";
import { DomainError } from "../domain/errors.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { CaseRepository, type CaseListFilter, type CaseTableFilter } from "../repositories/case.repository.ts";
import { caseView, encodeCursor, type CaseListQuery, type CaseTableExportQuery, type CaseTableQuery, type CaseTableSort } from "../dtos/case.dto.ts";
import { caseTableCsvHeader, caseTableCsvRows, csvTime } from "./case-table-csv.ts";
import { UTF8_BOM } from "./csv.ts";
import { certificateValid } from "../domain/dispatch-rules.ts";
import type { Class721 } from "../domain/outcome-rules.ts";
import { chainIntact } from "../audit/chain-integrity.ts";

/** More rows than this is no longer a list anyone reads in a spreadsheet; the filters should narrow it. */
export const MAX_EXPORT_ROWS = 100_000;
/** The table counts matches up to here and then says "more than": the count must not cost more than the page. */
export const TABLE_COUNT_CAP = 10_000;
const EXPORT_BATCH = 1000;

const numberOf = (n: string | undefined) => (n ? Number(n.replace(/^CW-?/i, "")) : undefined);
const keyOf = (c: Case, sort: CaseTableSort) => encodeCursor({ sort, priority: c.priority, startedAt: c.startedAt, number: c.number });

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

  private tableFilter(q: Omit<CaseTableExportQuery, "lang" | "timeZone">): CaseTableFilter {
    const [major, minor] = q.code ? q.code.split("/") : [];
    return {
      states: q.state,
      rules: q.rule,
      cameraId: q.cameraId,
      street: q.street,
      eventMajor: major,
      eventMinor: minor,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      assigneeId: q.assigneeId,
      number: numberOf(q.number),
    };
  }

  private namesFor(cases: Case[]) {
    return this.cases.tableNames(
      this.db.prisma,
      [...new Set(cases.map((c) => c.cameraId))],
      [...new Set(cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))],
    );
  }

  /** Table rows: each case with the names the table shows (camera, its street, assignee). */
  private async tableItems(cases: Case[], now: Date) {
    const names = await this.namesFor(cases);
    return cases.map((c) => {
      const camera = names.cameras.get(c.cameraId);
      return {
        ...caseView(c, now),
        cameraName: camera?.name ?? null,
        street: camera?.street ?? null,
        assigneeName: c.assigneeId ? (names.users.get(c.assigneeId) ?? null) : null,
      };
    });
  }

  /**
   * One page of all cases, keyset-paged: `next` and `prev` are cursors for the pages after and
   * before it (null at either end). A page asked for before the first one is the first page.
   */
  async table(q: CaseTableQuery) {
    const now = this.clock();
    const f = this.tableFilter(q);
    const page = async (cursor: CaseTableQuery["after"], backwards: boolean) => {
      const rows = await this.cases.tableRows(this.db.prisma, f, q.sort, q.limit + 1, cursor, backwards);
      return { rows: rows.slice(0, q.limit), more: rows.length > q.limit };
    };
    const [counted, first] = await Promise.all([
      this.cases.tableCount(this.db.prisma, f, TABLE_COUNT_CAP + 1),
      page(q.after ?? q.before, q.before !== undefined),
    ]);
    let { rows, more } = first;
    let next: string | null;
    let prev: string | null;
    if (q.before && more) {
      rows.reverse();
      prev = keyOf(rows[0], q.sort);
      next = keyOf(rows[rows.length - 1], q.sort);
    } else if (q.before) {
      ({ rows, more } = await page(undefined, false));
      prev = null;
      next = more ? keyOf(rows[rows.length - 1], q.sort) : null;
    } else {
      next = more ? keyOf(rows[rows.length - 1], q.sort) : null;
      // An empty page after a cursor (its rows were the last): the page before is still before the cursor.
      prev = q.after ? (rows.length ? keyOf(rows[0], q.sort) : encodeCursor(q.after)) : null;
    }
    return {
      total: Math.min(counted, TABLE_COUNT_CAP),
      totalExact: counted <= TABLE_COUNT_CAP,
      limit: q.limit,
      sort: q.sort,
      next,
      prev,
      items: await this.tableItems(rows, now),
    };
  }

  /**
   * The filtered table as CSV (headers and values in `lang`, times in `timeZone`), with a
   * byte-order mark so Excel reads the Chinese right. Refused before anything is written
   * when more than MAX_EXPORT_ROWS match.
   */
  async tableCsv(q: CaseTableExportQuery): Promise<{ rows: number; chunks: AsyncIterable<string> }> {
    const f = this.tableFilter(q);
    const rows = await this.cases.tableCount(this.db.prisma, f, MAX_EXPORT_ROWS + 1);
    if (rows > MAX_EXPORT_ROWS)
      throw new DomainError("unprocessable", `more than ${MAX_EXPORT_ROWS} cases match; narrow the filters to export`).withCode("export_too_large");
    const now = this.clock();
    const time = csvTime(q.timeZone);
    const batchAfter = (cursor: CaseTableQuery["after"]) => this.cases.tableRows(this.db.prisma, f, q.sort, EXPORT_BATCH, cursor);
    const namesFor = (batch: Case[]) => this.namesFor(batch);
    async function* chunks() {
      yield UTF8_BOM + caseTableCsvHeader(q.lang);
      let cursor: CaseTableQuery["after"];
      for (;;) {
        const batch = await batchAfter(cursor);
        if (!batch.length) return;
        yield caseTableCsvRows(batch, await namesFor(batch), q.lang, time, now);
        if (batch.length < EXPORT_BATCH) return;
        const last = batch[batch.length - 1];
        cursor = { sort: q.sort, priority: last.priority, startedAt: last.startedAt, number: last.number };
      }
    }
    return { rows, chunks: chunks() };
  }

  /** Field staff the table can be filtered by. */
  fieldStaff() {
    return this.cases.fieldStaff(this.db.prisma);
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
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
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
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
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
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
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
