import { describe, expect, it } from "vitest";
import { judgeBatch, type OwnershipFacts } from "../../src/backend/ingest/intake-ownership.ts";
import { candidate } from "./backend-harness.ts";

const facts = (over: Partial<OwnershipFacts> = {}): OwnershipFacts => ({
  cases: new Map(),
  cameraOwners: new Map([
    ["cam-a", "edge-a"],
    ["cam-b", "edge-b"],
  ]),
  revokedEdges: new Set(),
  ...over,
});
const a = (id: string, seq: number) => candidate("cam-a", id, seq, { edgeId: "edge-a" });
const b = (id: string, seq: number) => candidate("cam-b", id, seq, { edgeId: "edge-b" });

describe("who may change a case (the rules ingest applies per message)", () => {
  it("lets the owning edge create and update its own camera's cases", () => {
    expect(judgeBatch([a("cand-a-0001", 0), a("cand-a-0001", 1)], facts()).map((v) => v.kind)).toEqual(["apply", "apply"]);
  });

  it("refuses a payload edgeId that is not the camera's edge, and cameras assigned to no edge", () => {
    const noEdge = facts({ cameraOwners: new Map([["cam-a", null]]) });
    expect(judgeBatch([candidate("cam-a", "cand-x-0001", 0, { edgeId: "edge-b" })], facts())[0]).toMatchObject({ kind: "refused", reason: "edge_mismatch" });
    expect(judgeBatch([a("cand-x-0002", 0)], noEdge)[0]).toMatchObject({ kind: "refused", reason: "edge_mismatch" });
  });

  it("refuses another camera's candidateId, stored or claimed earlier in the same batch", () => {
    const stored = facts({ cases: new Map([["cand-a-0001", { id: "c1", cameraId: "cam-a", state: "candidate" }]]) });
    expect(judgeBatch([b("cand-a-0001", 9)], stored)[0]).toMatchObject({ kind: "refused", reason: "foreign_case" });
    expect(judgeBatch([a("cand-new-01", 0), b("cand-new-01", 5)], facts()).map((v) => v.kind)).toEqual(["apply", "refused"]);
  });

  it("records but never applies a message about a closed, merged or rejected case", () => {
    for (const state of ["closed", "merged", "rejected"]) {
      const f = facts({ cases: new Map([["cand-a-0001", { id: "c1", cameraId: "cam-a", state }]]) });
      expect(judgeBatch([a("cand-a-0001", 3)], f)[0]).toMatchObject({ kind: "late", case: { state } });
    }
  });

  it("refuses what a revoked edge still had in flight", () => {
    expect(judgeBatch([a("cand-a-0009", 0)], facts({ revokedEdges: new Set(["edge-a"]) }))[0]).toMatchObject({ kind: "refused", reason: "edge_revoked" });
  });
});
