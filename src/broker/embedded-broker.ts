import net from "node:net";
import { Aedes, type AedesOptions, type Client } from "aedes";
import type { Logger } from "../shared/logger.ts";
import { mayPublish, maySubscribe, type BrokerAccessPolicy, type BrokerPrincipal } from "./broker-access.ts";

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** Connected clients right now. */
  clients(): number;
  /** Closes every live connection of this edge at once (after its credentials were revoked); returns how many. */
  disconnectEdge(edgeId: string): number;
  close(): Promise<void>;
}

/**
 * The single-machine broker (aedes) used when no MQTT_URL is configured.
 * It keeps retained messages and QoS 1 sessions in memory; the edge outbox is what
 * makes delivery durable across restarts (see README "Delivery guarantees").
 * aedes has no `$share` support, so the back end subscribes plainly when it runs against it.
 */
export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger; access?: BrokerAccessPolicy }): Promise<EmbeddedBroker> {
  const principals = new WeakMap<object, BrokerPrincipal>();
  const aedes = await Aedes.createBroker({ id: "curbwatch-embedded", ...(opts.access ? accessHooks(opts.access, opts.log, principals) : {}) });
  const server = net.createServer(aedes.handle);
  // Live connections, so a revoked edge's sessions can be found and closed.
  const live = new Set<Client>();
  aedes.on("client", (client) => live.add(client));
  aedes.on("clientDisconnect", (client) => live.delete(client));
  aedes.on("clientError", (client, err) => opts.log.debug({ clientId: client?.id, err: err.message }, "mqtt client error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`embedded MQTT broker cannot listen on ${opts.host}:${opts.port}: port in use (set MQTT_EMBEDDED_PORT or MQTT_URL)`)
          : err,
      ),
    );
    server.listen(opts.port, opts.host, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `mqtt://${opts.host === "0.0.0.0" ? "127.0.0.1" : opts.host}:${port}`;
  opts.log.info({ url }, "embedded MQTT broker listening");
  return {
    url,
    port,
    clients: () => aedes.connectedClients,
    disconnectEdge(edgeId) {
      let closed = 0;
      for (const client of [...live]) {
        const p = principals.get(client);
        if (p?.kind === "edge" && p.edgeId === edgeId) {
          principals.delete(client);
          client.close();
          closed++;
        }
      }
      if (closed) opts.log.info({ edgeId, closed }, "revoked edge disconnected from the embedded broker");
      return closed;
    },
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * aedes hooks enforcing the broker policy: no anonymous clients; each principal publishes
 * and subscribes only where `mayPublish` / `maySubscribe` allow. A refused publish
 * disconnects the client (MQTT 3.1.1 has no per-message refusal); a refused subscription
 * is answered with the failure return code.
 */
function accessHooks(
  access: BrokerAccessPolicy,
  log: Logger,
  principals: WeakMap<object, BrokerPrincipal>,
): Pick<AedesOptions, "authenticate" | "authorizePublish" | "authorizeSubscribe"> {
  return {
    authenticate: (client, username, password, done) => {
      access
        .authenticate(username, password?.toString("utf8"))
        .then((p) => {
          if (!p) {
            log.warn({ username }, "mqtt login refused");
            return done(Object.assign(new Error("bad username or password"), { returnCode: 4 }), false);
          }
          principals.set(client, p);
          done(null, true);
        })
        .catch((err: Error) => done(Object.assign(err, { returnCode: 3 }), false));
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker's own $SYS / will handling
      const p = principals.get(client);
      if (p && mayPublish(p, packet.topic)) return done(null);
      log.warn({ topic: packet.topic, principal: p?.kind === "edge" ? p.edgeId : p?.kind }, "mqtt publish refused");
      done(new Error(`not allowed to publish on ${packet.topic}`));
    },
    authorizeSubscribe: (client, sub, done) => {
      const p = principals.get(client);
      if (p && maySubscribe(p, sub.topic)) return done(null, sub);
      log.warn({ topic: sub.topic, principal: p?.kind === "edge" ? p.edgeId : p?.kind }, "mqtt subscribe refused");
      done(null, null);
    },
  };
}
