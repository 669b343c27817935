import type { Command } from "commander";
import { commandContext } from "../context.ts";
import { startBackend } from "../../backend/server.ts";
import { backendModules } from "../../backend/modules.ts";
import { ShutdownSequence } from "../../shared/shutdown.ts";

export function register(program: Command): void {
  program
    .command("backend")
    .description("run the back end: MQTT ingest, REST API, web console (embedded broker when MQTT_URL is unset)")
    .action(async (_opts, cmd: Command) => {
      const { config, log } = commandContext(cmd, "backend");
      const backend = await startBackend(config, log, backendModules);
      const shutdown = new ShutdownSequence(log);
      shutdown.add("backend", () => backend.close());
      shutdown.installSignalHandlers();
    });
}
