import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../src/broker/embedded-broker.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { MOSQUITTO_URL, mosquittoAvailable } from "../support/services.ts";

/** A QoS 1 message published by one client reaches a subscriber, with QoS 1 kept. */
async function qos1RoundTrip(url: string) {
  const topic = `curbwatch/v1/test/${process.pid}/${Date.now()}`;
  const sub = await mqtt.connectAsync(url, { clientId: `t-sub-${process.pid}-${Date.now()}` });
  const pub = await mqtt.connectAsync(url, { clientId: `t-pub-${process.pid}-${Date.now()}` });
  try {
    await sub.subscribeAsync(topic, { qos: 1 });
    const got = new Promise<{ payload: string; qos: number }>((resolve) =>
      sub.on("message", (_t, payload, packet) => resolve({ payload: payload.toString(), qos: packet.qos })),
    );
    const ack = await pub.publishAsync(topic, JSON.stringify({ hello: "街面秩序" }), { qos: 1 });
    expect(ack?.cmd).toBe("publish");
    const msg = await got;
    expect(JSON.parse(msg.payload)).toEqual({ hello: "街面秩序" });
    expect(msg.qos).toBe(1);
  } finally {
    await sub.endAsync();
    await pub.endAsync();
  }
}

describe("embedded broker (aedes)", () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, log: createLogger("test", "silent") });
  });
  afterAll(async () => broker?.close());

  it("delivers a QoS 1 message to a subscriber", async () => {
    await qos1RoundTrip(broker.url);
  });

  it("refuses to start on a port that is taken, naming the port", async () => {
    await expect(startEmbeddedBroker({ host: "127.0.0.1", port: broker.port, log: createLogger("test", "silent") })).rejects.toThrow(
      new RegExp(`127.0.0.1:${broker.port}: port in use`),
    );
  });
});

describe.runIf(mosquittoAvailable())("real Mosquitto", () => {
  it("delivers a QoS 1 message to a subscriber", async () => {
    await qos1RoundTrip(MOSQUITTO_URL);
  });
});
