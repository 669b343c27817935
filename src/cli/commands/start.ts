import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { commandContext } from "../context.ts";
import { startBackend } from "../../backend/server.ts";
import { backendModules } from "../../backend/modules.ts";
import { ShutdownSequence } from "../../shared/shutdown.ts";
import { SupervisedChild } from "../../shared/supervised-child.ts";
import { demoClipCandidates, findDemoClip, isPlainFallback, writeDemoEdgeConfig } from "../../edge/demo-camera.ts";
import { provisionLocalEdge } from "../../backend/demo-edge-provisioning.ts";

const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/curbwatch.js");

export function register(program: Command): void {
  program
    .command("start")
    .description("run everything on one machine: back end + broker (embedded unless MQTT_URL) + one edge worker with the demo camera")
    .action(async (_opts, cmd: Command) => {
      const { config, log } = commandContext(cmd, "curbwatch");
      const backend = await startBackend(config, log, backendModules);
      const shutdown = new ShutdownSequence(log);
      shutdown.add("backend", () => backend.close());

      const edgeEnv: NodeJS.ProcessEnv = { ...process.env, MQTT_URL: backend.brokerUrl, BACKEND_URL: backend.url };
      if (config.demo.enabled && !config.edge.configFile) {
        const clip = findDemoClip(config);
        if (clip) {
          edgeEnv.EDGE_CONFIG_FILE = writeDemoEdgeConfig(config, clip);
          log.info({ clip }, "demo camera streams this clip on a loop");
          if (isPlainFallback(config, clip)) {
            log.warn(
              { clip },
              "demo stall clip .vendor/demo-vending.mp4 is missing, so the demo camera falls back to plain vtest.avi, where no one has vending gear and nothing is raised: run `node scripts/make-demo-clip.mjs` (see README: Demo camera)",
            );
          }
        } else {
          log.warn(
            { looked: demoClipCandidates(config) },
            "no demo clip found: run `node scripts/fetch-demo-clip.mjs && node scripts/make-demo-clip.mjs` or set DEMO_CLIP=/path/to/video; the edge worker starts with no camera",
          );
        }
      }
      // The broker admits only registered edges: give this one its credentials and cameras.
      Object.assign(edgeEnv, await provisionLocalEdge(backend, config.edge.id, edgeEnv.EDGE_CONFIG_FILE ?? config.edge.configFile));
      const edge = new SupervisedChild("edge", process.execPath, [binPath, "edge"], edgeEnv, log);
      edge.start();
      shutdown.add("edge", () => edge.stop());
      shutdown.installSignalHandlers();
      log.info({ url: backend.url }, `CurbWatch is up: open ${backend.url}/ (health: ${backend.url}/api/health)`);
    });
}
