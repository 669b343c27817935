import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "./logger.ts";

export interface MqttConnectOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Persistent session so QoS 1 messages queued while we were away are delivered on return. */
  clean?: boolean;
  will?: IClientOptions["will"];
  log: Logger;
}

/** An mqtt.js client that reconnects forever and logs state changes once, not per retry. */
export function connectMqtt(opts: MqttConnectOptions): MqttClient {
  const client = mqtt.connect(opts.url, {
    clientId: opts.clientId,
    username: opts.username,
    password: opts.password,
    clean: opts.clean ?? false,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    keepalive: 30,
    will: opts.will,
  });
  let wasConnected = false;
  client.on("connect", () => {
    wasConnected = true;
    opts.log.info({ url: opts.url, clientId: opts.clientId }, "mqtt connected");
  });
  client.on("close", () => {
    if (wasConnected) opts.log.warn({ url: opts.url }, "mqtt connection lost; reconnecting");
    wasConnected = false;
  });
  client.on("error", (err) => opts.log.debug({ err: err.message }, "mqtt error"));
  return client;
}

export function endMqtt(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.end(false, {}, () => resolve()));
}
