import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topics, topicFilters } from "../../src/contracts/topics.ts";
import { renderAclFile, renderPasswordFile } from "../../src/backend/security/mosquitto-acl.ts";
import { startPrivateMosquitto, type PrivateMosquitto } from "../support/mosquitto.ts";

const backend = { username: "curbwatch-backend", password: "backend-secret" };
const edges = [
  { edgeId: "edge-north", password: "north-secret", cameraIds: ["cam-n1"] },
  { edgeId: "edge-south", password: "south-secret", cameraIds: ["cam-s1"] },
];

describe("Mosquitto with the ACL and password files CurbWatch ships", () => {
  let broker: PrivateMosquitto;
  let backendClient: MqttClient;
  const received: string[] = [];

  beforeAll(async () => {
    broker = await startPrivateMosquitto({
      conf: ["allow_anonymous false", "password_file {dir}/passwd", "acl_file {dir}/acl"],
      files: { passwd: renderPasswordFile(backend, edges), acl: renderAclFile(backend, edges) },
    });
    backendClient = await mqtt.connectAsync(broker.url, { ...backend, clientId: "acl-test-backend" });
    backendClient.on("message", (topic) => received.push(topic));
    await backendClient.subscribeAsync([topicFilters.sharedCandidates("acltest"), topicFilters.allEdgeStatus], { qos: 1 });
  });
  afterAll(async () => {
    await backendClient?.endAsync();
    await broker?.stop();
  });

  async function publishAs(edgeId: string, password: string, topic: string) {
    const c = await mqtt.connectAsync(broker.url, { username: edgeId, password, clientId: `acl-${edgeId}-${Date.now()}` });
    try {
      await c.publishAsync(topic, "{}", { qos: 1 });
    } finally {
      await c.endAsync();
    }
  }

  it("delivers what an edge publishes on its own cameras and status", async () => {
    await publishAs("edge-north", "north-secret", topics.cameraCandidate("cam-n1"));
    await publishAs("edge-north", "north-secret", topics.edgeStatus("edge-north"));
    await expect.poll(() => received).toEqual(expect.arrayContaining([topics.cameraCandidate("cam-n1"), topics.edgeStatus("edge-north")]));
  });

  it("drops what an edge publishes on another edge's camera or status", async () => {
    received.length = 0;
    await publishAs("edge-north", "north-secret", topics.cameraCandidate("cam-s1"));
    await publishAs("edge-north", "north-secret", topics.edgeStatus("edge-south"));
    // A message the broker accepted reaches us in milliseconds; a control message proves the path is live.
    await publishAs("edge-south", "south-secret", topics.cameraCandidate("cam-s1"));
    await expect.poll(() => received).toContain(topics.cameraCandidate("cam-s1"));
    expect(received).toEqual([topics.cameraCandidate("cam-s1")]);
  });

  it("refuses a wrong password and anonymous clients", async () => {
    await expect(mqtt.connectAsync(broker.url, { username: "edge-north", password: "guess", reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized|Bad username or password/i,
    );
    await expect(mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/i);
  });

  it("lets an edge read only its own config topic", async () => {
    const c = await mqtt.connectAsync(broker.url, { username: "edge-north", password: "north-secret", clientId: "acl-north-sub" });
    const got: string[] = [];
    c.on("message", (topic) => got.push(topic));
    try {
      // Mosquitto 2 grants the subscription but never delivers what the ACL does not allow to be read.
      await c.subscribeAsync([topics.edgeConfig("edge-north"), topics.edgeConfig("edge-south")], { qos: 1 });
      await backendClient.publishAsync(topics.edgeConfig("edge-south"), '{"for":"south"}', { qos: 1 });
      await backendClient.publishAsync(topics.edgeConfig("edge-north"), '{"for":"north"}', { qos: 1 });
      await expect.poll(() => got).toContain(topics.edgeConfig("edge-north"));
      expect(got).toEqual([topics.edgeConfig("edge-north")]);
    } finally {
      await c.endAsync();
    }
  });

  it("lets only the back end publish commit acks, and each edge read only its own", async () => {
    const north = await mqtt.connectAsync(broker.url, { username: "edge-north", password: "north-secret", clientId: "acl-north-ack" });
    const got: string[] = [];
    north.on("message", (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    try {
      await north.subscribeAsync([topics.edgeAck("edge-north"), topics.edgeAck("edge-south")], { qos: 1 });
      // An edge cannot forge a confirmation (for itself or another edge); another edge's acks never reach it.
      await publishAs("edge-south", "south-secret", topics.edgeAck("edge-north"));
      await publishAs("edge-north", "north-secret", topics.edgeAck("edge-north"));
      await backendClient.publishAsync(topics.edgeAck("edge-south"), '{"for":"south"}', { qos: 1 });
      await backendClient.publishAsync(topics.edgeAck("edge-north"), '{"for":"north"}', { qos: 1 });
      await expect.poll(() => got).toContain(`${topics.edgeAck("edge-north")} {"for":"north"}`);
      expect(got).toEqual([`${topics.edgeAck("edge-north")} {"for":"north"}`]);
    } finally {
      await north.endAsync();
    }
  });
});

describe("Mosquitto with files rendered from stored hashes (what the back end writes at enrollment)", () => {
  it("admits an edge whose password only the $7$ hash in the registry knows, and the back end on the replica topic", async () => {
    const { mosquittoPasswordHash, renderPasswordFileFromHashes } = await import("../../src/backend/security/mosquitto-acl.ts");
    const edge = { edgeId: "edge-hash", mosquittoHash: mosquittoPasswordHash("hash-only-secret"), cameraIds: ["cam-h1"] };
    const broker = await startPrivateMosquitto({
      conf: ["allow_anonymous false", "password_file {dir}/passwd", "acl_file {dir}/acl"],
      files: {
        passwd: renderPasswordFileFromHashes(backend, [edge]),
        acl: renderAclFile(backend, [{ edgeId: edge.edgeId, password: "", cameraIds: edge.cameraIds }]),
      },
    });
    try {
      const be = await mqtt.connectAsync(broker.url, { ...backend, clientId: "hash-backend" });
      const got: string[] = [];
      be.on("message", (t) => got.push(t));
      await be.subscribeAsync([topics.cameraCandidate("cam-h1"), "curbwatch/v1/backend/g/changes"], { qos: 1 });
      const c = await mqtt.connectAsync(broker.url, { username: "edge-hash", password: "hash-only-secret", clientId: "hash-edge" });
      await c.publishAsync(topics.cameraCandidate("cam-h1"), "{}", { qos: 1 });
      await be.publishAsync("curbwatch/v1/backend/g/changes", "{}", { qos: 1 });
      await expect.poll(() => got.sort()).toEqual(["curbwatch/v1/backend/g/changes", topics.cameraCandidate("cam-h1")].sort());
      await c.endAsync();
      await be.endAsync();
    } finally {
      await broker.stop();
    }
  });
});
