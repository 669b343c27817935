// Fast tests of the read side's own rules: table paging, statement counts, the review queue, the 721 report. No database.
import { beforeEach, describe, expect, it } from "vitest";
import { CaseQueryService } from "../../src/backend/services/case-query.service.ts";
import { caseListQuery, caseTableQuery } from "../../src/contracts/api/case.ts";
import { STATEMENT_READ_ACTION } from "../../src/backend/services/case-notes.service.ts";
import { InMemoryCaseReads, storedCase } from "../support/in-memory/in-memory-case-reads.ts";

const now = new Date("2026-11-20T12:00:00Z");
const minute = 60_000;
const started = (n: number) => new Date(now.getTime() - (10 - n) * minute);

describe("case read side", () => {
  let data: InMemoryCaseReads;
  let queries: CaseQueryService;

  beforeEach(() => {
    data = new InMemoryCaseReads();
    queries = new CaseQueryService(data, () => now);
    for (let n = 1; n <= 5; n++) data.cases.push(storedCase({ id: `c${n}`, number: n, startedAt: started(n), priority: n % 2 }));
  });

  const table = (q: Record<string, unknown>) => queries.table(caseTableQuery.parse({ limit: "2", ...q }));
  const numbers = (page: { items: { number: string }[] }) => page.items.map((i) => i.number);

  it("pages the table forward and back with its cursors, newest first", async () => {
    const first = await table({});
    expect(numbers(first)).toEqual(["CW-000005", "CW-000004"]);
    expect(first).toMatchObject({ total: 5, totalExact: true, prev: null });
    const second = await table({ after: first.next });
    expect(numbers(second)).toEqual(["CW-000003", "CW-000002"]);
    const last = await table({ after: second.next });
    expect(numbers(last)).toEqual(["CW-000001"]);
    expect(last.next).toBeNull();
    expect(numbers(await table({ before: last.prev }))).toEqual(["CW-000003", "CW-000002"]);
    // Back from the second page is the first page again, with nothing before it.
    const again = await table({ before: second.prev });
    expect(numbers(again)).toEqual(["CW-000005", "CW-000004"]);
    expect(again.prev).toBeNull();
    expect(again.next).not.toBeNull();
  });

  it("keeps a page's place when a newer case arrives meanwhile", async () => {
    const first = await table({});
    data.cases.push(storedCase({ id: "c6", number: 6, startedAt: now }));
    expect(numbers(await table({ after: first.next }))).toEqual(["CW-000003", "CW-000002"]);
  });

  it("orders by priority, then newest, when asked", async () => {
    const first = await table({ sort: "priority", limit: "3" });
    expect(numbers(first)).toEqual(["CW-000005", "CW-000003", "CW-000001"]);
    expect(numbers(await table({ sort: "priority", limit: "3", after: first.next }))).toEqual(["CW-000004", "CW-000002"]);
  });

  it("counts each case's statements and the ones nobody in the command center has read", async () => {
    data.statements.push(
      { id: "s1", caseId: "c2", text: "a", contact: null, submittedAt: new Date(now.getTime() - 3 * minute) },
      { id: "s2", caseId: "c2", text: "b", contact: null, submittedAt: new Date(now.getTime() - minute) },
    );
    data.record.push({
      id: 1n,
      chain: "cand-c2",
      seq: 2,
      at: now,
      actorId: "op1",
      action: STATEMENT_READ_ACTION,
      caseId: "c2",
      before: null,
      after: { statementIds: ["s1"] },
      evidenceSha256: null,
      prevHash: "x",
      hash: "y",
    });
    const [c2, c1] = await queries.views([data.cases[1], data.cases[0]]);
    expect(c2.statements).toEqual({ total: 2, unread: 1, lastAt: new Date(now.getTime() - minute) });
    expect(c1.statements).toEqual({ total: 0, unread: 0, lastAt: null });
    expect((await queries.statementsOf("c2")).map((s) => [s.id, s.read])).toEqual([
      ["s1", true],
      ["s2", false],
    ]);
  });

  it("puts a confirmed case with an unread statement in the review queue beside the candidates", async () => {
    data.cases[1].state = "confirmed";
    data.cases[2].state = "confirmed";
    data.statements.push({ id: "s1", caseId: "c2", text: "a", contact: null, submittedAt: now });
    const queue = await queries.reviewQueue(caseListQuery.parse({}));
    // Highest priority first, then oldest; c3 (confirmed, nothing unread) is not there.
    expect(queue.items.map((i) => i.id)).toEqual(["c1", "c5", "c2", "c4"]);
  });

  it("splits recorded outcomes 721 with each class's share", async () => {
    const handled = new Date(now.getTime() - minute);
    Object.assign(data.cases[0], { outcome: "education", class721: "service", handledAt: handled });
    Object.assign(data.cases[1], { outcome: "education", class721: "service", handledAt: handled });
    Object.assign(data.cases[2], { outcome: "file_case", class721: "enforcement", handledAt: handled });
    Object.assign(data.cases[3], { outcome: "file_case", class721: "enforcement", handledAt: new Date(now.getTime() - 48 * 60 * minute) });
    const r = await queries.report721(new Date(now.getTime() - 60 * minute), now);
    expect(r.total).toBe(3);
    expect(r.byClass).toEqual({ service: 2, management: 0, enforcement: 1 });
    expect(r.sharePercent).toEqual({ service: 66.7, management: 0, enforcement: 33.3 });
    expect(r.byOutcome).toEqual({ education: 2, file_case: 1 });
  });
});
