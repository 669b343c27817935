import { z } from "zod";
import type { Case } from "../../generated/prisma/client.ts";
import { caseStates, clockRunningStates, type CaseState } from "../domain/case-transitions.ts";
import { outcomes } from "../domain/outcome-rules.ts";
import { ruleKinds } from "../../contracts/candidate.ts";

const expectedVersion = z.number().int().positive().optional().describe("the version you loaded; 409 if the case changed since");

export const confirmBody = z.object({ note: z.string().max(2000).optional(), expectedVersion }).strict();
export const rejectBody = z
  .object({ reason: z.string().min(1).max(64).describe("code from GET /api/reject-reasons"), text: z.string().max(2000).optional(), expectedVersion })
  .strict();
export const mergeBody = z.object({ intoCaseId: z.string().min(1).max(64), expectedVersion }).strict();
export const dispatchBody = z
  .object({
    assigneeId: z.string().min(1).max(64),
    task: z.enum(["enforcement", "dissuasion"]).default("enforcement").describe("enforcement needs an officer with a valid certificate"),
    note: z.string().max(2000).optional(),
    expectedVersion,
  })
  .strict();
export const outcomeBody = z
  .object({
    outcome: z.enum(outcomes).describe("education 教育劝导 · order_to_correct 责令改正 · file_case 立案 · no_case_filed 不予立案 (reason) · not_a_case 非转案"),
    reason: z.string().max(2000).optional(),
    note: z.string().max(4000).optional(),
    vendorId: z.string().max(64).optional().describe("registered vendor identified on site"),
    expectedVersion,
  })
  .strict();
export const sendBackBody = z.object({ reason: z.string().min(2).max(2000), expectedVersion }).strict();
export const noteBody = z.object({ note: z.string().max(2000).optional(), expectedVersion }).strict();

/** At most this many cases in one bulk action: one request stays well inside a proxy's time limit. */
export const BULK_MAX_CASES = 100;
const bulkCases = z
  .array(z.object({ id: z.string().min(1).max(64), expectedVersion }).strict())
  .min(1)
  .max(BULK_MAX_CASES)
  .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, { message: "each case at most once" })
  .describe(`the selected cases (1–${BULK_MAX_CASES}), each with the version on screen`);
export const bulkBody = z.discriminatedUnion("action", [
  z
    .object({
      action: z.literal("reject"),
      cases: bulkCases,
      reason: z.string().min(1).max(64).describe("code from GET /api/reject-reasons"),
      text: z.string().max(2000).optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal("dispatch").describe("a candidate among them is confirmed and dispatched in one step"),
      cases: bulkCases,
      assigneeId: z.string().min(1).max(64),
      task: z.enum(["enforcement", "dissuasion"]).default("enforcement"),
    })
    .strict(),
]);
export type BulkBody = z.infer<typeof bulkBody>;

export const statementsReadBody = z
  .object({ statementIds: z.array(z.string().min(1).max(64)).min(1).max(200).describe("the statements the operator has read (as shown)") })
  .strict();

const csvStates = z
  .string()
  .transform((s) => s.split(",").filter(Boolean))
  .pipe(z.array(z.enum(caseStates)));

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const caseListQuery = z
  .object({
    state: csvStates.optional().describe("comma-separated states"),
    cameraId: z.string().max(64).optional(),
    code: z
      .string()
      .regex(/^\d{2}(\/\d{2})?$/, "05 or 05/01")
      .optional()
      .describe("event code 大类 or 大类/小类"),
    street: z.string().max(128).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe("started at or after"),
    to: z.iso.datetime({ offset: true }).optional().describe("started before"),
    assigneeId: z.string().max(64).optional(),
    subject: z.string().max(128).optional().describe("shop:<id> or vendor:<id>"),
    overdue: z.enum(["true", "false"]).optional(),
    number: z
      .string()
      .regex(/^(CW-?)?\d{1,9}$/i, "a case number such as CW-000123 or 123")
      .optional()
      .describe("one case by its number (CW-000123, 000123 or 123)"),
    sort: z.enum(["newest", "oldest"]).optional().describe("by start time; the review queue defaults to priority then oldest"),
    ...pageQuery,
  })
  .strict();
export type CaseListQuery = z.infer<typeof caseListQuery>;

/** Orders of the all-cases table; each ends on the unique case number, so the order is total and keyset paging is exact. */
export const caseTableSorts = ["newest", "oldest", "priority"] as const;
export type CaseTableSort = (typeof caseTableSorts)[number];

/** Where a page of the all-cases table starts: the sort keys of the row next to it. */
export interface CaseTableKey {
  sort: CaseTableSort;
  priority: number;
  startedAt: Date;
  number: number;
}

const cursorShape = z.object({ s: z.enum(caseTableSorts), p: z.number().int(), t: z.iso.datetime(), n: z.number().int().positive() }).strict();

/** Cursors are opaque to callers (base64url JSON), so the key columns can change without breaking the API. */
export function encodeCursor(k: CaseTableKey): string {
  return Buffer.from(JSON.stringify({ s: k.sort, p: k.priority, t: k.startedAt.toISOString(), n: k.number })).toString("base64url");
}

