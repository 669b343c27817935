// Fast tests of edge enrollment and revocation: edges and cameras in memory, time from a fake clock.
import { describe, expect, it } from "vitest";
import { EdgeRegistryService } from "../../src/backend/services/edge-registry.service.ts";
import { DomainError } from "../../src/backend/domain/errors.ts";
import { InMemoryCameras, InMemoryEdges } from "../support/in-memory/cameras-and-edges.ts";
import { FakeClock, HOUR } from "../support/in-memory/clock.ts";

function setup() {
  const clock = new FakeClock();
  const edges = new InMemoryEdges(clock.now);
  const cameras = new InMemoryCameras();
  /** What the broker was told, in order: the policy rewrites and the revoked edges whose sessions were ended. */
  const broker: string[] = [];
  const registry = new EdgeRegistryService(
    edges,
    cameras,
    {
      onCredentialsChanged: async () => {
        broker.push("policy rewritten");
      },
      onRevoked: async (edgeId) => {
        broker.push(`sessions of ${edgeId} ended`);
      },
    },
    clock.now,
  );
  return { clock, edges, cameras, broker, registry };
}

describe("edge registry", () => {
  it("trades a one-time enrollment token for working credentials, once", async () => {
    const { registry, broker } = setup();
    const { enrollmentToken } = await registry.issueEnrollment("edge-1", "Market Street box");
    const creds = await registry.enroll(enrollmentToken);
    expect(creds.mqtt.username).toBe("edge-1");
    expect(broker).toEqual(["policy rewritten"]);
    expect(await registry.edgeForApiToken(creds.apiToken)).toEqual({ id: "edge-1", name: "Market Street box" });
    expect(await registry.verifyMqttLogin("edge-1", creds.mqtt.password)).toBe(true);
    expect(await registry.verifyMqttLogin("edge-1", "not the password")).toBe(false);
    const again = await registry.enroll(enrollmentToken).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DomainError);
    expect((again as DomainError).kind).toBe("unauthenticated");
  });

  it("refuses an enrollment token past its day", async () => {
    const { registry, clock } = setup();
    const { enrollmentToken } = await registry.issueEnrollment("edge-1", "box");
    clock.advance(24 * HOUR + 1);
    await expect(registry.enroll(enrollmentToken)).rejects.toMatchObject({ kind: "unauthenticated" });
  });

  it("new credentials replace the old ones", async () => {
    const { registry } = setup();
    const first = await registry.setCredentials("edge-1");
    const second = await registry.setCredentials("edge-1");
    expect(await registry.edgeForApiToken(first.apiToken)).toBeNull();
    expect(await registry.verifyMqttLogin("edge-1", first.mqtt.password)).toBe(false);
    expect(await registry.edgeForApiToken(second.apiToken)).toMatchObject({ id: "edge-1" });
  });

  it("revoking rewrites the broker policy first, then ends the edge's sessions, and its credentials stop working", async () => {
    const { registry, broker } = setup();
    const creds = await registry.setCredentials("edge-1");
    broker.length = 0;
    await registry.revoke("edge-1");
    expect(broker).toEqual(["policy rewritten", "sessions of edge-1 ended"]);
    expect(await registry.edgeForApiToken(creds.apiToken)).toBeNull();
    expect(await registry.verifyMqttLogin("edge-1", creds.mqtt.password)).toBe(false);
    expect(await registry.brokerPrincipals()).toEqual([]);
    expect((await registry.list()).map((e) => [e.id, e.active])).toEqual([["edge-1", false]]);
  });

  it("revoking an unknown edge is not_found and tells the broker nothing", async () => {
    const { registry, broker } = setup();
    await expect(registry.revoke("ghost")).rejects.toMatchObject({ kind: "not_found" });
    expect(broker).toEqual([]);
  });

  it("lists each active edge's broker hash with its cameras for the Mosquitto files", async () => {
    const { registry, cameras } = setup();
    await registry.setCredentials("edge-1");
    await registry.setCredentials("edge-2");
    await registry.revoke("edge-2");
    for (const [id, edgeId] of [
      ["cam-b", "edge-1"],
      ["cam-a", "edge-1"],
      ["cam-c", "edge-2"],
    ])
      await cameras.save(id, { name: id, streamUrl: null, credentialsSealed: null, edgeId, enabled: true, shopIds: [] });
    const principals = await registry.brokerPrincipals();
    expect(principals.map((p) => [p.edgeId, p.cameraIds.sort()])).toEqual([["edge-1", ["cam-a", "cam-b"]]]);
    expect(principals[0]!.mosquittoHash).toMatch(/^\$7\$/);
  });
});
