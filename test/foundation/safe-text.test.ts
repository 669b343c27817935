import { describe, expect, it } from "vitest";
import { candidateEventSchema, safeText, textInputProblem, textProblem } from "../../src/contracts/index.ts";
import { candidate } from "../backend/backend-harness.ts";
import { commitIsolatingPoison, isDataError } from "../../src/backend/ingest/poison-isolation.ts";

describe("storable text", () => {
  it("refuses NUL and lone surrogates but keeps paired surrogates (emoji) and CJK", () => {
    expect(textProblem("人民路 🚲")).toBeNull();
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    expect(textProblem("a\ud800b")).toMatch(/surrogate/);
    expect(textProblem("\udc00")).toMatch(/surrogate/);
    expect(safeText(5).safeParse("123456").success).toBe(false);
  });

  it("is part of the candidate contract", () => {
    expect(candidateEventSchema.safeParse(candidate("cam-1", "cand-00001", 0)).success).toBe(true);
    const bad = candidateEventSchema.safeParse(candidate("cam-1", "cand-00001", 0, { zoneId: "z\u0000" }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["zoneId"]);
  });

  it("finds the first bad string anywhere in a body, keys included, with its path", () => {
    expect(textInputProblem({ a: [{ b: "ok" }, { c: "x\u0000" }] })).toEqual({ path: "a[1].c", problem: expect.stringMatching(/NUL/) });
    expect(textInputProblem({ ["k\ud800"]: 1 })?.path).toBe(".(key)");
    expect(textInputProblem({ s: "x".repeat(10_001) })?.problem).toMatch(/longer/);
    expect(textInputProblem({ n: 1, s: "fine", list: ["a", "b"] })).toBeNull();
  });
});

describe("isolating a poison message", () => {
  /** The shape Prisma's driver adapter gives a PostgreSQL data exception. */
  const dataError = () =>
    Object.assign(new Error("Raw query failed. Code: `22P05`."), {
      meta: { driverAdapterError: { cause: { originalCode: "22P05", originalMessage: "unsupported Unicode escape sequence" } } },
    });

  it("splits until the refused item stands alone, commits the rest once each, in order", async () => {
    const items = Array.from({ length: 16 }, (_, i) => i);
    const committed: number[] = [];
    let transactions = 0;
    const out = await commitIsolatingPoison(
      items,
      async (part) => {
        transactions++;
        if (part.includes(11)) throw dataError();
        committed.push(...part);
        return part.map(() => "stored");
      },
      async (item, reason) => `dead:${item}:${reason.includes("22P05")}`,
    );
    expect(out).toEqual(items.map((i) => (i === 11 ? "dead:11:true" : "stored")));
    expect(committed.sort((a, b) => a - b)).toEqual(items.filter((i) => i !== 11));
    expect(transactions, "about 2·log2(n) + 1 transactions").toBeLessThanOrEqual(9);
  });

  it("does not split or set aside on errors that are not about the data", async () => {
    const down = new Error("connect ECONNREFUSED 127.0.0.1:5432");
    expect(isDataError(down)).toBe(false);
    await expect(
      commitIsolatingPoison(
        [1, 2, 3],
        async () => Promise.reject(down),
        async () => "dead",
      ),
    ).rejects.toBe(down);
  });
});
