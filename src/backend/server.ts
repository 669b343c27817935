import http from "node:http";
import path from "node:path";
import type { CurbWatchConfig } from "../config/schema.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../broker/embedded-broker.ts";
import { connectMqtt, endMqtt } from "../shared/mqtt-connection.ts";
import { FleetMonitor } from "./mqtt/fleet-monitor.ts";
import { openDatabase } from "./db/database.ts";
import { HealthService } from "./services/health.service.ts";
import { healthController } from "./controllers/health.controller.ts";
import { RequestRateLimit } from "./http/request-rate-limit.ts";
import { createApp } from "./app.ts";
import { webConsole } from "./web-console.ts";
import type { Logger } from "../shared/logger.ts";
import { VERSION } from "../shared/version.ts";
import { BackendBrokerAccess } from "./security/backend-broker-access.ts";
import { IntakeHealth } from "./ingest/intake-health.ts";
import { backendGraph } from "./composition-root.ts";

import type { BackendContext, BackendModule, BackendModuleFactory } from "./backend-context.ts";

export type { BackendContext, BackendModule, BackendModuleFactory } from "./backend-context.ts";

export interface RunningBackend {
  url: string;
  port: number;
  brokerUrl: string;
  ctx: BackendContext;
  close(): Promise<void>;
}

export async function startBackend(config: CurbWatchConfig, log: Logger, modules: BackendModuleFactory[] = []): Promise<RunningBackend> {
  let broker: EmbeddedBroker | null = null;
  let brokerAccess: BackendBrokerAccess | null = null;
  let brokerUrl = config.mqtt.url;
  if (!brokerUrl) {
    // The embedded broker admits nobody anonymously: the back end's own connections use a
    // per-process secret, edges the credentials from enrollment.
    brokerAccess = new BackendBrokerAccess();
    broker = await startEmbeddedBroker({ host: config.mqtt.embeddedHost, port: config.mqtt.embeddedPort, log, access: brokerAccess });
    brokerUrl = broker.url;
    brokerAccess.disconnectEdge = (edgeId) => broker!.disconnectEdge(edgeId);
    config = { ...config, mqtt: { ...config.mqtt, username: brokerAccess.backendUser, password: brokerAccess.backendPassword } };
  }

  const db = await openDatabase({
    url: config.database.url,
    pgliteDir: path.join(config.dataDir, "pglite"),
    poolSize: config.database.poolSize,
    // The intake's batch transactions, one connection per writer in flight.
    rawPoolSize: config.ingest.writers + 1,
    log,
  });

  const mqtt = connectMqtt({
    url: brokerUrl,
    clientId: `curbwatch-backend-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    username: config.mqtt.username,
    password: config.mqtt.password,
    clean: true,
    log,
  });
  const fleet = new FleetMonitor(mqtt, log);
  await fleet.start();

  const ctx: BackendContext = { config, log, db, mqtt, fleet, brokerUrl, embeddedBroker: broker !== null, brokerAccess };
  const loaded: BackendModule[] = [];
  for (const factory of modules) loaded.push(await factory(ctx));

  const health = new HealthService(
    db,
    mqtt,
    fleet,
    { url: brokerUrl, embedded: broker !== null },
    VERSION,
    new IntakeHealth(backendGraph(ctx).repositories.deadLetterReads, backendGraph(ctx).ingestStats),
  );
  const app = createApp({
    log,
    // Health after the modules: the people module's first router identifies the caller, and health shows staff more.
    api: [...loaded.flatMap((m) => m.routes ?? []), healthController(health, new RequestRateLimit(config.security.healthRequestsPerMinute))],
    web: webConsole(),
    trustProxy: config.server.trustProxy,
  });
  for (const m of loaded) await m.start?.();

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`cannot listen on ${config.server.host}:${config.server.port}: port in use (set PORT)`) : err),
    );
    server.listen(config.server.port, config.server.host, resolve);
  });
  const port = (server.address() as import("node:net").AddressInfo).port;
  const url = `http://${config.server.host === "0.0.0.0" ? "127.0.0.1" : config.server.host}:${port}`;
  log.info({ url, database: db.kind, broker: brokerUrl }, "back end listening");

  return {
    url,
    port,
    brokerUrl,
    ctx,
    async close() {
      // Stop taking requests first, then stop consumers, then the stores they write to.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      for (const m of [...loaded].reverse()) await m.stop?.();
      await endMqtt(mqtt);
      // A statement stuck behind a lock would hold the pool open; the process exiting drops the
      // connection and PostgreSQL rolls the transaction back, so the wait is bounded.
      const closed = await Promise.race([db.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref())]);
      if (!closed) log.warn("database connections still busy after 3 s; leaving them to close with the process");
      await broker?.close();
    },
  };
}
