import { createHash } from "node:crypto";
import type { MqttClient } from "mqtt";
import pg from "pg";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBackend } from "../../src/backend/server.ts";
import type { CandidateEvent } from "../../src/contracts/index.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { api, candidate, eventually, publishCandidate, publisher, runTag, startTestBackend, testConfig } from "../backend/backend-harness.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const html = Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>");

/**
 * Forgeries on the intake path, each against a real back end on PostgreSQL and Mosquitto:
 * every one is refused and leaves the stored cases, evidence and record as they were.
 */
describe.runIf(postgresAvailable() && mosquittoAvailable())("intake refuses forgeries (real PostgreSQL + Mosquitto)", () => {
  const tag = runTag();
  const edgeA = `edge-a-${tag}`;
  const edgeB = `edge-b-${tag}`;
  const camA = `cam-a-${tag}`;
  const camB = `cam-b-${tag}`;
  let be: RunningBackend;
  let drop: () => Promise<void>;
  let sql: pg.Client;
  let pub: MqttClient;
  const tokens: Record<string, string> = {};
  const fromA = (id: string, seq: number, over: Partial<CandidateEvent> = {}) => candidate(camA, id, seq, { edgeId: edgeA, ...over });

  /**
   * Everything a forgery could have written: case rows, record entries, evidence rows and links
   * of this run (the shared broker also carries other tests' candidates, which this back end
   * stores too).
   */
  const footprint = async () => {
    const q = async (text: string) => (await sql.query(text, [`${tag}-%`])).rows;
    return {
      cases: await q(
        `SELECT "candidateId", "candidateSeq", phase, "edgeId", "cameraId", "lastSeenAt", objects, state FROM "Case" WHERE "candidateId" LIKE $1 ORDER BY "candidateId"`,
      ),
      audit: (await q(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE chain LIKE $1`))[0].n,
      evidence: (await sql.query(`SELECT count(*)::int AS n FROM "Evidence"`)).rows[0].n,
      links: (await q(`SELECT count(*)::int AS n FROM "EvidenceLink" WHERE "candidateId" LIKE $1`))[0].n,
    };
  };
  const stats = async () => (await api(be.url, "GET", "/ingest/stats", { as: "admin" })).body;
  const caseOf = async (candidateId: string) => (await sql.query(`SELECT * FROM "Case" WHERE "candidateId" = $1`, [candidateId])).rows[0];
  const stored = (candidateId: string, seq: number) =>
    eventually(async () => {
      const c = await caseOf(candidateId);
      return c && c.candidateSeq === seq ? c : undefined;
    }, `${candidateId} stored at seq ${seq}`);
  const upload = (token: string, body: Buffer, headers: { candidate: string; camera: string; type?: string }) =>
    fetch(`${be.url}/api/evidence/${sha(body)}`, {
      method: "PUT",
      body: new Uint8Array(body),
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": headers.type ?? "image/jpeg",
        "x-curbwatch-candidate": headers.candidate,
        "x-curbwatch-camera": headers.camera,
        "x-curbwatch-evidence-kind": "snapshot_start",
      },
    });

  beforeAll(async () => {
    const t = await createTestDatabase("cw_forgery");
    drop = t.drop;
    sql = new pg.Client({ connectionString: t.url });
    await sql.connect();
    be = await startTestBackend(testConfig({ databaseUrl: t.url, mqttUrl: MOSQUITTO_URL, group: tag }));
    pub = await publisher(MOSQUITTO_URL, tag);
    for (const [edge, cam] of [
      [edgeA, camA],
      [edgeB, camB],
    ]) {
      const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: edge, name: edge } })).body;
      tokens[edge] = (await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).body.apiToken;
      expect((await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: cam, edgeId: edge } })).status).toBeLessThan(300);
    }
  }, 60_000);

  afterAll(async () => {
    await pub?.endAsync();
    await be?.close();
    await sql?.end();
    await drop?.();
  });

  it("refuses another camera's candidateId, even with a higher seq, and changes nothing", async () => {
    const id = `${tag}-victim`;
    await publishCandidate(pub, fromA(id, 0));
    await stored(id, 0);
    const before = await footprint();
    const refusedBefore = (await stats()).refused.foreign_case;
    await publishCandidate(pub, candidate(camB, id, 7, { edgeId: edgeB, objects: [], lastSeenAt: new Date().toISOString() }));
    await eventually(async () => ((await stats()).refused.foreign_case > refusedBefore ? true : undefined), "the cross-camera update refused");
    expect(await footprint()).toEqual(before);
  });

  it("refuses a payload whose edgeId is not the edge the camera is assigned to", async () => {
    const before = await footprint();
    const refusedBefore = (await stats()).refused.edge_mismatch;
    await publishCandidate(pub, candidate(camA, `${tag}-wrong-edge`, 0, { edgeId: edgeB }));
    await eventually(async () => ((await stats()).refused.edge_mismatch > refusedBefore ? true : undefined), "the mismatched edgeId refused");
    expect(await footprint()).toEqual(before);
  });

  it("never changes a closed case: a late update is recorded in its record, not applied", async () => {
    const id = `${tag}-closed`;
    await publishCandidate(pub, fromA(id, 0));
    const c = await stored(id, 0);
    await sql.query(`UPDATE "Case" SET state = 'closed' WHERE id = $1`, [c.id]);
    const before = await footprint();
    const lateBefore = (await stats()).late;
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#336699" } })
      .jpeg()
      .toBuffer();
    await publishCandidate(
      pub,
      fromA(id, 3, {
        phase: "end",
        endedAt: new Date().toISOString(),
        objects: [],
        evidence: [{ kind: "clip", sha256: sha(jpeg), bytes: jpeg.length, contentType: "video/mp4" }],
      }),
    );
    await eventually(async () => ((await stats()).late > lateBefore ? true : undefined), "the late update settled");
    const after = await footprint();
    expect(after.cases, "the closed case is unchanged").toEqual(before.cases);
    expect(after.links, "no evidence linked to it").toBe(before.links);
    expect(after.audit, "one record entry").toBe(before.audit + 1);
    const entries = (await api(be.url, "GET", `/cases/${c.id}/record`, { as: "admin" })).body.entries;
    expect(entries.at(-1)).toMatchObject({ action: "candidate.update_not_applied", actorId: `edge:${edgeA}` });
    expect(entries.at(-1).after).toMatchObject({ seq: 3, phase: "end", reason: "case is closed" });
  });

  it("refuses evidence naming another edge's candidate, HTML declared as a JPEG and an empty file", async () => {
    const id = `${tag}-evidence-victim`;
    await publishCandidate(pub, fromA(id, 0));
    await stored(id, 0);
    const before = await footprint();
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#aa3300" } })
      .jpeg()
      .toBuffer();
    const viaOwnCamera = await upload(tokens[edgeB], jpeg, { candidate: id, camera: camB });
    expect(viaOwnCamera.status, "edge B naming edge A's candidate through its own camera").toBe(403);
    expect((await upload(tokens[edgeB], jpeg, { candidate: id, camera: camA })).status, "edge B naming edge A's camera").toBe(403);
    const asJpeg = await upload(tokens[edgeA], html, { candidate: id, camera: camA });
    expect(asJpeg.status, "HTML declared as image/jpeg").toBe(422);
    expect((await asJpeg.json()).error).toMatch(/not image\/jpeg|no known file signature/);
    const empty = await upload(tokens[edgeA], Buffer.alloc(0), { candidate: id, camera: camA });
    expect(empty.status, "zero-byte file").toBe(422);
    expect((await empty.json()).error).toMatch(/empty/);
    const pngAsJpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#00aa33" } })
      .png()
      .toBuffer();
    expect((await upload(tokens[edgeA], pngAsJpeg, { candidate: id, camera: camA })).status, "a PNG declared as a JPEG").toBe(422);
    expect(await footprint()).toEqual(before);
    expect((await sql.query(`SELECT 1 FROM "Evidence" WHERE sha256 = ANY($1)`, [[sha(html), sha(Buffer.alloc(0)), sha(jpeg)]])).rowCount).toBe(0);
    // The owner's real JPEG is still taken.
    expect((await upload(tokens[edgeA], jpeg, { candidate: id, camera: camA })).status).toBe(201);
  });

  it("refuses HTML as an officer's photo", async () => {
    await api(be.url, "PUT", "/users/op1", { as: "admin", body: { name: "坐席", role: "operator", password: testPassword("op1") } });
    await api(be.url, "PUT", "/users/aux1", { as: "admin", body: { name: "协管", role: "auxiliary", password: testPassword("aux1") } });
    const id = `${tag}-photo`;
    await publishCandidate(pub, fromA(id, 0));
    const c = await stored(id, 0);
    expect((await api(be.url, "POST", `/cases/${c.id}/confirm`, { as: "op1", body: {} })).status).toBe(200);
    const dispatched = await api(be.url, "POST", `/cases/${c.id}/dispatch`, { as: "op1", body: { assigneeId: "aux1", task: "dissuasion" } });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    const before = await footprint();
    const cookie = await loginAs(be.url, "aux1");
    const send = (body: Buffer, type: string) =>
      fetch(`${be.url}/api/cases/${c.id}/photos`, { method: "POST", body: new Uint8Array(body), headers: { cookie, "content-type": type } });
    const r = await send(html, "image/jpeg");
    expect(r.status, "HTML as a JPEG photo").toBe(415);
    expect((await r.json()).error).toMatch(/not a usable photo/);
    expect((await send(Buffer.from("GIF89a not really"), "image/png")).status).toBe(415);
    expect(await footprint()).toEqual(before);
    const real = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#123456" } })
      .jpeg()
      .toBuffer();
    expect((await send(real, "image/jpeg")).status).toBe(201);
  });

  it("refuses what a revoked edge had in flight", async () => {
    const edgeC = `edge-c-${tag}`;
    const camC = `cam-c-${tag}`;
    const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: edgeC, name: edgeC } })).body;
    await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } });
    await api(be.url, "PUT", `/cameras/${camC}`, { as: "admin", body: { name: camC, edgeId: edgeC } });
    expect((await api(be.url, "POST", `/edges/${edgeC}/revoke`, { as: "admin" })).status).toBe(204);
    const before = await footprint();
    const refusedBefore = (await stats()).refused.edge_revoked;
    // The shared broker here is open, standing in for a message sent just before the revocation.
    await publishCandidate(pub, candidate(camC, `${tag}-revoked`, 0, { edgeId: edgeC }));
    await eventually(async () => ((await stats()).refused.edge_revoked > refusedBefore ? true : undefined), "the revoked edge's message refused");
    expect(await footprint()).toEqual(before);
  });

  it("answers NUL and lone surrogates in queries, bodies and paths with 400, never 500", async () => {
    const cookie = await loginAs(be.url, "admin");
    const get = async (p: string) => (await fetch(`${be.url}/api${p}`, { headers: { cookie } })).status;
    expect(await get("/cases?street=%00")).toBe(400);
    expect(await get("/cases?street=a%ED%A0%80")).toBeLessThan(500);
    expect(await get("/cases/%00")).toBe(400);
    for (const text of ["a\u0000b", "lone \ud800 half"]) {
      const r = await fetch(`${be.url}/api/users/u-${tag}`, {
        method: "PUT",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ name: text, role: "operator", password: testPassword("x") }),
      });
      expect(r.status, JSON.stringify(text)).toBe(400);
      expect((await r.json()).error).toMatch(/field name contains (a NUL|a lone UTF-16 surrogate)/);
    }
    const statement = await fetch(`${be.url}/api/public/cases/statement`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ caseNumber: 1, accessCode: "x".repeat(12), text: "我\u0000有话说" }),
    });
    expect(statement.status).toBe(400);
  });
});
