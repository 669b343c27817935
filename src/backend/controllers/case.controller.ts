import fs from "node:fs";
import { Router, type Response } from "express";
import { z } from "zod";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { anyUser, commandCenter, fieldStaff, noteTakers, overseers, seesOnlyOwnTasks } from "../http/roles.ts";
import type { Actor } from "../http/actor.ts";
import type { CaseNotesService } from "../services/case-notes.service.ts";
import {
  accessCodeSchema,
  BULK_MAX_CASES,
  bulkBody,
  bulkResponseSchema,
  caseDetailSchema,
  caseListQuery,
  casePageSchema,
  caseRecordSchema,
  caseTableExportQuery,
  caseTablePageSchema,
  caseTableQuery,
  confirmBody,
  dispatchBody,
  fieldNoteAddedSchema,
  fieldNoteBody,
  fieldStaffMemberSchema,
  mergeBody,
  noteBody,
  outcomeBody,
  rejectBody,
  report721Query,
  report721Schema,
  sendBackBody,
  statementsReadBody,
  statementsReadSchema,
  suggestedAssigneesQuery,
  suggestedAssigneesSchema,
  transitionedCaseSchema,
} from "../../contracts/api/case.ts";
import type { CaseWorkflowService, Transitioned } from "../services/case-workflow.service.ts";
import type { CaseQueryService } from "../services/case-query.service.ts";
import type { EvidenceService } from "../services/evidence.service.ts";
import { HttpError, statusOfDomainKind } from "../http/errors.ts";
import { isSha256 } from "../services/evidence-paths.ts";
import { maskPhoneNumbers, seesFullPersonalData } from "../services/personal-data.ts";

