import net from "node:net";
import { Aedes } from "aedes";
import type { Logger } from "../shared/logger.ts";

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** Connected clients right now. */
  clients(): number;
  close(): Promise<void>;
}

/**
 * The single-machine broker (aedes) used when no MQTT_URL is configured.
 * It keeps retained messages and QoS 1 sessions in memory; the edge outbox is what
 * makes delivery durable across restarts (see README "Delivery guarantees").
 * aedes has no `$share` support, so the back end subscribes plainly when it runs against it.
 */
export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger }): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ id: "curbwatch-embedded" });
  const server = net.createServer(aedes.handle);
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
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
