import { describe, expect, it } from "vitest";
import { CaseState, Outcome, UserRole } from "../../src/generated/prisma/enums.ts";
import { caseStates, outcomes } from "../../src/contracts/api/case.ts";
import { userRoles } from "../../src/contracts/api/registry.ts";

const sorted = (values: Iterable<string>) => [...values].sort();

/** States, outcomes and roles are defined once, in the API contract; the database's enums must hold exactly the same values. */
describe("the API contract's enumerations match the database's", () => {
  it("case states", () => expect(sorted(caseStates)).toEqual(sorted(Object.values(CaseState))));
  it("outcomes", () => expect(sorted(outcomes)).toEqual(sorted(Object.values(Outcome))));
  it("user roles", () => expect(sorted(userRoles)).toEqual(sorted(Object.values(UserRole))));
});