export function caseController(workflow: CaseWorkflowService, queries: CaseQueryService, evidence: EvidenceService, notes: CaseNotesService): Router {
  const r = Router();
  const tag = "cases";
  /** Field staff: the list is narrowed to their own tasks whatever filter they send. */
  const scoped = <Q extends { assigneeId?: string }>(q: Q, actor: Actor | undefined): Q =>
    seesOnlyOwnTasks(requireActor(actor).role) ? { ...q, assigneeId: actor!.id } : q;
  /** Field staff: another person's case answers 404, so its existence is not confirmed either. */
  const mayOpen = async (id: string, actor: Actor | undefined) => {
    const a = requireActor(actor);
    if (seesOnlyOwnTasks(a.role) && (await queries.assigneeOf(id)) !== a.id) throw new HttpError(404, `case ${id} does not exist`);
  };

  apiRoute(r, {
    method: "get",
    path: "/review-queue",
    tag,
    access: overseers,
    summary: "List candidates awaiting review, by priority then age",
    response: casePageSchema,
    query: caseListQuery,
    handler: ({ query }) => queries.reviewQueue(query),
  });
  apiRoute(r, {
    method: "get",
    path: "/cases",
    tag,
    access: anyUser,
    summary: "List cases (field staff: only their own tasks)",
    response: casePageSchema,
    query: caseListQuery,
    handler: ({ query, actor }) => queries.list(scoped(query, actor)),
  });
  apiRoute(r, {
    method: "get",
    path: "/cases/overdue",
    tag,
    access: anyUser,
    summary: "List cases past their time limit (field staff: only their own)",
    response: casePageSchema,
    query: caseListQuery,
    handler: ({ query, actor }) => queries.overdue(scoped(query, actor)),
  });
  apiRoute(r, {
    method: "get",
    path: "/all-cases",
    tag,
    access: overseers,
    summary: "List all cases for the command center and supervisors (filters, sort, keyset pages)",
    query: caseTableQuery,
    responds:
      "{total, totalExact, limit, sort, next, prev, items} — pass next as after (prev as before) for the neighbouring page; total stops at 10000 (totalExact false); items carry cameraName, street and assigneeName",
    response: caseTablePageSchema,
    handler: ({ query }) => queries.table(query),
  });
  apiRoute(r, {
    method: "get",
    path: "/all-cases/export",
    tag,
    access: overseers,
    summary: "Export all cases matching the filters as CSV (UTF-8 with BOM, headers and values in lang)",
    query: caseTableExportQuery,
    produces: ["text/csv"],
    responds: "text/csv in the chosen sort; 422 export_too_large when more than 100000 cases match",
    handler: async ({ query, res }) => {
      const csv = await queries.tableCsv(query);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", `attachment; filename="curbwatch-cases.csv"`);
      res.setHeader("Cache-Control", "private, no-store");
      res.setHeader("X-Total-Count", String(csv.rows));
      for await (const chunk of csv.chunks) {
        // The person cancelled the download: stop reading the database.
        if (res.destroyed || !(await written(res, chunk))) return undefined;
      }
      res.end();
      return undefined;
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/all-cases/assignees",
    tag,
    access: overseers,
    summary: "List the field staff the case list can be filtered by (former staff included)",
    response: z.array(fieldStaffMemberSchema),
    handler: () => queries.fieldStaff(),
  });
  apiRoute(r, {
    method: "get",
    path: "/cases/:id",
    tag,
    access: anyUser,
    summary: "Get a case with its evidence and the party's statements (a party's contact is masked for auxiliaries and supervisors)",
    response: caseDetailSchema,
    handler: async ({ params, actor }) => {
      await mayOpen(params.id, actor);
      const detail = await queries.detail(params.id);
      if (seesFullPersonalData(requireActor(actor).role)) return detail;
      return {
        ...detail,
        partyStatements: detail.partyStatements.map((s) => ({ ...s, text: maskPhoneNumbers(s.text), contact: maskPhoneNumbers(s.contact) })),
      };
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/cases/:id/statements/read",
    tag,
    access: commandCenter,
    summary: "Mark the party's statements (陈述申辩) as read: recorded on the case; the review queue stops flagging them",
    body: statementsReadBody,
    responds: "{read: statement ids} · 422 a statement of another case",
    response: statementsReadSchema,
    handler: ({ params, actor, body }) => notes.markStatementsRead(params.id, requireActor(actor), body.statementIds),
  });
  apiRoute(r, {
    method: "post",
    path: "/cases/bulk",
    tag: "workflow",
    access: commandCenter,
    summary: `Reject several candidates with one reason, or dispatch several cases to one person (at most ${BULK_MAX_CASES})`,
    body: bulkBody,
    responds:
      "{results: [{id, number, ok, state, accessCode?} | {id, number, ok: false, state, status, code}]} in the order sent: each case is checked (state, version) and changed on its own; 422 for the whole request when the reason or the assignee is refused",
    response: bulkResponseSchema,
    handler: async ({ actor, body }) => {
      // Each refused case says how, in the API's terms: the status its kind of failure maps to.
      const results = (await workflow.bulk(requireActor(actor), body)).map((x) => {
        if (x.ok) return x;
        const { kind, ...rest } = x;
        return { ...rest, status: statusOfDomainKind(kind) };
      });
      return { results, done: results.filter((x) => x.ok).length, failed: results.filter((x) => !x.ok).length };
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/cases/:id/record",
    tag,
    access: anyUser,
    summary: "Get a case's full-process record (hash-chained; a party's contact is masked for auxiliaries and supervisors)",
    response: caseRecordSchema,
    handler: async ({ params, actor }) => {
      await mayOpen(params.id, actor);
      const record = await queries.record(params.id);
      if (seesFullPersonalData(requireActor(actor).role)) return record;
      return { ...record, entries: record.entries.map((e) => (e.action === "party.statement" ? { ...e, after: withMaskedPhones(e.after) } : e)) };
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/cases/:id/notes",
    tag,
    access: noteTakers,
    summary: "Add a field note to a case (recorded in its full-process record)",
    body: fieldNoteBody,
    responds: "201 {at} · 404 not your task",
    status: 201,
    response: fieldNoteAddedSchema,
    handler: async ({ params, actor, body, res }) => {
      await mayOpen(params.id, actor);
      res.status(201);
      return notes.add(params.id, requireActor(actor), body.text);
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/cases/:id/access-code",
    tag,
    access: commandCenter,
    summary: "Re-issue the party's access code for the public case lookup (shown once, printed on the notice)",
    responds: "201 {caseNumber, accessCode} — a new code replaces the previous one (dispatch issues the first one)",
    status: 201,
    response: accessCodeSchema,
    handler: async ({ params, actor, res }) => {
      res.status(201);
      return notes.issueAccessCode(params.id, requireActor(actor));
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/cases/:id/suggested-assignees",
    tag,
    access: commandCenter,
    summary: "Suggest officers for the camera's street and grid (scope=all: every active field staff member, for a manual pick)",
    query: suggestedAssigneesQuery,
    response: suggestedAssigneesSchema,
    handler: ({ params, query }) => queries.suggestedAssignees(params.id, query.scope === "all"),
  });
  apiRoute(r, {
    method: "get",
    path: "/cases/:id/evidence/:sha256",
    tag,
    access: anyUser,
    summary: "Read an evidence file of a case (the access is recorded)",
    produces: ["image/jpeg", "image/png", "video/mp4"],
    handler: async ({ params, actor, res }) => {
      if (!isSha256(params.sha256)) throw new HttpError(400, "evidence is named by its lower-case hex sha256");
      await mayOpen(params.id, actor);
      const file = await evidence.access(params.id, params.sha256, requireActor(actor));
      res.setHeader("Content-Type", file.contentType);
      res.setHeader("Content-Length", String(file.bytes));
      res.setHeader("Cache-Control", "private, no-store");
      res.setHeader("ETag", `"${params.sha256}"`);
      await new Promise<void>((resolve, reject) => fs.createReadStream(file.path).on("error", reject).on("end", resolve).pipe(res));
      return undefined;
    },
  });

  const act = (
    path: string,
    summary: string,
    access: typeof anyUser,
    body: z.ZodType,
    run: (id: string, a: ReturnType<typeof requireActor>, b: never) => Promise<Transitioned>,
  ) =>
    apiRoute(r, {
      method: "post",
      path,
      tag: "workflow",
      access,
      summary,
      body,
      responds:
        "the case after the transition, with `accessCode` once when this dispatch or decision issued the party's first code (print it on the notice); 409 when illegal or lost to a concurrent change",
      response: transitionedCaseSchema,
      handler: async ({ params, actor, body: b }) => {
        const after = await run(params.id, requireActor(actor), b as never);
        return { ...(await queries.view(after)), ...(after.accessCode ? { accessCode: after.accessCode } : {}) };
      },
    });

  act("/cases/:id/confirm", "Confirm a candidate (立案)", commandCenter, confirmBody, (id, a, b: z.infer<typeof confirmBody>) => workflow.confirm(id, a, b));
  act("/cases/:id/reject", "Reject a candidate with a reason", commandCenter, rejectBody, (id, a, b: z.infer<typeof rejectBody>) => workflow.reject(id, a, b));
  act("/cases/:id/merge", "Merge a candidate into an existing case", commandCenter, mergeBody, (id, a, b: z.infer<typeof mergeBody>) =>
    workflow.merge(id, a, b),
  );
  act("/cases/:id/dispatch", "Dispatch a case to an officer (派遣)", commandCenter, dispatchBody, (id, a, b: z.infer<typeof dispatchBody>) =>
    workflow.dispatch(id, a, b),
  );
  act("/cases/:id/outcome", "Record the officer's outcome (处置)", fieldStaff, outcomeBody, (id, a, b: z.infer<typeof outcomeBody>) =>
    workflow.recordOutcome(id, a, b),
  );
  act("/cases/:id/send-back", "Send a handled case back for rework (返工)", commandCenter, sendBackBody, (id, a, b: z.infer<typeof sendBackBody>) =>
    workflow.sendBack(id, a, b),
  );
  act("/cases/:id/verify", "Verify the officer's result (核查)", commandCenter, noteBody, (id, a, b: z.infer<typeof noteBody>) => workflow.verify(id, a, b));
  act("/cases/:id/close", "Close a verified case (结案)", commandCenter, noteBody, (id, a, b: z.infer<typeof noteBody>) => workflow.close(id, a, b));

  apiRoute(r, {
    method: "get",
    path: "/reports/721",
    tag: "reports",
    access: overseers,
    summary: "Report the 721 split of outcomes",
    query: report721Query,
    response: report721Schema,
    handler: ({ query }) => queries.report721(new Date(query.from), new Date(query.to)),
  });
  return r;
}

/** Writes a chunk, waiting while the socket's buffer is full; false when the connection closed meanwhile. */
async function written(res: Response, chunk: string): Promise<boolean> {
  if (res.write(chunk)) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => () => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

/** A party's statement carries the contact they left (usually a phone number), and its text may too: masked for roles that do not decide. */
function withMaskedPhones(after: unknown): unknown {
  if (after === null || typeof after !== "object" || Array.isArray(after)) return after;
  const a = after as Record<string, unknown>;
  const masked = (v: unknown) => (typeof v === "string" ? maskPhoneNumbers(v) : v);
  return { ...a, contact: masked(a.contact), text: masked(a.text) };
}
