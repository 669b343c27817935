import { MOSQUITTO_URL, POSTGRES_ADMIN_URL, servicesRequired, tcpReachable } from "./services.ts";

/**
 * Probes the real services once. With CURBWATCH_REQUIRE_SERVICES=1 (CI) a missing
 * service fails the whole run; otherwise the tests that need it are not run and say why.
 */
export default async function setup(): Promise<void> {
  const [pgUp, mqttUp] = await Promise.all([tcpReachable(POSTGRES_ADMIN_URL), tcpReachable(MOSQUITTO_URL)]);
  const missing = [!pgUp && `PostgreSQL at ${POSTGRES_ADMIN_URL}`, !mqttUp && `Mosquitto at ${MOSQUITTO_URL}`].filter(Boolean);
  if (missing.length && servicesRequired) {
    throw new Error(`real services unreachable (CURBWATCH_REQUIRE_SERVICES=1): ${missing.join(", ")}`);
  }
  if (missing.length) console.warn(`[curbwatch tests] not running tests that need: ${missing.join(", ")}`);
  process.env.CURBWATCH_PG_AVAILABLE = pgUp ? "1" : "0";
  process.env.CURBWATCH_MOSQUITTO_AVAILABLE = mqttUp ? "1" : "0";
}
