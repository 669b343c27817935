import type { Router } from "express";
import type { MqttClient } from "mqtt";
import type { CurbWatchConfig } from "../config/schema.ts";
import type { Logger } from "../shared/logger.ts";
import type { Database } from "./db/database.ts";
import type { FleetMonitor } from "./mqtt/fleet-monitor.ts";
import type { BackendBrokerAccess } from "./security/backend-broker-access.ts";

/** What every feature module of one running back end is built from. */
export interface BackendContext {
  config: CurbWatchConfig;
  log: Logger;
  db: Database;
  mqtt: MqttClient;
  fleet: FleetMonitor;
  /** URL edge workers should use for the broker. */
  brokerUrl: string;
  embeddedBroker: boolean;
  /** The embedded broker's access policy (null with an external broker, which has its own ACL files). */
  brokerAccess: BackendBrokerAccess | null;
}

/** Feature modules (ingest, cases, users…) plug in here: routes plus anything to start and stop. */
export interface BackendModule {
  name: string;
  routes?: Router[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type BackendModuleFactory = (ctx: BackendContext) => BackendModule | Promise<BackendModule>;
