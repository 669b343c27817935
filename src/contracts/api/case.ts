/**
 * The case workflow's API shapes, defined once: case states and outcomes, the requests of the
 * lists, the all-cases table, the transitions, bulk actions, notes and statements, and every
 * answer about a case. The back end validates requests with them (and, under test, its
 * responses), the OpenAPI document is generated from them, and the console takes its types
 * from them. Nothing here may need Node: the console bundles it too.
 */
import { z } from "zod";
import { ruleKinds } from "../candidate.ts";
import { userRoles } from "./registry.ts";

/** Case states in workflow order (the order the console lists them); the Prisma enum CaseState has the same values. */
export const caseStates = ["candidate", "confirmed", "dispatched", "handled", "verified", "closed", "rejected", "merged"] as const;
export type CaseState = (typeof caseStates)[number];

/** Officer outcomes (处置); the Prisma enum Outcome has the same values. */
export const outcomes = ["education", "order_to_correct", "file_case", "no_case_filed", "not_a_case"] as const;
export type Outcome = (typeof outcomes)[number];

/** Kinds of field task: enforcement needs an officer with a valid certificate. */
export const taskKinds = ["enforcement", "dissuasion"] as const;
export type TaskKind = (typeof taskKinds)[number];

export const class721s = ["service", "management", "enforcement"] as const;
export const penaltyTreatments = ["first_violation_education", "normal", "repeated"] as const;

const isoTime = z.iso.datetime({ offset: true });
const caseNumberText = z
  .string()
  .regex(/^(CW-?)?\d{1,9}$/i, "a case number such as CW-000123 or 123")
  .describe("one case by its number (CW-000123, 000123 or 123)");
const eventCodeFilter = z
  .string()
  .regex(/^\d{2}(\/\d{2})?$/, "05 or 05/01")
  .describe("event code 大类 or 大类/小类");

// ---- requests ----

const expectedVersion = z.number().int().positive().optional().describe("the version you loaded; 409 if the case changed since");

export const confirmBody = z.object({ note: z.string().max(2000).optional(), expectedVersion }).strict();
export const rejectBody = z
  .object({ reason: z.string().min(1).max(64).describe("code from GET /api/reject-reasons"), text: z.string().max(2000).optional(), expectedVersion })
  .strict();
export const mergeBody = z.object({ intoCaseId: z.string().min(1).max(64), expectedVersion }).strict();
export const dispatchBody = z
  .object({
    assigneeId: z.string().min(1).max(64),
    task: z.enum(taskKinds).default("enforcement").describe("enforcement needs an officer with a valid certificate"),
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
export type ConfirmInput = z.input<typeof confirmBody>;
export type RejectInput = z.input<typeof rejectBody>;
export type MergeInput = z.input<typeof mergeBody>;
export type DispatchInput = z.input<typeof dispatchBody>;
export type OutcomeInput = z.input<typeof outcomeBody>;
export type SendBackInput = z.input<typeof sendBackBody>;
export type NoteInput = z.input<typeof noteBody>;

/** A field note on a case (POST /cases/:id/notes). */
export const fieldNoteBody = z.object({ text: z.string().trim().min(1).max(4000) }).strict();
export type FieldNoteInput = z.input<typeof fieldNoteBody>;

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
      task: z.enum(taskKinds).default("enforcement"),
    })
    .strict(),
]);
export type BulkBody = z.infer<typeof bulkBody>;
export type BulkInput = z.input<typeof bulkBody>;

export const statementsReadBody = z
  .object({ statementIds: z.array(z.string().min(1).max(64)).min(1).max(200).describe("the statements the operator has read (as shown)") })
  .strict();
export type StatementsReadInput = z.input<typeof statementsReadBody>;

const csvStates = z
  .string()
  .transform((s) => s.split(",").filter(Boolean))
  .pipe(z.array(z.enum(caseStates)));

