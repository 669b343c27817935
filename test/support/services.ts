import net from "node:net";
import pg from "pg";

/** Real services the suite talks to; override with TEST_DATABASE_URL / TEST_MQTT_URL. */
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const MOSQUITTO_URL = process.env.TEST_MQTT_URL ?? "mqtt://127.0.0.1:1883";

/** CI sets CURBWATCH_REQUIRE_SERVICES=1 so an unreachable service fails the run instead of skipping. */
export const servicesRequired = process.env.CURBWATCH_REQUIRE_SERVICES === "1";

export function tcpReachable(url: string, timeoutMs = 2000): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith("postgres") ? 5432 : 1883));
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

export const postgresAvailable = () => process.env.CURBWATCH_PG_AVAILABLE === "1";
export const mosquittoAvailable = () => process.env.CURBWATCH_MOSQUITTO_AVAILABLE === "1";

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** A fresh, empty PostgreSQL database for one test file; drop it with the returned function. */
export async function createTestDatabase(prefix = "cw_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: withDatabase(POSTGRES_ADMIN_URL, name),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
