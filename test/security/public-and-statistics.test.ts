import fs from "node:fs";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBackend } from "../../src/backend/server.ts";
import { EvidenceStore } from "../../src/backend/services/evidence-store.ts";
import { testdata } from "../support/paths.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { api, runTag, startTestBackend, testConfig } from "../backend/backend-harness.ts";
import { addPeople, reportCandidate } from "../backend/case-fixtures.ts";

const photo = testdata("streetcam/muenster-2018-03-20T19-25-26_0000.jpg");
const personBox: [number, number, number, number] = [0.4, 0.3, 0.6, 0.9];

/** Fine detail inside the person's box: mean absolute difference of neighbouring grey pixels. */
async function boxStdev(jpeg: Buffer): Promise<number> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  const px = await sharp(jpeg)
    .extract({ left: Math.floor(0.42 * width), top: Math.floor(0.35 * height), width: Math.floor(0.16 * width), height: Math.floor(0.5 * height) })
    .greyscale()
    .raw()
    .toBuffer();
  let sum = 0;
  for (let i = 1; i < px.length; i++) sum += Math.abs(px[i] - px[i - 1]);
  return sum / px.length;
}

describe.runIf(postgresAvailable())("public case look-up and statistics", () => {
  let be: RunningBackend;
  let drop: () => Promise<void>;
  const tag = runTag();

  beforeAll(async () => {
    const t = await createTestDatabase("cw_public");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, group: tag }));
    await addPeople(be.ctx.db);
    await api(be.url, "PUT", "/users/op1", { as: "admin", body: { name: "坐席一", role: "operator", password: testPassword("op1") } });
    await api(be.url, "PUT", "/users/off1", { as: "admin", body: { name: "队员一", role: "officer", password: testPassword("off1") } });
  });
  afterAll(async () => {
    await be?.close();
    await drop?.();
  });

  it("lists only published cameras, with what they watch and nothing internal", async () => {
    const zones = [
      {
        id: "z1",
        polygon: [
          [0.1, 0.1],
          [0.9, 0.1],
          [0.9, 0.9],
        ],
        rules: [{ id: "v", kind: "street_vending", eventCode: { major: "05", minor: "01" } }],
      },
    ];
    await api(be.url, "PUT", "/cameras/cam-pub", {
      as: "admin",
      body: {
        name: "人民路口",
        street: "人民路",
        address: "人民路 1 号",
        lat: 31.2,
        lng: 121.4,
        locationPublishedAt: "2026-01-01T00:00:00Z",
        streamUrl: "rtsp://u:p4ss-word@10.0.0.1/s",
        zones,
      },
    });
    await api(be.url, "PUT", "/cameras/cam-hidden", { as: "admin", body: { name: "未公布", zones } });
    const r = await api(be.url, "GET", "/public/cameras");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual([expect.objectContaining({ name: "人民路口", street: "人民路", watches: [{ code: "05/01", name: expect.any(String) }] })]);
    expect(JSON.stringify(r.body)).not.toMatch(/rtsp|10\.0\.0\.1|p4ss|edgeId/);
  });

  it("shows a party the facts with people blurred and takes their statement into the record", async () => {
    const png = fs.readFileSync(photo);
    const jpeg = await sharp(png).jpeg().toBuffer();
    const sha = createHash("sha256").update(jpeg).digest("hex");
    const caseId = await reportCandidate(be.ctx.db, {
      cameraId: "cam-pub",
      objects: [{ trackId: 1, label: "person", role: "person", score: 0.9, box: personBox }],
      evidence: [{ kind: "snapshot_start", sha256: sha, bytes: jpeg.length, contentType: "image/jpeg" }],
    });
    const c = await be.ctx.db.prisma.case.findUniqueOrThrow({ where: { id: caseId } });
    await new EvidenceStore(be.ctx.config.evidence.dir!, 1e8).put(sha, Readable.from(jpeg));
    await be.ctx.db.prisma.evidence.upsert({ where: { sha256: sha }, create: { sha256: sha, bytes: jpeg.length, contentType: "image/jpeg" }, update: {} });
    expect(await be.ctx.db.prisma.evidenceLink.count({ where: { candidateId: c.candidateId } }), "the candidate names its snapshot").toBe(1);

    expect((await api(be.url, "POST", `/cases/${caseId}/access-code`, { as: "op1" })).status, "a candidate has no party yet").toBe(409);
    await api(be.url, "POST", `/cases/${caseId}/confirm`, { as: "op1", body: {} });
    await api(be.url, "POST", `/cases/${caseId}/notes`, { as: "op1", body: { text: "INTERNAL: suspect known to team" } });
    const issued = (await api(be.url, "POST", `/cases/${caseId}/access-code`, { as: "op1" })).body;
    expect(issued.accessCode).toMatch(/^[A-Z2-9]{10}$/);

    const wrong = await api(be.url, "POST", "/public/cases/lookup", { body: { caseNumber: issued.caseNumber, accessCode: "AAAAAAAAAA" } });
    const noCase = await api(be.url, "POST", "/public/cases/lookup", { body: { caseNumber: "CW-999999", accessCode: issued.accessCode } });
    expect([wrong.status, noCase.status]).toEqual([404, 404]);
    expect(wrong.body).toEqual(noCase.body);

    const view = await api(be.url, "POST", "/public/cases/lookup", { body: { caseNumber: issued.caseNumber, accessCode: issued.accessCode } });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ caseNumber: issued.caseNumber, violation: { code: "05/01" }, place: { street: "人民路" }, snapshotAvailable: true });
    expect(JSON.stringify(view.body)).not.toMatch(/INTERNAL|op1|坐席|confirmedBy|assignee/);

    const snap = await fetch(`${be.url}/api/public/cases/snapshot`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ caseNumber: issued.caseNumber, accessCode: issued.accessCode }),
    });
    expect(snap.headers.get("content-type")).toBe("image/jpeg");
    const blurred = Buffer.from(await snap.arrayBuffer());
    expect(await boxStdev(blurred), "the person's box carries almost no detail").toBeLessThan((await boxStdev(jpeg)) / 3);

    const st = await api(be.url, "POST", "/public/cases/statement", {
      body: { caseNumber: issued.caseNumber, accessCode: issued.accessCode, text: "我当时只是在等人，不是摆摊。", contact: "138-0000-0000" },
    });
    expect(st.status).toBe(201);
    const record = (await api(be.url, "GET", `/cases/${caseId}/record`, { as: "op1" })).body;
    expect(record.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["case.note", "case.access_code_issued", "party.statement"]),
    );
    expect(JSON.stringify(record)).not.toContain(issued.accessCode);
    expect(await be.ctx.db.prisma.partyStatement.count({ where: { caseId } })).toBe(1);
  });

  it("counts candidates, confirmations, rejections by reason, times, overdue, outcomes and the 721 split as the rows say", async () => {
    const p = be.ctx.db.prisma;
    const t0 = new Date("2026-11-10T02:00:00Z");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await reportCandidate(be.ctx.db, { cameraId: "cam-stats" }));
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    await p.case.updateMany({ where: { id: { in: ids } }, data: { createdAt: t0 } });
    await p.case.update({ where: { id: ids[0] }, data: { state: "rejected", rejectReason: "false_detection" } });
    await p.case.update({ where: { id: ids[1] }, data: { state: "rejected", rejectReason: "false_detection" } });
    await p.case.update({ where: { id: ids[2] }, data: { state: "rejected", rejectReason: "duplicate" } });
    await p.case.update({
      where: { id: ids[3] },
      data: { state: "closed", confirmedAt: at(10), dispatchedAt: at(20), closedAt: at(100), outcome: "education", class721: "service" },
    });
    await p.case.update({
      where: { id: ids[4] },
      data: {
        state: "closed",
        confirmedAt: at(30),
        dispatchedAt: at(40),
        closedAt: at(200),
        outcome: "file_case",
        class721: "enforcement",
        overdueAt: at(150),
      },
    });
    const q = `from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z`;
    const r = await api(be.url, "GET", `/statistics?${q}&by=camera`, { as: "op1" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const g = r.body.groups.find((x: { group: string }) => x.group === "cam-stats");
    expect(g).toMatchObject({
      candidates: 6,
      confirmed: 2,
      rejected: 3,
      rejectedByReason: { false_detection: 2, duplicate: 1 },
      falsePositiveRate: 0.6,
      timeToConfirm: { count: 2, medianMinutes: 10, p90Minutes: 30 },
      timeToDispatch: { count: 2, medianMinutes: 20, p90Minutes: 40 },
      timeToClose: { count: 2, medianMinutes: 100, p90Minutes: 200 },
      overdue: 1,
      outcomes: { education: 1, file_case: 1 },
      split721: { service: 1, management: 0, enforcement: 1 },
    });
    const csv = await fetch(`${be.url}/api/statistics?${q}&by=day&format=csv`, { headers: { cookie: await loginAs(be.url, "op1") } });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const [header, row] = (await csv.text()).trim().split("\r\n");
    expect(header.split(",").slice(0, 5)).toEqual(["day", "candidates", "confirmed", "rejected", "false_positive_rate"]);
    expect(row.split(",").slice(0, 5)).toEqual(["2026-11-10", "6", "2", "3", "0.6"]);
    expect((await api(be.url, "GET", `/statistics?${q}`, { as: "off1" })).status, "officers do not see statistics").toBe(403);
  });
});
