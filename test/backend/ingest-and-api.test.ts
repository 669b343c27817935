import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import sharp from "sharp";
import type { MqttClient } from "mqtt";
import { MAX_CANDIDATE_PAYLOAD_BYTES, topics } from "../../src/contracts/index.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, MOSQUITTO_URL, mosquittoAvailable, postgresAvailable } from "../support/services.ts";
import { api, candidate as candidateOf, eventually, publishCandidate, publisher, runTag, startTestBackend, testConfig } from "./backend-harness.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { sitePhoto } from "./case-fixtures.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe.runIf(postgresAvailable() && mosquittoAvailable())("candidate ingest and the case API (real PostgreSQL + Mosquitto)", () => {
  const tag = runTag();
  const cam = `cam-${tag}`;
  // Candidates come from the edge the camera is assigned to (ingest refuses any other).
  const candidate = (cameraId: string, id: string, seq: number, over: Parameters<typeof candidateOf>[3] = {}) =>
    candidateOf(cameraId, id, seq, { edgeId: `edge-${tag}`, ...over });
  let drop: () => Promise<void>;
  let be: RunningBackend;
  let pub: MqttClient;
  let edgeToken: string;
  const stats = async () => (await api(be.url, "GET", "/ingest/stats", { as: "admin" })).body;
  const queueFor = async (candidateId: string) => {
    const r = await api(be.url, "GET", `/cases?cameraId=${cam}&limit=200`, { as: "admin" });
    return r.body.items.filter((i: { candidateId: string }) => i.candidateId === candidateId);
  };

  beforeAll(async () => {
    const t = await createTestDatabase("cw_ingest");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, mqttUrl: MOSQUITTO_URL, group: tag }));
    pub = await publisher(MOSQUITTO_URL, tag);
    await api(be.url, "PUT", "/users/op1", { as: "admin", body: { name: "坐席", role: "operator", password: testPassword("op1") } });
    await api(be.url, "PUT", "/users/off1", { as: "admin", body: { name: "队员", role: "officer", streets: ["人民路"], password: testPassword("off1") } });
    // Evidence uploads come from an enrolled edge, for a camera assigned to it.
    const enrollment = (await api(be.url, "POST", "/edges", { as: "admin", body: { id: `edge-${tag}`, name: "test edge" } })).body;
    edgeToken = (await api(be.url, "POST", "/edges/enroll", { body: { token: enrollment.enrollmentToken } })).body.apiToken;
    await api(be.url, "PUT", `/cameras/${cam}`, { as: "admin", body: { name: "test camera", edgeId: `edge-${tag}` } });
    const now = Date.now();
    await api(be.url, "POST", "/users/off1/certificates", {
      as: "admin",
      body: {
        number: `ZF-${tag}`,
        issuingAuthority: "市城管局",
        validFrom: new Date(now - 86_400_000).toISOString(),
        expiresAt: new Date(now + 86_400_000 * 300).toISOString(),
      },
    });
  });
  afterAll(async () => {
    await pub?.endAsync();
    await be?.close();
    await drop?.();
  });

  it("turns start/update/end of one situation into one item at the newest seq", async () => {
    const id = `${tag}-sue`;
    await publishCandidate(pub, candidate(cam, id, 0));
    await publishCandidate(pub, candidate(cam, id, 1));
    await publishCandidate(pub, candidate(cam, id, 2, { phase: "end", endedAt: new Date().toISOString() }));
    const items = await eventually(async () => {
      const i = await queueFor(id);
      return i.length === 1 && i[0].candidateSeq === 2 ? i : undefined;
    }, "one item at seq 2");
    expect(items[0]).toMatchObject({ phase: "end", state: "candidate", eventCode: "05/01" });
  });

  it("ignores duplicate and out-of-order deliveries without duplicating the item", async () => {
    const id = `${tag}-dup`;
    await publishCandidate(pub, candidate(cam, id, 5));
    await eventually(async () => ((await queueFor(id)).length === 1 ? true : undefined), "first delivery stored");
    const before = (await stats()).stale;
    await publishCandidate(pub, candidate(cam, id, 5)); // duplicate
    await publishCandidate(pub, candidate(cam, id, 3)); // late
    await eventually(async () => ((await stats()).stale >= before + 2 ? true : undefined), "two stale messages counted");
    const items = await queueFor(id);
    expect(items).toHaveLength(1);
    expect(items[0].candidateSeq).toBe(5);
    const record = (await api(be.url, "GET", `/cases/${items[0].id}/record`, { as: "admin" })).body;
    expect(record.entries.filter((e: { action: string }) => e.action.startsWith("candidate.")).length).toBe(1);
  });

  it("rejects and counts malformed, oversized and mismatched payloads, and keeps consuming", async () => {
    const before = (await stats()).rejected;
    await pub.publishAsync(topics.cameraCandidate(cam), "{not json", { qos: 1 });
    await pub.publishAsync(topics.cameraCandidate(cam), JSON.stringify({ schema: "curbwatch.candidate/v1", candidateId: "x" }), { qos: 1 });
    await pub.publishAsync(topics.cameraCandidate(cam), Buffer.alloc(MAX_CANDIDATE_PAYLOAD_BYTES + 10, 0x20), { qos: 1 });
    await pub.publishAsync(topics.cameraCandidate(`${cam}-other`), JSON.stringify(candidate(cam, `${tag}-mismatch`, 0)), { qos: 1 });
    const after = await eventually(async () => {
      const r = (await stats()).rejected;
      return r.total >= before.total + 4 ? r : undefined;
    }, "four rejects counted");
    expect(after.not_json).toBeGreaterThanOrEqual(before.not_json + 1);
    expect(after.schema).toBeGreaterThanOrEqual(before.schema + 1);
    expect(after.oversized).toBeGreaterThanOrEqual(before.oversized + 1);
    expect(after.camera_mismatch).toBeGreaterThanOrEqual(before.camera_mismatch + 1);
    const id = `${tag}-after-bad`;
    await publishCandidate(pub, candidate(cam, id, 0));
    await eventually(async () => ((await queueFor(id)).length === 1 ? true : undefined), "a valid candidate after the bad ones is stored");
    expect((await queueFor(`${tag}-mismatch`)).length).toBe(0);
  });

  it("stores evidence content-addressed, refuses a wrong hash, type or size, links it and records access", async () => {
    const id = `${tag}-evidence`;
    // A real JPEG (evidence content is sniffed and decoded), unique to this run.
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 40, b: Number.parseInt(tag.slice(-2), 36) % 256 } } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { ImageDescription: `evidence ${tag}` } } })
      .toBuffer();
    const put = (hash: string, body: Buffer, headers: Record<string, string> = {}) =>
      fetch(`${be.url}/api/evidence/${hash}`, {
        method: "PUT",
        body: new Uint8Array(body),
        headers: {
          authorization: `Bearer ${edgeToken}`,
          "content-type": "image/jpeg",
          "x-curbwatch-candidate": id,
          "x-curbwatch-camera": cam,
          "x-curbwatch-evidence-kind": "snapshot_start",
          ...headers,
        },
      });
    expect((await put(sha(jpeg), jpeg)).status).toBe(201);
    expect((await put(sha(jpeg), jpeg)).status, "retry is idempotent").toBe(200);
    expect((await put(sha(Buffer.from("other")), jpeg)).status).toBe(422);
    expect((await put(sha(jpeg), jpeg, { "content-type": "text/plain" })).status).toBe(415);
    expect((await put(sha(jpeg), jpeg, { "x-curbwatch-evidence-kind": "selfie" })).status).toBe(400);
    expect((await put("../../etc/passwd", jpeg)).status).toBe(404);

    await publishCandidate(
      pub,
      candidate(cam, id, 0, { evidence: [{ kind: "snapshot_start", sha256: sha(jpeg), bytes: jpeg.length, contentType: "image/jpeg" }] }),
    );
    const [item] = await eventually(async () => {
      const i = await queueFor(id);
      return i.length ? i : undefined;
    }, "candidate with evidence");
    const detail = (await api(be.url, "GET", `/cases/${item.id}`, { as: "op1" })).body;
    expect(detail.evidence).toEqual([expect.objectContaining({ sha256: sha(jpeg), kind: "snapshot_start", uploaded: true })]);
    const file = await fetch(`${be.url}${detail.evidence[0].href}`, { headers: { cookie: await loginAs(be.url, "op1") } });
    expect(file.status).toBe(200);
    expect(sha(Buffer.from(await file.arrayBuffer()))).toBe(sha(jpeg));
    const record = (await api(be.url, "GET", `/cases/${item.id}/record`, { as: "op1" })).body;
    expect(record.entries.map((e: { action: string }) => e.action)).toEqual(["evidence.stored", "candidate.reported", "evidence.accessed"]);
    expect(record.entries[2]).toMatchObject({ actorId: "op1", evidenceSha256: sha(jpeg) });
  });

  it("drives a case through the whole workflow over HTTP, pushing each change over SSE", async () => {
    const id = `${tag}-http`;
    const seen: string[] = [];
    const controller = new AbortController();
    const sse = await fetch(`${be.url}/api/events`, { headers: { cookie: await loginAs(be.url, "op1") }, signal: controller.signal });
    expect(sse.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = sse.body!.getReader();
    const pump = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        for (const m of dec.decode(value).matchAll(/"candidateId":"([^"]+)","action":"([^"]+)"/g)) if (m[1] === id) seen.push(m[2]);
      }
    })();

    await publishCandidate(pub, candidate(cam, id, 0));
    const queue = await eventually(async () => {
      const r = await api(be.url, "GET", `/review-queue?cameraId=${cam}`, { as: "op1" });
      return r.body.items.some((i: { candidateId: string }) => i.candidateId === id) ? r.body : undefined;
    }, "candidate in the review queue");
    const caseId = queue.items.find((i: { candidateId: string }) => i.candidateId === id).id;
    expect((await api(be.url, "POST", `/cases/${caseId}/confirm`, { body: {} })).status, "no actor").toBe(401);
    expect((await api(be.url, "POST", `/cases/${caseId}/confirm`, { as: "off1", body: {} })).status, "officers do not confirm").toBe(403);
    expect((await api(be.url, "POST", `/cases/${caseId}/confirm`, { as: "op1", body: {} })).body.state).toBe("confirmed");
    expect((await api(be.url, "POST", `/cases/${caseId}/confirm`, { as: "op1", body: {} })).status, "confirming twice").toBe(409);
    const dispatched = (await api(be.url, "POST", `/cases/${caseId}/dispatch`, { as: "op1", body: { assigneeId: "off1" } })).body;
    // The party's access code comes once, with the dispatch, for the notice.
    expect(dispatched).toMatchObject({ state: "dispatched", accessCode: expect.stringMatching(/^[A-Z2-9]{10}$/) });
    const early = await api(be.url, "POST", `/cases/${caseId}/outcome`, { as: "off1", body: { outcome: "education" } });
    expect([early.status, early.body.code], "an outcome before accepting the task").toEqual([409, "task_not_accepted"]);
    expect((await api(be.url, "POST", `/cases/${caseId}/accept`, { as: "off1" })).status).toBe(200);
    const noPhoto = await api(be.url, "POST", `/cases/${caseId}/outcome`, { as: "off1", body: { outcome: "education" } });
    expect([noPhoto.status, noPhoto.body.code], "education without a photo of the site").toEqual([422, "officer_photo_required"]);
    const photo = await fetch(`${be.url}/api/cases/${caseId}/photos`, {
      method: "POST",
      headers: { cookie: await loginAs(be.url, "off1"), "content-type": "image/jpeg" },
      body: new Uint8Array(await sitePhoto()),
    });
    expect(photo.status).toBe(201);
    const handled = (await api(be.url, "POST", `/cases/${caseId}/outcome`, { as: "off1", body: { outcome: "education" } })).body;
    expect(handled.outcome.class721).toBe("service");
    expect(handled.accessCode, "the code is issued once").toBeUndefined();
    expect((await api(be.url, "POST", `/cases/${caseId}/verify`, { as: "op1", body: {} })).body.state).toBe("verified");
    expect((await api(be.url, "POST", `/cases/${caseId}/close`, { as: "op1", body: { note: "结案" } })).body.state).toBe("closed");
    expect((await api(be.url, "POST", `/cases/${caseId}/reject`, { as: "op1", body: { reason: "duplicate" } })).body.error).toMatch(
      /cannot reject a case that is closed/,
    );
    await eventually(async () => (seen.includes("close") ? true : undefined), "SSE close event");
    expect(seen).toEqual(["reported", "confirm", "dispatch", "outcome", "verify", "close"]);
    controller.abort();
    await pump;

    const verify = (await api(be.url, "POST", "/audit/verify", { as: "admin" })).body;
    expect(verify.ok, JSON.stringify(verify.firstProblem)).toBe(true);
  });

  it("lists with filters and pagination, and serves an OpenAPI document for every route", async () => {
    const page = (await api(be.url, "GET", `/cases?cameraId=${cam}&state=candidate,closed&code=05/01&limit=2&offset=0`, { as: "op1" })).body;
    expect(page.items.length).toBeLessThanOrEqual(2);
    expect(page.total).toBeGreaterThan(2);
    expect((await api(be.url, "GET", `/cases?state=bogus`, { as: "op1" })).status).toBe(400);
    expect((await api(be.url, "GET", `/cases?street=no-such-street`, { as: "op1" })).body.total).toBe(0);
    const doc = (await api(be.url, "GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    for (const p of ["/cases/{id}/confirm", "/review-queue", "/evidence/{sha256}", "/events", "/cases/{id}/record"])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(doc.paths["/cases/{id}/dispatch"].post.requestBody.content["application/json"].schema.properties.assigneeId).toBeDefined();
    // A route with a response contract documents its answer's shape.
    const camera = doc.paths["/cameras/{id}"].get.responses["200"].content["application/json"].schema;
    expect(camera.properties.hasCredentials).toEqual({ type: "boolean" });
    expect(camera.required).toContain("zoneFocus");
    // Every operation documents its success: a JSON schema, the media types of a file or stream, or 204 without a body.
    const undocumented: string[] = [];
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>,
    ))
      for (const [method, op] of Object.entries(ops)) {
        const [status, ok] = Object.entries(op.responses).find(([s]) => s.startsWith("2")) ?? [];
        const json = ok?.content?.["application/json"];
        const documented =
          status === "204" || (ok?.content !== undefined && (json === undefined ? Object.keys(ok.content).length > 0 : json.schema !== undefined));
        if (!documented) undocumented.push(`${method.toUpperCase()} ${path}`);
      }
    expect(undocumented).toEqual([]);
    expect(doc.paths["/cases/{id}"].get.responses["200"].content["application/json"].schema.properties.state.enum).toContain("dispatched");
    expect(doc.paths["/auth/logout"].post.responses["204"]).toBeDefined();
  });
});
