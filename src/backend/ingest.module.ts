import type { BackendModuleFactory } from "./server.ts";
import { CandidateBatchWriter } from "./ingest/batch-writer.ts";
import { CandidateConsumer, defaultIngestClientId } from "./ingest/candidate-consumer.ts";
import { CommitAckPublisher } from "./ingest/commit-acks.ts";
import { backendGraph } from "./composition-root.ts";
import { deadLetterController } from "./controllers/dead-letter.controller.ts";

/** MQTT candidate ingest: shared subscription, validation, batched idempotent writes, PUBACK and end-to-end commit ack after commit. */
export const ingestModule: BackendModuleFactory = (ctx) => {
  const { changes, ingestStats, repositories } = backendGraph(ctx);
  const log = ctx.log.child({ part: "ingest" });
  const writer = new CandidateBatchWriter(ctx.db, repositories, changes, ingestStats, log, {
    maxMessages: ctx.config.ingest.batchMaxMessages,
    maxWaitMs: ctx.config.ingest.batchMaxWaitMs,
    writers: ctx.config.ingest.writers,
  });
  const consumer = new CandidateConsumer(
    {
      brokerUrl: ctx.brokerUrl,
      username: ctx.config.mqtt.username,
      password: ctx.config.mqtt.password,
      // aedes (the embedded broker) has no $share; there is only one replica then anyway.
      sharedGroup: ctx.embeddedBroker ? null : ctx.config.mqtt.sharedGroup,
      clientIdBase: ctx.config.mqtt.ingestClientId ?? defaultIngestClientId(ctx.config.server.port),
      connections: ctx.config.ingest.connections,
    },
    writer,
    ingestStats,
    log,
  );
  const commitAcks = new CommitAckPublisher(log);
  consumer.commitAcks = commitAcks;
  // Every settled message is confirmed to its edge, refused and dead-lettered ones too: they are
  // final here, and an unconfirmed message would be resent for ever.
  writer.onSettled = (settled) => {
    for (const { event: e, outcome } of settled) {
      const committed = outcome.kind === "stored" || outcome.kind === "duplicate" || outcome.kind === "late";
      commitAcks.add(e.edgeId, { candidateId: e.candidateId, seq: e.seq, outcome: committed ? "committed" : "rejected" });
    }
    commitAcks.flush();
  };
  return {
    name: "ingest",
    routes: [deadLetterController(repositories.deadLetterReads)],
    start: async () => {
      commitAcks.useClients([...consumer.sessions]);
      await consumer.start();
      commitAcks.useClients([...consumer.sessions]);
    },
    stop: async () => {
      await consumer.stop();
      commitAcks.stop();
    },
  };
};
