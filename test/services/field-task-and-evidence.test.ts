import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { OFFICER_PHOTO_KIND } from "../../src/backend/services/field-task.service.ts";
import { DAY, officer, officer2, operator, refusal, sha256Of, workflowWorld } from "./workflow-world.ts";

describe("field tasks: accepting and on-site photos (in memory)", () => {
  it("lets only the assignee of a dispatched task accept it or add photos", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    const confirmed = await w.caseIn("confirmed");
    const photo = () => Readable.from([Buffer.from("jpeg bytes")]);
    expect((await refusal(w.tasks.accept(c.id, officer2))).kind).toBe("forbidden");
    expect((await refusal(w.tasks.addPhoto(c.id, officer2, "image/jpeg", photo()))).kind).toBe("forbidden");
    expect((await refusal(w.tasks.accept(confirmed.id, officer))).kind).toBe("forbidden");
    expect((await refusal(w.tasks.accept("nope", officer))).kind).toBe("not_found");
    expect(w.files.files.size).toBe(0);
    expect(w.store.recordOf(c.id).map((e) => e.action)).not.toContain("task.accepted");
  });

  it("stores a photo under its hash, links it to the case and records who added it", async () => {
    const w = workflowWorld();
    const c = await w.caseIn("dispatched");
    const body = Buffer.from("a small photo");
    const r = await w.tasks.addPhoto(c.id, officer, "image/jpeg", Readable.from([body]));
    expect(r).toEqual({ sha256: sha256Of(body), bytes: body.length, kind: OFFICER_PHOTO_KIND });
    expect(w.files.files.get(r.sha256)).toEqual(body);
    expect(w.store.linksOf(c.candidateId)).toEqual([
      { candidateId: c.candidateId, sha256: r.sha256, kind: OFFICER_PHOTO_KIND, bytes: body.length, contentType: "image/jpeg" },
    ]);
    expect(w.store.recordOf(c.id).at(-1)).toMatchObject({ action: "evidence.stored", actorId: "off1", evidenceSha256: r.sha256 });
    expect(await refusal(w.tasks.addPhoto(c.id, officer, "image/jpeg", Readable.from([])))).toEqual({ kind: "invalid", code: "invalid_request" });
    expect((await refusal(w.tasks.addPhoto(c.id, officer, "image/jpeg", Readable.from([Buffer.alloc(2048)])))).kind).toBe("too_large");
  });
});

describe("evidence: uploads, recorded access, retention (in memory)", () => {
  const upload = (w: ReturnType<typeof workflowWorld>, candidateId: string, cameraId: string, body: Buffer) =>
    w.evidence.upload({ sha256: sha256Of(body), candidateId, cameraId, kind: "snapshot_start", contentType: "image/jpeg", body: Readable.from([body]) });

  it("takes a case's evidence only from its own camera, and records a retried upload once", async () => {
    const w = workflowWorld();
    const c = w.store.addCase({ cameraId: "cam-1" });
    const body = Buffer.from("snapshot");
    expect((await refusal(upload(w, c.candidateId, "cam-2", body))).kind).toBe("forbidden");
    expect(w.files.exists(sha256Of(body))).toBe(false);
    expect(await upload(w, c.candidateId, "cam-1", body)).toMatchObject({ stored: "created", status: 201 });
    expect(await upload(w, c.candidateId, "cam-1", body)).toMatchObject({ stored: "existing", status: 200 });
    expect(w.store.recordOf(c.id).filter((e) => e.action === "evidence.stored")).toHaveLength(1);
    expect(w.store.linksOf(c.candidateId)).toHaveLength(1);
  });

  it("opens a merged case's evidence through the case it was merged into, and records the access", async () => {
    const w = workflowWorld();
    const source = w.store.addCase();
    const body = Buffer.from("merged evidence");
    await upload(w, source.candidateId, source.cameraId, body);
    const target = await w.caseIn("confirmed");
    await w.wf.merge(source.id, operator, { intoCaseId: target.id });
    const file = await w.evidence.access(target.id, sha256Of(body), operator);
    expect(file).toEqual({ path: w.files.pathOf(sha256Of(body)), contentType: "image/jpeg", bytes: body.length });
    expect(w.store.recordOf(target.id).at(-1)).toMatchObject({ action: "evidence.accessed", actorId: "op1", evidenceSha256: sha256Of(body) });
    const unrelated = await w.caseIn("confirmed");
    expect((await refusal(w.evidence.access(unrelated.id, sha256Of(body), operator))).kind).toBe("not_found");
  });

  it("removes old evidence of finished cases only", async () => {
    const w = workflowWorld();
    const rejected = w.store.addCase();
    const open = w.store.addCase();
    const [old, kept] = [Buffer.from("old rejected"), Buffer.from("old open")];
    await upload(w, rejected.candidateId, rejected.cameraId, old);
    await upload(w, open.candidateId, open.cameraId, kept);
    await w.wf.reject(rejected.id, operator, { reason: "wrong_object" });
    w.advance(40 * DAY);
    expect(await w.evidence.purgeExpired(30)).toBe(1);
    expect(w.files.exists(sha256Of(old))).toBe(false);
    expect(w.store.hasEvidence(sha256Of(old))).toBe(false);
    expect(w.files.exists(sha256Of(kept))).toBe(true);
    expect(w.store.record().filter((e) => e.action === "evidence.purged")).toMatchObject([{ chain: rejected.candidateId, actorId: "system:retention" }]);
  });
});
