import net from "node:net";
import { z } from "zod";

const namedProxyRanges = new Set(["loopback", "linklocal", "uniquelocal"]);

/** What Express's `trust proxy` accepts: an address, address/prefix, or one of its named ranges. */
function isProxyAddress(s: string): boolean {
  if (namedProxyRanges.has(s)) return true;
  const [ip, prefix, extra] = s.split("/");
  const family = net.isIP(ip);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const n = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

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
        /** WebSocket port of the live-view relay; 0 = any free port. */
        livePort: z.coerce.number().int().min(0).max(65535).default(0),
        /**
         * Reverse proxies whose X-Forwarded-For is believed (addresses, CIDRs, or Express's
         * names loopback / linklocal / uniquelocal); comma-separated from the environment.
         * Empty = none: the client IP that lockouts and rate limits see is the socket's peer.
         */
        trustProxy: z
          .preprocess(
            (v) =>
              typeof v === "string"
                ? v
                    .split(",")
                    .map((s) => s.trim())
                    .filter(Boolean)
                : v,
            z.array(z.string().refine(isProxyAddress, "an IP address, a CIDR, or loopback / linklocal / uniquelocal")),
          )
          .default([]),
      })
      .prefault({}),
    database: z
      .object({
        /** postgresql://… for a real server; absent = embedded PGlite under dataDir. */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, "must start with postgresql://")
          .optional(),
        poolSize: z.coerce.number().int().min(1).max(200).default(10),
      })
      .prefault({}),
    mqtt: z
      .object({
        /** mqtt://host:port of a real broker; absent = embedded aedes broker. */
        url: z
          .string()
          .regex(/^mqtts?:\/\/|^wss?:\/\//, "must start with mqtt://, mqtts://, ws:// or wss://")
          .optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        embeddedHost: z.string().default("127.0.0.1"),
        /** 1884, not 1883, so it never collides with a Mosquitto already on the host. */
        embeddedPort: z.coerce.number().int().min(0).max(65535).default(1884),
        sharedGroup: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default("backend"),
        /**
         * Stable MQTT client id prefix of this back-end replica's ingest sessions (persistent,
         * clean=false), so QoS 1 candidates queued while it was down arrive when it returns.
         * Default: curbwatch-ingest-<hostname>-<port>; give each replica its own.
         */
        ingestClientId: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,100}$/)
          .optional(),
      })
      .prefault({}),
    ingest: z
      .object({
        /** Parallel MQTT sessions per replica; each is limited by the broker's in-flight window (Mosquitto: 20). */
        connections: z.coerce.number().int().min(1).max(32).default(4),
        /** A batch is written when it holds this many messages… */
        batchMaxMessages: z.coerce.number().int().min(1).max(5000).default(400),
        /** …or when its oldest message has waited this long. */
        batchMaxWaitMs: z.coerce.number().int().min(0).max(1000).default(5),
        /** Batches committing at once; messages of one candidate are never in two of them. */
        writers: z.coerce.number().int().min(1).max(8).default(3),
      })
      .prefault({}),
    cases: z
      .object({
        /** 首违不罚 look-back period (Art. 33 行政处罚法). */
        firstViolationLookbackDays: z.coerce.number().int().min(1).max(3650).default(365),
        /** This many violations of one subject inside the look-back period flag it as repeated. */
        repeatedThreshold: z.coerce.number().int().min(2).max(100).default(3),
        /** How often overdue cases are flagged. */
        overdueSweepSeconds: z.coerce.number().int().min(1).max(3600).default(30),
      })
      .prefault({}),
    audit: z
      .object({
        /** Every this many seconds the heads of all chains that moved are anchored into the global chain. */
        anchorIntervalSeconds: z.coerce.number().int().min(1).max(86_400).default(60),
      })
      .prefault({}),
    evidence: z
      .object({
        dir: z.string().optional(),
        maxUploadBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(64 * 1024 * 1024),
        /** Evidence of closed/rejected cases older than this is removed; evidence of an open case never is. */
        retentionDays: z.coerce.number().int().min(1).default(180),
        retentionSweepMinutes: z.coerce.number().int().min(1).default(60),
      })
      .prefault({}),
    edge: z
      .object({
        id: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - (max 64)")
          .default("edge-1"),
        /** A local edge-config file (standalone mode); otherwise config arrives over MQTT. */
        configFile: z.string().optional(),
        backendUrl: z.string().url().default("http://127.0.0.1:8080"),
        /** Enrollment token the edge presents to the back end. */
        token: z.string().optional(),
        outboxLimitMb: z.coerce.number().positive().default(512),
        segmentLimitMb: z.coerce.number().positive().default(2048),
        modelsDir: z.string().default("./models"),
        detectorThreads: z.coerce.number().int().min(1).max(64).default(2),
        executionProvider: z.enum(["cpu", "cuda"]).default("cpu"),
      })
      .prefault({}),
    demo: z
      .object({
        enabled: z.coerce.boolean().default(true),
        /** Video for the demo camera; default: opencv-doc's vtest.avi fetched at install. */
        clip: z.string().optional(),
      })
      .prefault({}),
    log: z.object({ level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") }).prefault({}),
    security: z
      .object({
        /**
         * 32-byte key (hex or base64) for encrypting camera credentials at rest. Absent = a
         * key generated once into <dataDir>/secret.key (mode 0600) — fine for a demo, not for
         * production, where the key must live apart from the database and its backups.
         */
        secretKey: z.string().optional(),
        /** Headless first start: the initial administrator's password (instead of a printed one-time one); it must be changed at first login… */
        initialAdminPassword: z.string().min(12, "at least 12 characters").optional(),
        /** …unless this is true (automation that cannot change it). */
        initialAdminPasswordPermanent: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() === "true" : v), z.boolean()).default(false),
        sessionIdleMinutes: z.coerce
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(30),
        sessionAbsoluteHours: z.coerce
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(12),
        /** Failed logins (per username and per IP) before the backoff starts. */
        loginFreeFailures: z.coerce.number().int().min(1).max(100).default(5),
        /** First lockout; doubles with every further failure up to loginMaxLockSeconds. */
        loginBaseLockSeconds: z.coerce.number().int().min(1).max(3600).default(30),
        loginMaxLockSeconds: z.coerce.number().int().min(1).max(86_400).default(900),
        /** Requests per minute per IP on the public (no-login) endpoints. */
        publicRequestsPerMinute: z.coerce.number().int().min(1).max(100_000).default(30),
        /** Requests per minute per IP on GET /api/health (probes poll every few seconds). */
        healthRequestsPerMinute: z.coerce.number().int().min(1).max(100_000).default(120),
        /** When set (Mosquitto deployments), the back end writes `passwd` and `acl` here from the registry. */
        mosquittoFilesDir: z.string().optional(),
        /** "uid:gid" to own the written files: Mosquitto reads them as its own user (1883:1883 in eclipse-mosquitto). */
        mosquittoFilesOwner: z
          .string()
          .regex(/^\d+:\d+$/, "uid:gid, e.g. 1883:1883")
          .optional(),
        /** Mosquitto's pid_file: after rewriting the files the back end sends it SIGHUP, which applies them and disconnects revoked edges at once. */
        mosquittoPidFile: z.string().optional(),
      })
      .prefault({}),
  })
  .strict();

