import type { Command } from "commander";
import { commandContext } from "../context.ts";
import { startEdgeWorker } from "../../edge/worker.ts";
import { ShutdownSequence } from "../../shared/shutdown.ts";

export function register(program: Command): void {
  program
    .command("edge")
    .description("run an edge worker: cameras → detections → candidates over MQTT (needs MQTT_URL or the embedded broker's port)")
    .action(async (_opts, cmd: Command) => {
      const { config, log } = commandContext(cmd, "edge");
      const brokerUrl = config.mqtt.url ?? `mqtt://127.0.0.1:${config.mqtt.embeddedPort}`;
      const edge = await startEdgeWorker(config, log, { brokerUrl });
      const shutdown = new ShutdownSequence(log);
      shutdown.add("edge", () => edge.close());
      shutdown.installSignalHandlers();
    });
}
