import { z } from "zod";

/**
 * The whole process configuration, defaults stated once. Every command reads it
 * through `loadConfig`, so a bad value stops start-up with the key that is wrong.
 */
export const configSchema = z
  .object({
    /** Root for embedded database, evidence, outbox and segment buffers. */
    dataDir: z.string().min(1).default("./data"),
    server: z
      .object({
        host: z.string().min(1).default("0.0.0.0"),
        port: z.coerce.number().int().min(0).max(65535).default(8080),
      })
      .default({ host: "0.0.0.0", port: 8080 }),
    database: z
      .object({
        /** postgresql://… for a real server; absent = embedded PGlite under dataDir. */
        url: z.string().regex(/^postgres(ql)?:\/\//, "must start with postgresql://").optional(),
        poolSize: z.coerce.number().int().min(1).max(200).default(10),
      })
      .default({ poolSize: 10 }),
    mqtt: z
      .object({
        /** mqtt://host:port of a real broker; absent = embedded aedes broker. */
        url: z.string().regex(/^mqtts?:\/\/|^wss?:\/\//, "must start with mqtt://, mqtts://, ws:// or wss://").optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        embeddedHost: z.string().default("127.0.0.1"),
        /** 1884, not 1883, so it never collides with a Mosquitto already on the host. */
        embeddedPort: z.coerce.number().int().min(0).max(65535).default(1884),
        sharedGroup: z.string().regex(/^[A-Za-z0-9_-]+$/).default("backend"),
      })
      .default({ embeddedHost: "127.0.0.1", embeddedPort: 1884, sharedGroup: "backend" }),
    evidence: z
      .object({
        dir: z.string().optional(),
        maxUploadBytes: z.coerce.number().int().positive().default(64 * 1024 * 1024),
      })
      .default({ maxUploadBytes: 64 * 1024 * 1024 }),
    edge: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - (max 64)").default("edge-1"),
        /** A local edge-config file (standalone mode); otherwise config arrives over MQTT. */
        configFile: z.string().optional(),
        backendUrl: z.string().url().default("http://127.0.0.1:8080"),
        /** Enrollment token the edge presents to the back end (issue 6). */
        token: z.string().optional(),
        outboxLimitMb: z.coerce.number().positive().default(512),
        segmentLimitMb: z.coerce.number().positive().default(2048),
        modelsDir: z.string().default("./models"),
        detectorThreads: z.coerce.number().int().min(1).max(64).default(2),
        executionProvider: z.enum(["cpu", "cuda"]).default("cpu"),
      })
      .default({
        id: "edge-1",
        backendUrl: "http://127.0.0.1:8080",
        outboxLimitMb: 512,
        segmentLimitMb: 2048,
        modelsDir: "./models",
        detectorThreads: 2,
        executionProvider: "cpu",
      }),
    demo: z
      .object({
        enabled: z.coerce.boolean().default(true),
        /** Video for the demo camera; default: opencv-doc's vtest.avi fetched at install. */
        clip: z.string().optional(),
      })
      .default({ enabled: true }),
    log: z
      .object({ level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") })
      .default({ level: "info" }),
    security: z
      .object({
        /** 32-byte key (hex or base64) for encrypting camera credentials at rest. */
        secretKey: z.string().optional(),
      })
      .default({}),
  })
  .strict();

export type CurbWatchConfig = z.infer<typeof configSchema>;

/** Environment variables that override a config key, documented in the README. */
export const envOverrides: Record<string, string> = {
  CURBWATCH_DATA_DIR: "dataDir",
  HOST: "server.host",
  PORT: "server.port",
  DATABASE_URL: "database.url",
  DATABASE_POOL_SIZE: "database.poolSize",
  MQTT_URL: "mqtt.url",
  MQTT_USERNAME: "mqtt.username",
  MQTT_PASSWORD: "mqtt.password",
  MQTT_EMBEDDED_PORT: "mqtt.embeddedPort",
  EVIDENCE_DIR: "evidence.dir",
  EVIDENCE_MAX_UPLOAD_BYTES: "evidence.maxUploadBytes",
  EDGE_ID: "edge.id",
  EDGE_CONFIG_FILE: "edge.configFile",
  BACKEND_URL: "edge.backendUrl",
  EDGE_TOKEN: "edge.token",
  DETECTOR_THREADS: "edge.detectorThreads",
  DETECTOR_EXECUTION_PROVIDER: "edge.executionProvider",
  MODELS_DIR: "edge.modelsDir",
  DEMO_ENABLED: "demo.enabled",
  DEMO_CLIP: "demo.clip",
  LOG_LEVEL: "log.level",
  CURBWATCH_SECRET_KEY: "security.secretKey",
};
