import { DomainError, type DomainErrorKind } from "../domain/errors.ts";
import type { Actor } from "../domain/actor.ts";
import type { CaseChanges, CaseRecord } from "../domain/case-record.ts";
import { IllegalTransition, mergeTargetStates, nextState, type CaseAction, type CaseState } from "../domain/case-transitions.ts";
import type { CaseChange } from "./change-feed.ts";
import { caseNumber } from "../dtos/case.dto.ts";
import { assignmentProblem, type TaskKind } from "../domain/dispatch-rules.ts";
import type { BulkBody } from "../../contracts/api/case.ts";
import { lookbackStart, penaltyTreatment } from "../domain/first-violation.ts";
import { acceptanceProblem, class721Of, enforcementDecisions, outcomeProblem, photoProofProblem, type Outcome } from "../domain/outcome-rules.ts";
import type { FieldError } from "../domain/errors.ts";
import { OFFICER_PHOTO_KIND } from "./field-task.service.ts";
import type { AccessCodes, ChangeNotices, Clock } from "./ports/common.ts";
import type { CaseWorkflowStore, CaseWorkflowUnit } from "./ports/case-workflow.port.ts";

/**
 * Steps after which the party gets a notice, so the case needs an access code for the public
 * look-up: dispatch, and the decisions (outcome, close) for cases dispatched before codes were
 * issued automatically.
 */
const issuesAccessCode: readonly CaseAction[] = ["dispatch", "outcome", "close"];

/**
 * A case after a transition. `accessCode` is there only when this very step issued the case's
 * first code: it is returned once, for the notice, and only its hash is stored.
 */
export type Transitioned = CaseRecord & { accessCode?: string };

export interface WorkflowSettings {
  firstViolationLookbackDays: number;
  repeatedThreshold: number;
}

type StepFn = (u: CaseWorkflowUnit, c: CaseRecord, now: Date) => Promise<Step>;

/** A bulk action as the API takes it (the contract's `bulkBody`). */
export type BulkInput = BulkBody;

/** What a bulk action did to one case: its state after, or the stable code of the refusal (and its state as it is). */
export type BulkResult =
  | { id: string; number: string; ok: true; state: string; accessCode?: string }
  | { id: string; number: string | null; ok: false; state: string | null; kind: DomainErrorKind; code: string };

interface Step {
  /** Columns to change besides state/version. */
  data: CaseChanges;
  /** Extra record entries (e.g. on the merge target's chain). */
  alsoRecord?: { chain: string; caseId: string; action: string; after: unknown }[];
  note?: string;
}

/** Fields shown as before/after in the record for each transition. */
const recordedFields = [
  "state",
  "version",
  "confirmedBy",
  "rejectReason",
  "rejectText",
  "mergedIntoId",
  "penaltyTreatment",
  "subjectViolationCount",
  "dueAt",
  "assigneeId",
  "taskKind",
  "outcome",
  "outcomeReason",
  "class721",
  "vendorId",
  "subjectKey",
  "sendBackCount",
] as const;

function snapshot(c: CaseRecord): Record<string, unknown> {
  return Object.fromEntries(recordedFields.map((k) => [k, c[k]]));
}

/**
 * The rules of the case workflow, independent of HTTP and of the database. Every transition
 * runs in one unit of work: read the case, check the rule, write only if the version is
 * unchanged (so of two operators acting at once exactly one wins), and append the record entry.
 */
export class CaseWorkflowService {
  constructor(
    private store: CaseWorkflowStore,
    private feed: ChangeNotices | null,
    private settings: WorkflowSettings,
    private clock: Clock,
    private accessCodes: AccessCodes,
  ) {}

  confirm(id: string, actor: Actor, input: { note?: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "confirm", input.expectedVersion, this.confirmStep(actor, input));
  }

  private confirmStep(actor: Actor, input: { note?: string }): StepFn {
    return async (u, c, now) => {
      const code = await u.eventCode(c.eventMajor, c.eventMinor);
      if (!code || !code.active)
        throw new DomainError("unprocessable", `event code ${c.eventMajor}/${c.eventMinor} is not configured; add it before confirming`).withCode(
          "event_code_not_configured",
        );
      const data: CaseChanges = {
        confirmedAt: now,
        confirmedBy: actor.id,
        dueAt: new Date(now.getTime() + code.timeLimitMinutes * 60_000),
      };
      if (c.subjectKey) Object.assign(data, await this.subjectStanding(u, c, c.subjectKey, code.minorViolation));
      return { data, note: input.note };
    };
  }

