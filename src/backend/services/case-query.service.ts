import type { CaseRecord as Case } from "../domain/case-record.ts";
import { DomainError } from "../domain/errors.ts";
import type { CaseListFilter, CaseTableFilter } from "../repositories/case.repository.ts";
import type { CaseListOrder, CaseReadRepository } from "../repositories/case-read.repository.ts";
import { caseView, encodeCursor, type CaseListQuery, type CaseTableExportQuery, type CaseTableQuery, type CaseTableSort } from "../dtos/case.dto.ts";
import { caseTableCsvHeader, caseTableCsvRows, csvTime } from "./case-table-csv.ts";
import { UTF8_BOM } from "./csv.ts";
import { STATEMENT_READ_ACTION, statementsRead } from "./case-notes.service.ts";
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

/** A person as the console names them, instead of their id. */
export interface PersonRef {
  name: string;
  role: string;
}

/** The party's statements (陈述申辩) on a case: how many, how many nobody in the command center has read yet, the newest. */
export interface StatementSummary {
  total: number;
  unread: number;
  lastAt: Date | null;
}

const noStatements: StatementSummary = { total: 0, unread: 0, lastAt: null };

/** What the read side reads: the case-read repository's methods (an in-memory store in unit tests). */
export type CaseReads = { [K in keyof CaseReadRepository]: CaseReadRepository[K] };