export type CurbWatchConfig = z.infer<typeof configSchema>;

/** Environment variables that override a config key, documented in the README. */
export const envOverrides: Record<string, string> = {
  CURBWATCH_DATA_DIR: "dataDir",
  HOST: "server.host",
  PORT: "server.port",
  CURBWATCH_LIVE_PORT: "server.livePort",
  DATABASE_URL: "database.url",
  DATABASE_POOL_SIZE: "database.poolSize",
  MQTT_URL: "mqtt.url",
  MQTT_USERNAME: "mqtt.username",
  MQTT_PASSWORD: "mqtt.password",
  MQTT_EMBEDDED_PORT: "mqtt.embeddedPort",
  EVIDENCE_DIR: "evidence.dir",
  EVIDENCE_MAX_UPLOAD_BYTES: "evidence.maxUploadBytes",
  EVIDENCE_RETENTION_DAYS: "evidence.retentionDays",
  MQTT_SHARED_GROUP: "mqtt.sharedGroup",
  MQTT_INGEST_CLIENT_ID: "mqtt.ingestClientId",
  INGEST_CONNECTIONS: "ingest.connections",
  INGEST_BATCH_MAX_MESSAGES: "ingest.batchMaxMessages",
  INGEST_BATCH_MAX_WAIT_MS: "ingest.batchMaxWaitMs",
  INGEST_WRITERS: "ingest.writers",
  FIRST_VIOLATION_LOOKBACK_DAYS: "cases.firstViolationLookbackDays",
  REPEATED_VIOLATION_THRESHOLD: "cases.repeatedThreshold",
  OVERDUE_SWEEP_SECONDS: "cases.overdueSweepSeconds",
  AUDIT_ANCHOR_INTERVAL_SECONDS: "audit.anchorIntervalSeconds",
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
  CURBWATCH_INITIAL_ADMIN_PASSWORD: "security.initialAdminPassword",
  CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "security.initialAdminPasswordPermanent",
  HEALTH_REQUESTS_PER_MINUTE: "security.healthRequestsPerMinute",
  TRUST_PROXY: "server.trustProxy",
  SESSION_IDLE_MINUTES: "security.sessionIdleMinutes",
  SESSION_ABSOLUTE_HOURS: "security.sessionAbsoluteHours",
  PUBLIC_REQUESTS_PER_MINUTE: "security.publicRequestsPerMinute",
  MOSQUITTO_FILES_DIR: "security.mosquittoFilesDir",
  MOSQUITTO_FILES_OWNER: "security.mosquittoFilesOwner",
  MOSQUITTO_PID_FILE: "security.mosquittoPidFile",
};