const cursor = z
  .string()
  .max(300)
  .transform((s, ctx): CaseTableKey => {
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    } catch {
      raw = undefined;
    }
    const k = cursorShape.safeParse(raw);
    if (!k.success) {
      ctx.addIssue({ code: "invalid_format", format: "cursor", message: "not a cursor of this list (use next or prev of a page)" });
      return z.NEVER;
    }
    return { sort: k.data.s, priority: k.data.p, startedAt: new Date(k.data.t), number: k.data.n };
  });

/** Filters of the all-cases table and its CSV export. */
const caseTableFilters = {
  state: csvStates.optional().describe("comma-separated states"),
  rule: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.enum(ruleKinds)))
    .optional()
    .describe("comma-separated violation kinds (street_vending, shop_overflow)"),
  code: z
    .string()
    .regex(/^\d{2}(\/\d{2})?$/, "05 or 05/01")
    .optional()
    .describe("event code 大类 or 大类/小类"),
  cameraId: z.string().max(64).optional(),
  street: z.string().max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe("started at or after"),
  to: z.iso.datetime({ offset: true }).optional().describe("started before"),
  assigneeId: z.string().max(64).optional(),
  number: z
    .string()
    .trim()
    .regex(/^(CW-?)?\d{1,9}$/i, "a case number such as CW-000123 or 123")
    .optional()
    .describe("one case by its number (CW-000123, 000123 or 123)"),
  sort: z.enum(caseTableSorts).default("newest").describe("newest or oldest start first, or highest priority first (then newest)"),
};

/** from must come before to: an empty range is a mistake, not an empty list. */
const rangeInOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || new Date(q.from) < new Date(q.to);
const rangeIssue = { path: ["to"], message: "to must be after from" };

export const caseTableQuery = z
  .object({
    ...caseTableFilters,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    after: cursor.optional().describe("the `next` cursor of the page before"),
    before: cursor.optional().describe("the `prev` cursor of the page after"),
  })
  .strict()
  .refine(rangeInOrder, rangeIssue)
  .superRefine((q, ctx) => {
    if (q.after && q.before) ctx.addIssue({ code: "custom", path: ["before"], message: "either after or before, not both" });
    for (const k of ["after", "before"] as const)
      if (q[k] && q[k].sort !== q.sort) ctx.addIssue({ code: "custom", path: [k], message: "the cursor belongs to another sort order" });
  });
export type CaseTableQuery = z.infer<typeof caseTableQuery>;

export const caseTableExportQuery = z
  .object({
    ...caseTableFilters,
    lang: z.enum(["en", "zh"]).default("zh").describe("language of the column names and values"),
    timeZone: z
      .string()
      .max(64)
      .default("Asia/Shanghai")
      .refine((tz) => Intl.supportedValuesOf("timeZone").includes(tz) || tz === "UTC", "unknown time zone")
      .describe("time zone the times are written in"),
  })
  .strict()
  .refine(rangeInOrder, rangeIssue);
export type CaseTableExportQuery = z.infer<typeof caseTableExportQuery>;

export function caseNumber(n: number): string {
  return `CW-${String(n).padStart(6, "0")}`;
}

/** The JSON shape of a case in every response. */
export function caseView(c: Case, now = new Date()) {
  const overdue = c.dueAt !== null && c.dueAt < now && clockRunningStates.includes(c.state as CaseState);
  return {
    id: c.id,
    number: caseNumber(c.number),
    candidateId: c.candidateId,
    state: c.state,
    version: c.version,
    priority: c.priority,
    eventCode: `${c.eventMajor}/${c.eventMinor}`,
    rule: c.rule,
    edgeId: c.edgeId,
    cameraId: c.cameraId,
    zoneId: c.zoneId,
    ruleId: c.ruleId,
    phase: c.phase,
    candidateSeq: c.candidateSeq,
    startedAt: c.startedAt,
    lastSeenAt: c.lastSeenAt,
    endedAt: c.endedAt,
    bestScore: c.bestScore,
    objects: c.objects,
    subject: c.subjectKey,
    shopId: c.shopId,
    vendorId: c.vendorId,
    penaltyEvidence: { usable: c.penaltyEvidenceUsable, note: c.penaltyEvidenceNote },
    firstViolation: c.penaltyTreatment ? { treatment: c.penaltyTreatment, violationsInLookback: c.subjectViolationCount } : null,
    confirmedAt: c.confirmedAt,
    confirmedBy: c.confirmedBy,
    rejection: c.rejectReason ? { reason: c.rejectReason, text: c.rejectText } : null,
    mergedIntoId: c.mergedIntoId,
    dueAt: c.dueAt,
    overdue,
    overdueFlaggedAt: c.overdueAt,
    dispatch: c.assigneeId ? { assigneeId: c.assigneeId, task: c.taskKind, at: c.dispatchedAt, sendBacks: c.sendBackCount } : null,
    outcome: c.outcome ? { outcome: c.outcome, reason: c.outcomeReason, note: c.outcomeNote, class721: c.class721, at: c.handledAt } : null,
    verifiedAt: c.verifiedAt,
    closedAt: c.closedAt,
    // When the party's access code was last issued (never the code or its hash): the console offers a re-issue then.
    accessCodeIssuedAt: c.accessCodeIssuedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
