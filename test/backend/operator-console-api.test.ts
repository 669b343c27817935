import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { api, eventually, runTag, startTestBackend, testConfig } from "./backend-harness.ts";
import { reportCandidate } from "./case-fixtures.ts";

interface Change {
  caseId: string;
  action: string;
  state?: string;
}

/**
 * What the operator's console relies on, through the real HTTP API on real PostgreSQL: bulk
 * actions checked and answered per case, people named in case views and records, and a
 * party's statement announced over SSE, flagged in the review queue until someone reads it.
 */
describe.runIf(postgresAvailable())("operator console API: bulk actions, names, statements (real PostgreSQL)", () => {
  const tag = runTag();
  let drop: () => Promise<void>;
  let be: RunningBackend;
  /** Every `cases` notice the operator's SSE stream delivered, in order. */
  const notices: Change[][] = [];
  const stream = new AbortController();

  const as = (who: string, method: string, p: string, body?: unknown) => api(be.url, method, p, { as: who, body });
  const candidate = () => reportCandidate(be.ctx.db, { cameraId: `cam-${tag}` });
  const stateOf = async (id: string) => (await be.ctx.db.prisma.case.findUniqueOrThrow({ where: { id } })).state;
  const entries = (caseId: string, action: string) => be.ctx.db.prisma.auditEntry.findMany({ where: { caseId, action } });

  beforeAll(async () => {
    const t = await createTestDatabase("cw_console_api");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, group: tag }));
    const people: [string, string, string][] = [
      ["op1", "坐席小王", "operator"],
      ["off1", "队员老李", "officer"],
      ["off-nocert", "无证队员", "officer"],
      ["aux1", "协管员小赵", "auxiliary"],
      ["sup1", "督察老周", "supervisor"],
    ];
    for (const [id, name, role] of people) {
      const r = await api(be.url, "PUT", `/users/${id}`, { as: "admin", body: { name, role, password: testPassword(id) } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const year = 365 * 86_400_000;
    const cert = await api(be.url, "POST", "/users/off1/certificates", {
      as: "admin",
      body: {
        number: `ZF-${tag}`,
        issuingAuthority: "市城管局",
        validFrom: new Date(Date.now() - year).toISOString(),
        expiresAt: new Date(Date.now() + year).toISOString(),
      },
    });
    expect(cert.status, JSON.stringify(cert.body)).toBeLessThan(300);

    // The operator's live feed, read the way the console's EventSource does.
    const cookie = await loginAs(be.url, "op1");
    const res = await fetch(`${be.url}/api/events`, { headers: { cookie }, signal: stream.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes("event: cases")) notices.push(JSON.parse(block.split("data: ")[1]).changes);
        }
      }
    })();
  }, 60_000);
  afterAll(async () => {
    stream.abort();
    await be?.close();
    await drop?.();
  });

  it("rejects several candidates with one reason, checking each case on its own and answering per case", async () => {
    const [a, b, confirmed, stale] = [await candidate(), await candidate(), await candidate(), await candidate()];
    expect((await as("op1", "POST", `/cases/${confirmed}/confirm`, {})).status).toBe(200);
    const before = notices.length;
    const r = await as("op1", "POST", "/cases/bulk", {
      action: "reject",
      reason: "duplicate",
      cases: [{ id: a, expectedVersion: 1 }, { id: b }, { id: confirmed }, { id: stale, expectedVersion: 99 }, { id: "no-such-case" }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.done).toBe(2);
    expect(r.body.failed).toBe(3);
    const [ra, rb, rc, rs, rm] = r.body.results;
    expect(ra).toMatchObject({ id: a, ok: true, state: "rejected" });
    expect(ra.number).toMatch(/^CW-\d{6}$/);
    expect(rb).toMatchObject({ id: b, ok: true, state: "rejected" });
    expect(rc).toMatchObject({ id: confirmed, ok: false, status: 409, code: "illegal_transition", state: "confirmed" });
    expect(rs).toMatchObject({ id: stale, ok: false, status: 409, code: "stale_version", state: "candidate" });
    expect(rm).toMatchObject({ id: "no-such-case", ok: false, status: 404, number: null, state: null });

    expect(await stateOf(a)).toBe("rejected");
    expect(await stateOf(confirmed)).toBe("confirmed");
    expect(await stateOf(stale)).toBe("candidate");
    // One record entry per rejected case, by the operator, with the reason; none on the refused ones.
    for (const id of [a, b]) {
      const rejected = await entries(id, "case.reject");
      expect(rejected).toHaveLength(1);
      expect(rejected[0].actorId).toBe("op1");
      expect(rejected[0].after).toMatchObject({ state: "rejected", rejectReason: "duplicate" });
    }
    expect(await entries(stale, "case.reject")).toHaveLength(0);
    // One notice for the whole selection, so every console reloads once.
    const batch = await eventually(async () => notices.slice(before).find((n) => n.some((c) => c.caseId === a)), "the change notice");
    expect(batch.map((c) => c.caseId).sort()).toEqual([a, b].sort());

    // The statistics CSV names the reason and the event code in the language asked for, never by code or in both languages.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const csv = async (by: string, lang: string) =>
      (await as("op1", "GET", `/statistics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&by=${by}&format=csv&lang=${lang}`)).body as string;
    const zh = await csv("code", "zh");
    expect(zh.split("\r\n")[0]).toContain("驳回-重复");
    expect(zh.split("\r\n")[1]).toMatch(/^05\/01 无照经营游商,/);
    expect(zh).not.toMatch(/duplicate|street vending|[a-z]+_[a-z]+/);
    const en = await csv("code", "en");
    expect(en.split("\r\n")[1]).toMatch(/^05\/01 Street vending,/);
    // English columns are words too (only a request without a language gets the keys, for programs).
    expect(en.split("\r\n")[0]).toMatch(/^Event code,Candidates,Confirmed,Rejected,False-positive rate,Rejected: /);
    expect(en.split("\r\n")[0]).not.toMatch(/[a-z]+_[a-z]+/);
  });

  it("refuses the whole request, changing nothing, when the reason or the person is refused", async () => {
    const c = await candidate();
    const badReason = await as("op1", "POST", "/cases/bulk", { action: "reject", reason: "no_such_reason", cases: [{ id: c }] });
    expect(badReason.status).toBe(422);
    expect(badReason.body.code).toBe("invalid_value");
    expect(badReason.body.fields).toEqual([{ path: "reason", code: "invalid_value" }]);
    const needsText = await as("op1", "POST", "/cases/bulk", { action: "reject", reason: "other", cases: [{ id: c }] });
    expect(needsText.body.code).toBe("text_required");
    const uncertified = await as("op1", "POST", "/cases/bulk", { action: "dispatch", assigneeId: "off-nocert", task: "enforcement", cases: [{ id: c }] });
    expect(uncertified.status).toBe(422);
    expect(uncertified.body.code).toBe("assignee_not_eligible");
    expect(await stateOf(c)).toBe("candidate");
    expect(await be.ctx.db.prisma.auditEntry.count({ where: { caseId: c, action: { startsWith: "case." } } })).toBe(0);
  });

  it("takes at most 100 cases, each once, and only from the command center", async () => {
    const c = await candidate();
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `case-${i}` }));
    const tooMany = await as("op1", "POST", "/cases/bulk", { action: "reject", reason: "duplicate", cases: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields).toContainEqual(expect.objectContaining({ path: "cases", code: "too_big", maximum: 100 }));
    const twice = await as("op1", "POST", "/cases/bulk", { action: "reject", reason: "duplicate", cases: [{ id: c }, { id: c }] });
    expect(twice.status).toBe(400);
    for (const who of ["off1", "aux1", "sup1"]) {
      const r = await as(who, "POST", "/cases/bulk", { action: "reject", reason: "duplicate", cases: [{ id: c }] });
      expect(r.status, who).toBe(403);
    }
    expect(await stateOf(c)).toBe("candidate");
  });

  let dispatchedId = "";
  let accessCode = "";
  let dispatchedNumber = "";

  it("dispatches several cases to one officer, confirming a candidate in the same step; the views and the record name the people", async () => {
    const c = await candidate();
    const confirmed = await candidate();
    expect((await as("op1", "POST", `/cases/${confirmed}/confirm`, {})).status).toBe(200);
    const r = await as("op1", "POST", "/cases/bulk", { action: "dispatch", assigneeId: "off1", task: "enforcement", cases: [{ id: c }, { id: confirmed }] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const res of r.body.results) {
      expect(res).toMatchObject({ ok: true, state: "dispatched" });
      // Each party's notice needs its code: given once, here.
      expect(res.accessCode).toMatch(/^[A-Z2-9]{10}$/);
    }
    expect((await entries(c, "case.confirm")).map((e) => e.actorId)).toEqual(["op1"]);
    expect((await entries(c, "case.dispatch")).map((e) => e.actorId)).toEqual(["op1"]);

    const view = await as("op1", "GET", `/cases/${c}`);
    expect(view.body.dispatch).toMatchObject({ assigneeId: "off1", assigneeName: "队员老李", task: "enforcement" });
    expect(view.body.confirmedByName).toBe("坐席小王");
    const list = await as("op1", "GET", `/cases?cameraId=cam-${tag}&state=dispatched`);
    expect(list.body.items.find((x: { id: string }) => x.id === c).dispatch.assigneeName).toBe("队员老李");
    const record = await as("op1", "GET", `/cases/${c}/record`);
    expect(record.body.people.op1).toEqual({ name: "坐席小王", role: "operator" });
    expect(record.body.people.off1).toEqual({ name: "队员老李", role: "officer" });
    dispatchedId = c;
    accessCode = r.body.results[0].accessCode;
    dispatchedNumber = r.body.results[0].number;
  });

  it("announces a party's statement at once, shows it on the case and flags the case in the review queue until someone reads it", async () => {
    expect(dispatchedId).not.toBe("");
    const before = notices.length;
    const sent = await api(be.url, "POST", "/public/cases/statement", {
      body: { caseNumber: dispatchedNumber, accessCode, text: "摊位是帮亲戚临时看管", contact: "13812345678" },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await eventually(
      async () =>
        notices
          .slice(before)
          .flat()
          .find((c) => c.caseId === dispatchedId && c.action === "statement"),
      "the statement notice",
    );

    // The review queue lists it (though it is no candidate), flagged.
    const queue = await as("op1", "GET", `/review-queue?cameraId=cam-${tag}`);
    const item = queue.body.items.find((x: { id: string }) => x.id === dispatchedId);
    expect(item?.statements).toMatchObject({ total: 1, unread: 1 });
    const detail = await as("op1", "GET", `/cases/${dispatchedId}`);
    expect(detail.body.partyStatements).toEqual([
      expect.objectContaining({ text: "摊位是帮亲戚临时看管", contact: "13812345678", read: false, submittedAt: expect.any(String) }),
    ]);
    // The supervisor sees the case, not the party's phone number.
    expect((await as("sup1", "GET", `/cases/${dispatchedId}`)).body.partyStatements[0].contact).toBe("138****5678");

    // Someone else's statement cannot be marked through this case.
    const other = await as("op1", "POST", `/cases/${dispatchedId}/statements/read`, { statementIds: ["not-a-statement"] });
    expect(other.status).toBe(422);
    const read = await as("op1", "POST", `/cases/${dispatchedId}/statements/read`, { statementIds: [detail.body.partyStatements[0].id] });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    const after = await as("op1", "GET", `/review-queue?cameraId=cam-${tag}`);
    expect(after.body.items.map((x: { id: string }) => x.id)).not.toContain(dispatchedId);
    expect((await as("op1", "GET", `/cases/${dispatchedId}`)).body.statements).toMatchObject({ total: 1, unread: 0 });
    const marked = await entries(dispatchedId, "party.statement_read");
    expect(marked.map((e) => e.actorId)).toEqual(["op1"]);
  });
});
