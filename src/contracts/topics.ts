/**
 * MQTT topic names, versioned so that a v2 contract can run beside v1 during an upgrade.
 * Edge and back end both build and parse topics here and nowhere else.
 */
export const TOPIC_ROOT = "curbwatch/v1";

const idPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** Ids become topic levels, so they must not contain MQTT wildcards or separators. */
export function isValidTopicId(id: string): boolean {
  return idPattern.test(id);
}

function level(id: string): string {
  if (!isValidTopicId(id)) throw new Error(`invalid id for an MQTT topic level: ${JSON.stringify(id)}`);
  return id;
}

export const topics = {
  edgeStatus: (edgeId: string) => `${TOPIC_ROOT}/edge/${level(edgeId)}/status`,
  edgeConfig: (edgeId: string) => `${TOPIC_ROOT}/edge/${level(edgeId)}/config`,
  /** Back end → edge: candidate messages committed (or permanently refused); see commit-ack.ts. */
  edgeAck: (edgeId: string) => `${TOPIC_ROOT}/edge/${level(edgeId)}/ack`,
  cameraHealth: (cameraId: string) => `${TOPIC_ROOT}/camera/${level(cameraId)}/health`,
  cameraCandidate: (cameraId: string) => `${TOPIC_ROOT}/camera/${level(cameraId)}/candidate`,
};

/** Subscription filters used by the back end. */
export const topicFilters = {
  allEdgeStatus: `${TOPIC_ROOT}/edge/+/status`,
  allCameraHealth: `${TOPIC_ROOT}/camera/+/health`,
  allCandidates: `${TOPIC_ROOT}/camera/+/candidate`,
  /** Shared subscription: each candidate goes to exactly one back-end replica of the group. */
  sharedCandidates: (group = "backend") => `$share/${group}/${TOPIC_ROOT}/camera/+/candidate`,
};

export type ParsedTopic =
  | { kind: "edgeStatus"; edgeId: string }
  | { kind: "edgeConfig"; edgeId: string }
  | { kind: "edgeAck"; edgeId: string }
  | { kind: "cameraHealth"; cameraId: string }
  | { kind: "cameraCandidate"; cameraId: string };

export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split("/");
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const [, , scope, id, leaf] = parts;
  if (!isValidTopicId(id)) return null;
  if (scope === "edge" && leaf === "status") return { kind: "edgeStatus", edgeId: id };
  if (scope === "edge" && leaf === "config") return { kind: "edgeConfig", edgeId: id };
  if (scope === "edge" && leaf === "ack") return { kind: "edgeAck", edgeId: id };
  if (scope === "camera" && leaf === "health") return { kind: "cameraHealth", cameraId: id };
  if (scope === "camera" && leaf === "candidate") return { kind: "cameraCandidate", cameraId: id };
  return null;
}