  reject(id: string, actor: Actor, input: { reason: string; text?: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "reject", input.expectedVersion, async (u) => this.rejection(u, input));
  }

  /** The rejection's columns, once the reason is known, active and explained when it must be. */
  private async rejection(u: CaseWorkflowUnit, input: { reason: string; text?: string }): Promise<Step> {
    const reason = await u.rejectReason(input.reason);
    if (!reason || !reason.active)
      throw new DomainError("unprocessable", `unknown rejection reason "${input.reason}"`).withCode("invalid_value", [
        { path: "reason", code: "invalid_value" },
      ]);
    const text = input.text?.trim() || null;
    if (reason.requiresText && (!text || text.length < 2))
      throw new DomainError("unprocessable", `rejection reason "${reason.code}" needs an explanation (text)`).withCode("text_required", [
        { path: "text", code: "required" },
      ]);
    return { data: { rejectReason: reason.code, rejectText: text } };
  }

  merge(id: string, actor: Actor, input: { intoCaseId: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "merge", input.expectedVersion, async (u, c) => {
      if (input.intoCaseId === c.id)
        throw new DomainError("unprocessable", "a case cannot be merged into itself").withCode("merge_into_itself", [
          { path: "intoCaseId", code: "merge_into_itself" },
        ]);
      const target = await u.findCase(input.intoCaseId);
      if (!target)
        throw new DomainError("not_found", `case ${input.intoCaseId} to merge into does not exist`).withCode("merge_target_not_found", [
          { path: "intoCaseId", code: "not_found" },
        ]);
      if (!mergeTargetStates.includes(target.state)) {
        throw new DomainError(
          "conflict",
          `cannot merge into case ${target.number}: it is ${target.state}; the target must be ${mergeTargetStates.join(", ")}`,
        ).withCode("merge_target_invalid", [{ path: "intoCaseId", code: "merge_target_invalid" }]);
      }
      return {
        data: { mergedIntoId: target.id },
        alsoRecord: [
          { chain: target.candidateId, caseId: target.id, action: "case.merge_received", after: { mergedCaseId: c.id, mergedCaseNumber: c.number } },
        ],
      };
    });
  }

  dispatch(id: string, actor: Actor, input: { assigneeId: string; task?: TaskKind; note?: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "dispatch", input.expectedVersion, this.dispatchStep(input));
  }

  private dispatchStep(input: { assigneeId: string; task?: TaskKind; note?: string }): StepFn {
    const task = input.task ?? "enforcement";
    return async (u, _c, now) => {
      const user = await this.eligibleAssignee(u, input.assigneeId, task, now);
      return { data: { assigneeId: user.id, taskKind: task, dispatchedAt: now }, note: input.note };
    };
  }

  private async eligibleAssignee(u: CaseWorkflowUnit, assigneeId: string, task: TaskKind, now: Date) {
    const user = await u.assignee(assigneeId);
    if (!user)
      throw new DomainError("unprocessable", `user ${assigneeId} does not exist`).withCode("assignee_not_found", [{ path: "assigneeId", code: "not_found" }]);
    const problem = assignmentProblem(user, task, now);
    if (problem) throw new DomainError("unprocessable", problem).withCode("assignee_not_eligible", [{ path: "assigneeId", code: "assignee_not_eligible" }]);
    return user;
  }

