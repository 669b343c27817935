import { TOPIC_ROOT, topics } from "../contracts/topics.ts";

/** Who an MQTT connection belongs to once it has authenticated. */
export type BrokerPrincipal = { kind: "backend" } | { kind: "edge"; edgeId: string; cameraIds: ReadonlySet<string> };

/**
 * How the embedded broker learns who may connect. The back end implements it from its
 * registry; the rules below are the same ones rendered into Mosquitto's ACL file
 * (src/backend/security/mosquitto-acl.ts), so both brokers enforce one policy.
 */
export interface BrokerAccessPolicy {
  authenticate(username: string | undefined, password: string | undefined): Promise<BrokerPrincipal | null>;
}

const backendWritable = (topic: string) => /^curbwatch\/v1\/edge\/[^/+#]+\/(config|ack)$/.test(topic) || topic.startsWith(`${TOPIC_ROOT}/backend/`);

/** May this principal publish on this topic? An edge: its own status and its own cameras' candidates and health only. */
export function mayPublish(p: BrokerPrincipal, topic: string): boolean {
  if (p.kind === "backend") return backendWritable(topic);
  if (topic === topics.edgeStatus(p.edgeId)) return true;
  const m = /^curbwatch\/v1\/camera\/([^/]+)\/(candidate|health)$/.exec(topic);
  return m !== null && p.cameraIds.has(m[1]);
}

/** May this principal subscribe with this filter? The back end: anything under the root; an edge: its own config and ack topics only. */
export function maySubscribe(p: BrokerPrincipal, filter: string): boolean {
  if (p.kind === "backend") {
    const plain = filter.startsWith("$share/") ? filter.split("/").slice(2).join("/") : filter;
    return plain === `${TOPIC_ROOT}/#` || plain.startsWith(`${TOPIC_ROOT}/`);
  }
  return filter === topics.edgeConfig(p.edgeId) || filter === topics.edgeAck(p.edgeId);
}