/** Read side of the workflow: lists, the review queue, a case with its evidence and record, reports. */
export class CaseQueryService {
  constructor(
    private cases: CaseReads,
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

  async list(q: CaseListQuery, defaultOrder: CaseListOrder = "newest") {
    return this.page(q, this.filter(q), defaultOrder);
  }

  private async page(q: CaseListQuery, filter: CaseListFilter, defaultOrder: CaseListOrder) {
    const order: CaseListOrder = q.sort === "newest" || q.sort === "oldest" ? q.sort : defaultOrder;
    const now = this.clock();
    const { total, items } = await this.cases.list(filter, { limit: q.limit, offset: q.offset }, order, now);
    return { total, limit: q.limit, offset: q.offset, items: await this.views(items, now) };
  }

  /**
   * Candidates awaiting review, highest priority first, then oldest first; and any case with a
   * party's statement nobody has read yet, so the command center answers it (the item says so).
   */
  async reviewQueue(q: CaseListQuery) {
    const unread = await this.casesWithUnreadStatements();
    return this.page(q, { ...this.filter({ ...q, state: ["candidate"] }), orIds: unread }, "review");
  }

  /** Cases with a statement no one has marked as read. */
  casesWithUnreadStatements(): Promise<string[]> {
    return this.cases.casesWithUnreadStatements(STATEMENT_READ_ACTION);
  }

  /** Cases as the API shows them: people by name as well as id, and the party's statements counted (two queries, whatever the count). */
  async views(cases: Case[], now = this.clock()) {
    const [people, statements] = await Promise.all([
      this.people(cases.flatMap((c) => [c.assigneeId, c.confirmedBy])),
      this.statementSummaries(cases.map((c) => c.id)),
    ]);
    return cases.map((c) => {
      const v = caseView(c, now);
      return {
        ...v,
        confirmedByName: v.confirmedBy ? (people.get(v.confirmedBy)?.name ?? null) : null,
        dispatch: v.dispatch ? { ...v.dispatch, assigneeName: people.get(v.dispatch.assigneeId)?.name ?? null } : null,
        statements: statements.get(c.id) ?? noStatements,
      };
    });
  }

  async view(c: Case) {
    return (await this.views([c]))[0];
  }

  /** Names and roles of these user ids, in one query; ids that are not people (party, system:…, edge:…) are left out. */
  async people(ids: Iterable<string | null | undefined>): Promise<Map<string, PersonRef>> {
    const wanted = [...new Set([...ids].filter((id): id is string => typeof id === "string" && id.length > 0))];
    if (!wanted.length) return new Map();
    const rows = await this.cases.people(wanted);
    return new Map(rows.map((u) => [u.id, { name: u.name, role: u.role }]));
  }

  private async statementSummaries(caseIds: string[]): Promise<Map<string, StatementSummary>> {
    if (!caseIds.length) return new Map();
    const rows = await this.cases.statementsOn(caseIds);
    if (!rows.length) return new Map();
    const read = await this.readStatementIds([...new Set(rows.map((r) => r.caseId))]);
    const out = new Map<string, StatementSummary>();
    for (const r of rows) {
      const s = out.get(r.caseId) ?? { ...noStatements };
      s.total++;
      if (!read.has(r.id)) s.unread++;
      if (!s.lastAt || r.submittedAt > s.lastAt) s.lastAt = r.submittedAt;
      out.set(r.caseId, s);
    }
    return out;
  }

  /** Statements someone marked as read, from the cases' records (reading is recorded there). */
  private async readStatementIds(caseIds: string[]): Promise<Set<string>> {
    const marks = await this.cases.recordedAfter(caseIds, STATEMENT_READ_ACTION);
    return new Set(marks.flatMap((after) => statementsRead(after)));
  }

  /** The party's statements on a case, oldest first, each marked read or not. */
  async statementsOf(caseId: string) {
    const [rows, read] = await Promise.all([this.cases.statementsOf(caseId), this.readStatementIds([caseId])]);
    return rows.map((s) => ({ ...s, read: read.has(s.id) }));
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
    return this.cases.tableNames([...new Set(cases.map((c) => c.cameraId))], [...new Set(cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))]);
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
      const rows = await this.cases.tableRows(f, q.sort, q.limit + 1, cursor, backwards);
      return { rows: rows.slice(0, q.limit), more: rows.length > q.limit };
    };
    const [counted, first] = await Promise.all([this.cases.tableCount(f, TABLE_COUNT_CAP + 1), page(q.after ?? q.before, q.before !== undefined)]);
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
    const rows = await this.cases.tableCount(f, MAX_EXPORT_ROWS + 1);
    if (rows > MAX_EXPORT_ROWS)
      throw new DomainError("unprocessable", `more than ${MAX_EXPORT_ROWS} cases match; narrow the filters to export`).withCode("export_too_large");
    const now = this.clock();
    const time = csvTime(q.timeZone);
    const batchAfter = (cursor: CaseTableQuery["after"]) => this.cases.tableRows(f, q.sort, EXPORT_BATCH, cursor);
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
    return this.cases.fieldStaff();
  }

  /** Overdue cases, the longest overdue first. */
  overdue(q: CaseListQuery) {
    return this.list({ ...q, overdue: "true" }, "due");
  }

  /** The assignee of each of these cases (cases without one map to null). */
  async assigneesOf(ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.cases.assignees(ids);
    return new Map(rows.map((r) => [r.id, r.assigneeId]));
  }

  /** Whom the case is dispatched to (null when nobody or no such case). */
  async assigneeOf(id: string): Promise<string | null> {
    return (await this.assigneesOf([id])).get(id) ?? null;
  }

  async detail(id: string) {
    const c = await this.cases.findById(id);
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
    const merged = await this.cases.mergedInto(c.id);
    const [evidence, view, partyStatements] = await Promise.all([
      this.cases.evidenceOf([c.candidateId, ...merged.map((m) => m.candidateId)]),
      this.view(c),
      this.statementsOf(c.id),
    ]);
    return {
      ...view,
      partyStatements,
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
    const c = await this.cases.findById(id);
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
    const entries = await this.cases.recordOf(c.candidateId);
    // Whoever acted or was named in a step (an assignee, a confirming operator), by name: one query for the whole record.
    const named = entries.flatMap((e) => [e.actorId, ...personFields(e.before), ...personFields(e.after)]);
    return {
      chain: c.candidateId,
      people: Object.fromEntries(await this.people(named)),
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
    const c = await this.cases.findById(id);
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
    const camera = await this.cases.camera(c.cameraId);
    const now = this.clock();
    const staff = await this.cases.fieldStaffFor(camera?.street ?? null, camera?.grid ?? null, everyone);
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
    const rows = await this.cases.outcomeCounts(from, to);
    const byClass: Record<Class721, number> = { service: 0, management: 0, enforcement: 0 };
    const byOutcome: Record<string, number> = {};
    for (const r of rows) {
      if (r.class721 && r.class721 in byClass) byClass[r.class721 as Class721] += r.count;
      if (r.outcome) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + r.count;
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

/** User ids a record entry names besides its actor. */
function personFields(v: unknown): string[] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
  const o = v as Record<string, unknown>;
  return ["assigneeId", "confirmedBy"].flatMap((k) => (typeof o[k] === "string" ? [o[k] as string] : []));
}