export const caseListQuery = z
  .object({
    state: csvStates.optional().describe("comma-separated states"),
    cameraId: z.string().max(64).optional(),
    code: eventCodeFilter.optional(),
    street: z.string().max(128).optional(),
    from: isoTime.optional().describe("started at or after"),
    to: isoTime.optional().describe("started before"),
    assigneeId: z.string().max(64).optional(),
    subject: z.string().max(128).optional().describe("shop:<id> or vendor:<id>"),
    overdue: z.enum(["true", "false"]).optional(),
    number: caseNumberText.optional(),
    sort: z.enum(["newest", "oldest"]).optional().describe("by start time; the review queue defaults to priority then oldest"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type CaseListQuery = z.infer<typeof caseListQuery>;

export const suggestedAssigneesQuery = z.object({ scope: z.enum(["area", "all"]).default("area") }).strict();

/** The period of the 721 report. */
export const report721Query = z.object({ from: isoTime, to: isoTime }).strict();

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

// base64url of UTF-8 without Node's Buffer: the console bundles this module too.
function toBase64Url(text: string): string {
  const binary = Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join("");
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64Url(s: string): string {
  const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Cursors are opaque to callers (base64url JSON), so the key columns can change without breaking the API. */
export function encodeCursor(k: CaseTableKey): string {
  return toBase64Url(JSON.stringify({ s: k.sort, p: k.priority, t: k.startedAt.toISOString(), n: k.number }));
}

const cursor = z
  .string()
  .max(300)
  .transform((s, ctx): CaseTableKey => {
    let raw: unknown;
    try {
      raw = JSON.parse(fromBase64Url(s));
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
  code: eventCodeFilter.optional(),
  cameraId: z.string().max(64).optional(),
  street: z.string().max(128).optional(),
  from: isoTime.optional().describe("started at or after"),
  to: isoTime.optional().describe("started before"),
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

// ---- responses ----

/** An object the detector found, as the case keeps it: a normalised [x1,y1,x2,y2] box (or pixels of the detector frame). */
export const detectedObjectSchema = z.object({
  trackId: z.number().int().optional(),
  label: z.string(),
  role: z.string(),
  score: z.number(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type DetectedObject = z.output<typeof detectedObjectSchema>;

const caseFields = {
  id: z.string(),
  /** CW-000123 */
  number: z.string(),
  candidateId: z.string(),
  state: z.enum(caseStates),
  version: z.number().int(),
  priority: z.number().int(),
  /** 大类/小类, e.g. 05/01 */
  eventCode: z.string(),
  rule: z.string(),
  edgeId: z.string(),
  cameraId: z.string(),
  zoneId: z.string(),
  ruleId: z.string(),
  phase: z.string(),
  candidateSeq: z.number().int(),
  startedAt: isoTime,
  lastSeenAt: isoTime,
  endedAt: isoTime.nullable(),
  bestScore: z.number(),
  objects: z.array(detectedObjectSchema).nullable(),
  /** shop:<id> or vendor:<id> */
  subject: z.string().nullable(),
  shopId: z.string().nullable(),
  vendorId: z.string().nullable(),
  penaltyEvidence: z.strictObject({ usable: z.boolean(), note: z.string().nullable() }),
  firstViolation: z.strictObject({ treatment: z.enum(penaltyTreatments), violationsInLookback: z.number().int().nullable() }).nullable(),
  confirmedAt: isoTime.nullable(),
  confirmedBy: z.string().nullable(),
  rejection: z.strictObject({ reason: z.string(), text: z.string().nullable() }).nullable(),
  mergedIntoId: z.string().nullable(),
  dueAt: isoTime.nullable(),
  overdue: z.boolean(),
  overdueFlaggedAt: isoTime.nullable(),
  dispatch: z.strictObject({ assigneeId: z.string(), task: z.enum(taskKinds).nullable(), at: isoTime.nullable(), sendBacks: z.number().int() }).nullable(),
  outcome: z
    .strictObject({
      outcome: z.enum(outcomes),
      reason: z.string().nullable(),
      note: z.string().nullable(),
      class721: z.enum(class721s).nullable(),
      at: isoTime.nullable(),
    })
    .nullable(),
  verifiedAt: isoTime.nullable(),
  closedAt: isoTime.nullable(),
  /** When the party's access code was last issued (never the code or its hash). */
  accessCodeIssuedAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
};

/** A case as stored, without the names and counts the lists add (the all-cases table's base). */
export const caseCoreSchema = z.strictObject(caseFields);
export type CaseCore = z.output<typeof caseCoreSchema>;

/** A case in every list and answer: people by name as well as id, and the party's statements counted. */
export const caseViewSchema = z.strictObject({
  ...caseFields,
  confirmedByName: z.string().nullable(),
  /** The assignee by name as well (null when the id names nobody any more). */
  dispatch: z
    .strictObject({
      assigneeId: z.string(),
      assigneeName: z.string().nullable(),
      task: z.enum(taskKinds).nullable(),
      at: isoTime.nullable(),
      sendBacks: z.number().int(),
    })
    .nullable(),
  /** The party's statements (陈述申辩): unread = not yet marked read by the command center. */
  statements: z.strictObject({ total: z.number().int(), unread: z.number().int(), lastAt: isoTime.nullable() }),
});
export type CaseView = z.output<typeof caseViewSchema>;

/** A case after a transition: `accessCode` once, when this dispatch or decision issued the party's first code. */
export const transitionedCaseSchema = caseViewSchema.extend({ accessCode: z.string().optional() });
export type TransitionedCase = z.output<typeof transitionedCaseSchema>;

/** A page of an offset-paged list. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(item) });
export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

export const casePageSchema = pageSchema(caseViewSchema);

export const evidenceLinkSchema = z.strictObject({
  candidateId: z.string(),
  kind: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  contentType: z.string(),
  uploaded: z.boolean(),
  href: z.string(),
});
export type EvidenceLink = z.output<typeof evidenceLinkSchema>;

export const partyStatementSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  contact: z.string().nullable(),
  submittedAt: isoTime,
  read: z.boolean(),
});
export type PartyStatement = z.output<typeof partyStatementSchema>;

/** A case with its evidence (its own and its merged cases'), the cases merged into it and the party's statements. */
export const caseDetailSchema = caseViewSchema.extend({
  evidence: z.array(evidenceLinkSchema),
  mergedCases: z.array(z.strictObject({ id: z.string(), candidateId: z.string() })),
  partyStatements: z.array(partyStatementSchema),
});
export type CaseDetail = z.output<typeof caseDetailSchema>;

export const auditEntrySchema = z.strictObject({
  seq: z.number().int(),
  at: isoTime,
  actorId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  evidenceSha256: z.string().nullable(),
  prevHash: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.output<typeof auditEntrySchema>;

/** A case's full-process record, with the people it names (actors, assignees) by name. */
export const caseRecordSchema = z.strictObject({
  chain: z.string(),
  /** Every hash recomputed and linked from the chain's genesis. */
  intact: z.boolean(),
  entries: z.array(auditEntrySchema),
  people: z.record(z.string(), z.strictObject({ name: z.string(), role: z.enum(userRoles) })),
});
export type CaseRecord = z.output<typeof caseRecordSchema>;

/** What a bulk action did to one case (POST /api/cases/bulk): its state after, or the status and stable code of the refusal. */
export const bulkResultSchema = z.discriminatedUnion("ok", [
  z.strictObject({ id: z.string(), number: z.string(), ok: z.literal(true), state: z.enum(caseStates), accessCode: z.string().optional() }),
  z.strictObject({
    id: z.string(),
    number: z.string().nullable(),
    ok: z.literal(false),
    state: z.enum(caseStates).nullable(),
    status: z.number().int(),
    code: z.string(),
  }),
]);
export type BulkResult = z.output<typeof bulkResultSchema>;

export const bulkResponseSchema = z.strictObject({ results: z.array(bulkResultSchema), done: z.number().int(), failed: z.number().int() });
export type BulkResponse = z.output<typeof bulkResponseSchema>;

export const statementsReadSchema = z.strictObject({ read: z.array(z.string()) });
export const fieldNoteAddedSchema = z.strictObject({ at: isoTime });
/** The party's access code, shown once (print it on the notice). */
export const accessCodeSchema = z.strictObject({ caseNumber: z.string(), accessCode: z.string() });
export type AccessCode = z.output<typeof accessCodeSchema>;

/** A person the command center could dispatch the case to. */
export const suggestionSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
  openTasks: z.number().int(),
  canTakeEnforcement: z.boolean(),
  certificate: z.strictObject({ number: z.string(), expiresAt: isoTime }).nullable(),
  matches: z.strictObject({ street: z.boolean(), grid: z.boolean() }),
});
export type Suggestion = z.output<typeof suggestionSchema>;

export const suggestedAssigneesSchema = z.strictObject({
  cameraId: z.string(),
  street: z.string().nullable(),
  grid: z.string().nullable(),
  suggestions: z.array(suggestionSchema),
});
export type SuggestedAssignees = z.output<typeof suggestedAssigneesSchema>;

/** Field staff the all-cases table can be filtered by (former staff included). */
export const fieldStaffMemberSchema = z.strictObject({ id: z.string(), name: z.string(), role: z.enum(userRoles), active: z.boolean() });
export type FieldStaffMember = z.output<typeof fieldStaffMemberSchema>;

/** A row of the all-cases table: the case with the names the table shows. */
export const caseTableRowSchema = caseCoreSchema.extend({
  cameraName: z.string().nullable(),
  street: z.string().nullable(),
  assigneeName: z.string().nullable(),
});
export type CaseTableRow = z.output<typeof caseTableRowSchema>;

/** A page of GET /api/all-cases: keyset cursors to the neighbouring pages (null at either end). */
export const caseTablePageSchema = z.strictObject({
  /** Exact up to 10,000; totalExact false beyond. */
  total: z.number().int(),
  totalExact: z.boolean(),
  limit: z.number().int(),
  sort: z.enum(caseTableSorts),
  next: z.string().nullable(),
  prev: z.string().nullable(),
  items: z.array(caseTableRowSchema),
});
export type CaseTablePage = z.output<typeof caseTablePageSchema>;

const split721 = z.strictObject({ service: z.number(), management: z.number(), enforcement: z.number() });
/** The 721 split of the outcomes recorded in [from, to). */
export const report721Schema = z.strictObject({
  from: isoTime,
  to: isoTime,
  total: z.number().int(),
  byClass: split721,
  sharePercent: split721,
  byOutcome: z.record(z.string(), z.number().int()),
});
export type Report721 = z.output<typeof report721Schema>;

/** One change notice of GET /api/events (`event: cases` carries `{changes: CaseChange[]}`). */
export const caseChangeSchema = z.strictObject({ caseId: z.string(), candidateId: z.string(), action: z.string(), state: z.enum(caseStates).optional() });
export type CaseChange = z.output<typeof caseChangeSchema>;
