import { z } from "zod";
import type { Case } from "../../generated/prisma/client.ts";
import { caseStates, clockRunningStates, type CaseState } from "../domain/case-transitions.ts";
import { outcomes } from "../domain/outcome-rules.ts";

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
