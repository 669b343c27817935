// Fast tests of the pure case rules: no database, no HTTP, no services.
import { describe, expect, it } from "vitest";
import { caseActions, caseStates, finalStates, IllegalTransition, nextState, transitions, type CaseState } from "../../src/backend/domain/case-transitions.ts";
import { assignmentProblem, type Assignee } from "../../src/backend/domain/dispatch-rules.ts";
import { lookbackStart, penaltyTreatment } from "../../src/backend/domain/first-violation.ts";
import {
  acceptanceProblem,
  class721Of,
  enforcementDecisions,
  needsOfficerPhoto,
  outcomeProblem,
  outcomes,
  photoProofProblem,
} from "../../src/backend/domain/outcome-rules.ts";
import { penaltyEvidenceStanding } from "../../src/backend/domain/penalty-evidence.ts";

const at = new Date("2026-06-01T10:00:00Z");
const day = 86_400_000;

describe("case workflow", () => {
  it("walks the happy path candidate → confirmed → dispatched → handled → verified → closed", () => {
    let s: CaseState = "candidate";
    for (const a of ["confirm", "dispatch", "outcome", "verify", "close"] as const) s = nextState(s, a);
    expect(s).toBe("closed");
  });

  it("sends a handled case back to dispatched for rework (返工)", () => {
    expect(nextState("handled", "send_back")).toBe("dispatched");
  });

  it("refuses every action on a final state, naming the action and the state", () => {
    for (const state of finalStates) {
      for (const action of caseActions) {
        expect(() => nextState(state, action), `${action} on ${state}`).toThrow(IllegalTransition);
      }
    }
    expect(() => nextState("closed", "confirm")).toThrow(/cannot confirm a case that is closed/);
  });

  it("every transition starts from and leads to a known state", () => {
    for (const t of Object.values(transitions)) {
      expect(caseStates).toContain(t.to);
      for (const f of t.from) expect(caseStates).toContain(f);
    }
  });
});

describe("dispatch", () => {
  const cert = { number: "ZF-1", validFrom: new Date(at.getTime() - day), expiresAt: new Date(at.getTime() + day), revokedAt: null };
  const officer: Assignee = { id: "o1", role: "officer", active: true, certificates: [cert] };
  const auxiliary: Assignee = { id: "x1", role: "auxiliary", active: true, certificates: [] };

  it("gives an enforcement task only to an active officer with a valid certificate", () => {
    expect(assignmentProblem(officer, "enforcement", at)).toBeNull();
    expect(assignmentProblem({ ...officer, active: false }, "enforcement", at)).toMatch(/not active/);
    expect(assignmentProblem({ ...officer, certificates: [{ ...cert, revokedAt: at }] }, "enforcement", at)).toMatch(/no valid enforcement certificate/);
    expect(assignmentProblem({ ...officer, certificates: [{ ...cert, expiresAt: at }] }, "enforcement", at)).toMatch(/no valid enforcement certificate/);
  });

  it("lets auxiliary staff take dissuasion but never enforcement (协管人员只能配合执法人员)", () => {
    expect(assignmentProblem(auxiliary, "dissuasion", at)).toBeNull();
    expect(assignmentProblem(auxiliary, "enforcement", at)).toMatch(/needs an officer/);
    expect(assignmentProblem({ ...auxiliary, role: "operator" }, "dissuasion", at)).toMatch(/does not handle field tasks/);
  });
});

describe("首违不罚 (first violation not penalised)", () => {
  it("treats a first minor violation with education, a non-minor one normally, and flags repeats", () => {
    expect(penaltyTreatment(1, true, 3)).toBe("first_violation_education");
    expect(penaltyTreatment(1, false, 3)).toBe("normal");
    expect(penaltyTreatment(2, true, 3)).toBe("normal");
    expect(penaltyTreatment(3, true, 3)).toBe("repeated");
  });

  it("looks back exactly the configured number of days", () => {
    expect(at.getTime() - lookbackStart(at, 180).getTime()).toBe(180 * day);
  });
});

describe("outcomes", () => {
  it("classifies every outcome for the 721 report", () => {
    for (const o of outcomes) expect(["service", "management", "enforcement"]).toContain(class721Of[o]);
  });

  it("needs a reason for 不予立案, and for filing a case against a first minor violation", () => {
    expect(outcomeProblem({ outcome: "no_case_filed", taskKind: "enforcement", penaltyTreatment: null })).toMatch(/needs a reason/);
    expect(outcomeProblem({ outcome: "no_case_filed", reason: "证据不足", taskKind: "enforcement", penaltyTreatment: null })).toBeNull();
    expect(outcomeProblem({ outcome: "file_case", taskKind: "enforcement", penaltyTreatment: "first_violation_education" })).toMatch(/首违不罚/);
    expect(outcomeProblem({ outcome: "file_case", reason: "逾期未改正", taskKind: "enforcement", penaltyTreatment: "first_violation_education" })).toBeNull();
  });

  it("lets a dissuasion task end only in education or not-a-case", () => {
    expect(outcomeProblem({ outcome: "education", taskKind: "dissuasion", penaltyTreatment: null })).toBeNull();
    expect(outcomeProblem({ outcome: "not_a_case", taskKind: "dissuasion", penaltyTreatment: null })).toBeNull();
    expect(outcomeProblem({ outcome: "order_to_correct", taskKind: "dissuasion", penaltyTreatment: null })).toMatch(/enforcement decision/);
  });

  it("records an outcome only on a task its assignee has accepted", () => {
    expect(acceptanceProblem(false)).toMatch(/accept the task/);
    expect(acceptanceProblem(true)).toBeNull();
  });

  it("needs an officer photo for on-site outcomes, and none for not-a-case or no-case-filed", () => {
    for (const o of ["education", "order_to_correct", "file_case"] as const) {
      expect(needsOfficerPhoto(o), o).toBe(true);
      expect(photoProofProblem(o, 0), o).toMatch(/needs at least one officer photo/);
      expect(photoProofProblem(o, 1), o).toBeNull();
    }
    for (const o of ["not_a_case", "no_case_filed"] as const) {
      expect(needsOfficerPhoto(o), o).toBe(false);
      expect(photoProofProblem(o, 0), o).toBeNull();
    }
    // Every enforcement decision that acts on the subject needs proof; only declining to file does not.
    expect(enforcementDecisions.filter((o) => !needsOfficerPhoto(o))).toEqual(["no_case_filed"]);
    expect(outcomes.filter(needsOfficerPhoto)).toHaveLength(3);
  });
});

describe("penalty evidence standing (Art. 41)", () => {
  const before = new Date(at.getTime() - day);
  const after = new Date(at.getTime() + day);

  it("is usable only when review and publication both came before the recording", () => {
    expect(penaltyEvidenceStanding({ legalReviewAt: before, locationPublishedAt: before }, at)).toEqual({ usable: true, note: null });
    expect(penaltyEvidenceStanding(null, at).usable).toBe(false);
    expect(penaltyEvidenceStanding({ legalReviewAt: after, locationPublishedAt: before }, at).note).toMatch(/reviewed only after/);
    expect(penaltyEvidenceStanding({ legalReviewAt: before, locationPublishedAt: null }, at).note).toMatch(/not published/);
  });
});
