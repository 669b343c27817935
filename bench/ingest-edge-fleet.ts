/**
 * A share of bench:ingest's simulated edges, on a thread of its own: each edge's outbox
 * fsyncs synchronously, as a real edge does, and sixteen of them on one thread would make
 * the load generator, not the intake, decide the latency. Publishes at the given rate from
 * `startAt` for `seconds`, reports when each candidate was created, then waits until the
 * back end has confirmed everything.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CandidateEvent } from "../src/contracts/index.ts";
import { SimulatedEdge } from "../test/support/simulated-edge.ts";
import { benchCandidate } from "./bench-candidate.ts";

export interface FleetJob {
  tag: string;
  mqttUrl: string;
  /** Global indexes of this thread's edges (edge i publishes for camera i). */
  edgeIndexes: number[];
  perEdgePerSec: number;
  seconds: number;
}

export type FleetReport =
  | { kind: "ready" }
  | { kind: "published"; ids: string[]; at: number[] }
  | { kind: "done"; offered: number; publishDone: number; drainedAt: number | null; drainError: string | null; brokerAcked: number; redelivered: number };

const job = workerData as FleetJob;
const port = parentPort!;
const clock = () => performance.timeOrigin + performance.now();

const fleet = job.edgeIndexes.map((i) => ({
  index: i,
  edge: new SimulatedEdge(`${job.tag}-edge${i}`, job.mqttUrl, { redeliverAfterMs: 5000, maxUnconfirmed: 2000 }),
  sent: 0,
}));
await Promise.all(fleet.map(({ edge }) => new Promise<void>((resolve) => (edge.mqtt.connected ? resolve() : edge.mqtt.once("connect", () => resolve())))));
const post = (r: FleetReport) => port.postMessage(r);
post({ kind: "ready" });

const startAt = await new Promise<number>((resolve) => port.once("message", (m: { startAt: number }) => resolve(m.startAt)));
await new Promise((r) => setTimeout(r, Math.max(0, startAt - clock())));

let offered = 0;
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const elapsed = Math.min(job.seconds, (clock() - startAt) / 1000);
    const ids: string[] = [];
    const at: number[] = [];
    for (const f of fleet) {
      const due = Math.floor(elapsed * job.perEdgePerSec);
      const batch: CandidateEvent[] = [];
      while (f.sent < due) {
        const id = `${job.tag}-e${f.index}-${f.sent++}`;
        ids.push(id);
        at.push(clock());
        batch.push(benchCandidate(f.edge.edgeId, `${job.tag}-cam${f.index}`, id));
      }
      offered += batch.length;
      // One fsync per edge per tick, as an edge with several events at once would do.
      f.edge.publish(batch);
    }
    if (ids.length) post({ kind: "published", ids, at });
    if (elapsed >= job.seconds) {
      clearInterval(tick);
      resolve();
    }
  }, 10);
});
const publishDone = clock();
let drainedAt: number | null = null;
let drainError: string | null = null;
try {
  await Promise.all(fleet.map(({ edge }) => edge.drained(120_000)));
  drainedAt = clock();
} catch (err) {
  drainError = (err as Error).message;
}
post({
  kind: "done",
  offered,
  publishDone,
  drainedAt,
  drainError,
  brokerAcked: fleet.reduce((n, f) => n + f.edge.outbox.brokerAcked, 0),
  redelivered: fleet.reduce((n, f) => n + f.edge.outbox.redelivered, 0),
});
await new Promise((resolve) => port.once("message", resolve));
await Promise.all(fleet.map(({ edge }) => edge.close()));
port.close();
