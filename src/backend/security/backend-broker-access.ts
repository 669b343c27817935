import crypto from "node:crypto";
import type { BrokerAccessPolicy, BrokerPrincipal } from "../../broker/broker-access.ts";
import type { EdgeRegistryService } from "../services/edge-registry.service.ts";

/** What the broker asks the edge registry. */
type EdgeLogins = Pick<EdgeRegistryService, "verifyMqttLogin" | "cameraIdsOf">;
import { newToken } from "../auth/opaque-token.ts";

/**
 * The embedded broker's view of the registry: the back end itself logs in with a random
 * per-process password (it never leaves this process), edges with the MQTT password from
 * enrollment. Each edge's camera set is shared with its live connections and refreshed in
 * place when cameras move, so a reassignment takes effect without a reconnect.
 */
export class BackendBrokerAccess implements BrokerAccessPolicy {
  readonly backendUser = "curbwatch-backend";
  readonly backendPassword = newToken();
  private edges: EdgeLogins | null = null;
  private cameraSets = new Map<string, Set<string>>();
  /** Closes an edge's live connections; the embedded broker sets it when it starts. */
  disconnectEdge: (edgeId: string) => number = () => 0;

  /** The broker starts before the database; edge logins are refused until the registry is attached. */
  attach(edges: EdgeLogins): void {
    this.edges = edges;
  }

  async authenticate(username: string | undefined, password: string | undefined): Promise<BrokerPrincipal | null> {
    if (!username || password === undefined) return null;
    if (username === this.backendUser) return sameSecret(password, this.backendPassword) ? { kind: "backend" } : null;
    if (!this.edges || !(await this.edges.verifyMqttLogin(username, password))) return null;
    return { kind: "edge", edgeId: username, cameraIds: await this.cameraSet(username) };
  }

  /**
   * An edge's credentials were revoked: it may publish nowhere from now on (its shared
   * camera set is emptied, which its live connections see at once) and those connections
   * are closed. A fresh enrollment logs in again and reloads the set.
   */
  revoke(edgeId: string): number {
    this.cameraSets.get(edgeId)?.clear();
    this.cameraSets.delete(edgeId);
    return this.disconnectEdge(edgeId);
  }

  /** Re-reads every known edge's cameras (after a camera was created, moved or removed). */
  async refresh(): Promise<void> {
    for (const edgeId of this.cameraSets.keys()) await this.cameraSet(edgeId);
  }

  private async cameraSet(edgeId: string): Promise<Set<string>> {
    const ids = await this.edges!.cameraIdsOf(edgeId);
    let set = this.cameraSets.get(edgeId);
    if (!set) this.cameraSets.set(edgeId, (set = new Set()));
    set.clear();
    for (const id of ids) set.add(id);
    return set;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