  /**
   * One decision for several cases (the operator's selection in the queue): reject them with one
   * reason, or dispatch them to one person (a candidate among them is confirmed and dispatched
   * in the same transaction). What is the same for every case (the reason, the assignee) is
   * checked once and refuses the whole request; then each case is checked and changed on its
   * own (state, version, existence) in its own transaction with its own record entries, and the
   * answer says per case what happened. One change notice covers them all.
   */
  async bulk(actor: Actor, input: BulkInput): Promise<BulkResult[]> {
    const now = this.clock();
    await this.store.transaction(async (u) => {
      if (input.action === "reject") await this.rejection(u, input);
      else await this.eligibleAssignee(u, input.assigneeId, input.task ?? "enforcement", now);
    });
    const results: BulkResult[] = [];
    const changes: CaseChange[] = [];
    for (const item of input.cases) {
      try {
        const after = await this.store.transaction(async (u) => {
          if (input.action === "reject") return this.transitionIn(u, item.id, actor, "reject", item.expectedVersion, async (t) => this.rejection(t, input));
          let expected = item.expectedVersion;
          const c = await u.findCase(item.id);
          if (c?.state === "candidate") {
            expected = (await this.transitionIn(u, item.id, actor, "confirm", expected, this.confirmStep(actor, {}))).version;
          }
          return this.transitionIn(u, item.id, actor, "dispatch", expected, this.dispatchStep(input));
        });
        changes.push({ caseId: after.id, candidateId: after.candidateId, action: input.action, state: after.state });
        results.push({
          id: item.id,
          number: caseNumber(after.number),
          ok: true,
          state: after.state,
          ...(after.accessCode ? { accessCode: after.accessCode } : {}),
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const c = await this.store.transaction((u) => u.findCase(item.id));
        results.push({ id: item.id, number: c ? caseNumber(c.number) : null, ok: false, state: c?.state ?? null, kind: err.kind, code: err.code });
      }
    }
    this.feed?.publish(changes);
    return results;
  }

  recordOutcome(
    id: string,
    actor: Actor,
    input: { outcome: Outcome; reason?: string; note?: string; vendorId?: string; expectedVersion?: number },
  ): Promise<Transitioned> {
    return this.transition(id, actor, "outcome", input.expectedVersion, async (u, c, now) => {
      if (c.assigneeId !== actor.id)
        throw new DomainError("forbidden", `only the assigned officer (${c.assigneeId}) records the outcome of this task`).withCode("not_assignee");
      const notAccepted = acceptanceProblem(await u.hasAccepted(c.id, actor.id));
      if (notAccepted) throw new DomainError("conflict", notAccepted).withCode("task_not_accepted");
      const problem = outcomeProblem({
        outcome: input.outcome,
        reason: input.reason,
        taskKind: c.taskKind ?? "enforcement",
        penaltyTreatment: c.penaltyTreatment,
      });
      if (problem) throw new DomainError("unprocessable", problem).withCode(...outcomeProblemCode(input.outcome, c.taskKind ?? "enforcement"));
      // 协管员 never take enforcement decisions, whatever task they were given.
      if (actor.role === "auxiliary" && enforcementDecisions.includes(input.outcome)) {
        throw new DomainError("forbidden", "auxiliary staff may not take enforcement decisions").withCode("outcome_not_allowed_for_role", [
          { path: "outcome", code: "outcome_not_allowed_for_role" },
        ]);
      }
      if (c.taskKind !== "dissuasion" && ["order_to_correct", "file_case", "no_case_filed"].includes(input.outcome)) {
        // The certificate must still be valid when the decision is taken, not only at dispatch.
        const user = await u.assignee(actor.id);
        const p = user ? assignmentProblem(user, "enforcement", now) : "unknown user";
        if (p) throw new DomainError("forbidden", p).withCode("certificate_invalid");
      }
      // After the rules of the outcome itself: a missing photo is something the officer can still fix on site.
      const noProof = photoProofProblem(input.outcome, await u.evidenceCount(c.candidateId, OFFICER_PHOTO_KIND));
      if (noProof) throw new DomainError("unprocessable", noProof).withCode("officer_photo_required");
      const data: CaseChanges = {
        outcome: input.outcome,
        outcomeReason: input.reason?.trim() || null,
        outcomeNote: input.note ?? null,
        class721: class721Of[input.outcome],
        handledAt: now,
      };
      if (input.vendorId) {
        if (!(await u.vendorExists(input.vendorId)))
          throw new DomainError("unprocessable", `vendor ${input.vendorId} is not registered`).withCode("vendor_not_found", [
            { path: "vendorId", code: "not_found" },
          ]);
        data.vendorId = input.vendorId;
        if (!c.subjectKey) data.subjectKey = `vendor:${input.vendorId}`;
      }
      return { data, note: input.note };
    });
  }

  sendBack(id: string, actor: Actor, input: { reason: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "send_back", input.expectedVersion, async (_u, c) => {
      if (input.reason.trim().length < 2)
        throw new DomainError("unprocessable", "sending a case back (返工) needs a reason").withCode("reason_required", [{ path: "reason", code: "required" }]);
      return {
        data: { sendBackCount: c.sendBackCount + 1, outcome: null, outcomeReason: null, outcomeNote: null, class721: null, handledAt: null },
        note: input.reason,
      };
    });
  }

  verify(id: string, actor: Actor, input: { note?: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "verify", input.expectedVersion, async (_u, _c, now) => ({ data: { verifiedAt: now }, note: input.note }));
  }

  close(id: string, actor: Actor, input: { note?: string; expectedVersion?: number }): Promise<Transitioned> {
    return this.transition(id, actor, "close", input.expectedVersion, async (_u, _c, now) => ({ data: { closedAt: now }, note: input.note }));
  }

  /**
   * A first access code for the party's notice when the case still has none (and `c`, the
   * case as returned, updated to match). The plain code leaves only in the response.
   */
  private async issueFirstAccessCode(u: CaseWorkflowUnit, c: CaseRecord, now: Date): Promise<string | null> {
    const { code, hash } = this.accessCodes.issue();
    if (!(await u.setFirstAccessCode(c.id, hash, now))) return null;
    Object.assign(c, { accessCodeHash: hash, accessCodeIssuedAt: now });
    return code;
  }

  /** 首违不罚 from stored history: count this subject's violations in the look-back window. */
  private async subjectStanding(u: CaseWorkflowUnit, c: CaseRecord, subjectKey: string, minorViolation: boolean) {
    await u.lockSubject(subjectKey);
    const prior = await u.countSubjectViolations(subjectKey, lookbackStart(c.startedAt, this.settings.firstViolationLookbackDays), c.startedAt, c.id);
    const count = prior + 1;
    return { subjectViolationCount: count, penaltyTreatment: penaltyTreatment(count, minorViolation, this.settings.repeatedThreshold) };
  }

  private async transition(id: string, actor: Actor, action: CaseAction, expectedVersion: number | undefined, step: StepFn): Promise<Transitioned> {
    const updated = await this.store.transaction((u) => this.transitionIn(u, id, actor, action, expectedVersion, step));
    this.feed?.publish([{ caseId: updated.id, candidateId: updated.candidateId, action, state: updated.state }]);
    return updated;
  }

  /** One transition inside the caller's transaction: read, check the rule and the version, write, record. */
  private async transitionIn(
    u: CaseWorkflowUnit,
    id: string,
    actor: Actor,
    action: CaseAction,
    expectedVersion: number | undefined,
    step: StepFn,
  ): Promise<Transitioned> {
    const now = this.clock();
    const c = await u.findCase(id);
    if (!c) throw new DomainError("not_found", `case ${id} does not exist`);
    if (expectedVersion !== undefined && expectedVersion !== c.version) {
      throw new DomainError("conflict", `case ${c.number} changed since you loaded it (version ${c.version}, you had ${expectedVersion}); reload`).withCode(
        "stale_version",
      );
    }
    let to: CaseState;
    try {
      to = nextState(c.state, action);
    } catch (err) {
      if (err instanceof IllegalTransition) throw new DomainError("conflict", err.message, { state: c.state, action }).withCode("illegal_transition");
      throw err;
    }
    const s = await step(u, c, now);
    const after = await u.updateIfVersion(c.id, c.version, { ...s.data, state: to });
    if (!after)
      throw new DomainError("conflict", `case ${c.number} was changed by someone else at the same time; reload and try again`, { action }).withCode(
        "concurrent_update",
      );
    const accessCode = issuesAccessCode.includes(action) && !c.accessCodeHash ? await this.issueFirstAccessCode(u, after, now) : null;
    await u.appendRecord(
      [
        {
          chain: c.candidateId,
          actorId: actor.id,
          action: `case.${action}`,
          caseId: c.id,
          before: snapshot(c),
          after: { ...snapshot(after), ...(s.note ? { note: s.note } : {}) },
        },
        ...(s.alsoRecord ?? []).map((r) => ({ chain: r.chain, actorId: actor.id, action: r.action, caseId: r.caseId, after: r.after })),
        // The issue is recorded, never the code nor its hash (a short code's hash is worth attacking offline).
        ...(accessCode
          ? [{ chain: c.candidateId, actorId: actor.id, action: "case.access_code_issued", caseId: c.id, after: { with: `case.${action}` } }]
          : []),
      ],
      now,
    );
    return accessCode ? { ...after, accessCode } : after;
  }
}

/** Stable code of an outcome the rules refused: a decision the task does not allow, or a missing reason. */
function outcomeProblemCode(outcome: Outcome, taskKind: TaskKind | string): [string, FieldError[]] {
  if (taskKind === "dissuasion" && enforcementDecisions.includes(outcome))
    return ["outcome_not_allowed_for_task", [{ path: "outcome", code: "outcome_not_allowed_for_task" }]];
  return ["reason_required", [{ path: "reason", code: "required" }]];
}
