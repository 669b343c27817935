/**
 * The case workflow (数字城管 lineage, GB/T 30428):
 *
 *   candidate ─confirm→ confirmed ─dispatch→ dispatched ─outcome→ handled ─verify→ verified ─close→ closed
 *       │                  │                      ↑                   │
 *       └─reject           └─merge                └──── send back ────┘  (返工)
 *       └─merge
 */
import type { CaseState } from "../../contracts/api/case.ts";

// The states are defined once, in the API contract; the Prisma enum CaseState has the same values (checked by a test).
export { caseStates, type CaseState } from "../../contracts/api/case.ts";

export const caseActions = ["confirm", "reject", "merge", "dispatch", "outcome", "send_back", "verify", "close"] as const;
export type CaseAction = (typeof caseActions)[number];

export const transitions: Record<CaseAction, { from: readonly CaseState[]; to: CaseState }> = {
  confirm: { from: ["candidate"], to: "confirmed" },
  reject: { from: ["candidate"], to: "rejected" },
  merge: { from: ["candidate", "confirmed"], to: "merged" },
  dispatch: { from: ["confirmed"], to: "dispatched" },
  outcome: { from: ["dispatched"], to: "handled" },
  send_back: { from: ["handled"], to: "dispatched" },
  verify: { from: ["handled"], to: "verified" },
  close: { from: ["verified"], to: "closed" },
};

/** States a case can still be merged into. */
export const mergeTargetStates: readonly CaseState[] = ["confirmed", "dispatched", "handled", "verified"];
/** States in which the time limit (处置时限) is running. */
export const clockRunningStates: readonly CaseState[] = ["confirmed", "dispatched"];
/** States that count as a violation of the subject (首违不罚 history). */
export const violationStates: readonly CaseState[] = ["confirmed", "dispatched", "handled", "verified", "closed"];
/** Terminal states: nothing more happens to the case. */
export const finalStates: readonly CaseState[] = ["rejected", "merged", "closed"];

export class IllegalTransition extends Error {
  constructor(
    readonly action: CaseAction,
    readonly state: CaseState,
  ) {
    const allowed = transitions[action].from.join(" or ");
    super(`cannot ${action.replace("_", " ")} a case that is ${state}: only a case that is ${allowed} can be`);
    this.name = "IllegalTransition";
  }
}

/** The state after `action`, or IllegalTransition naming why not. */
export function nextState(state: CaseState, action: CaseAction): CaseState {
  const t = transitions[action];
  if (!t.from.includes(state)) throw new IllegalTransition(action, state);
  return t.to;
}
