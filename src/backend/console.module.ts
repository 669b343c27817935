import type { BackendModuleFactory } from "./server.ts";
import { backendGraph } from "./composition-root.ts";
import { FieldTaskService } from "./services/field-task.service.ts";
import { fieldTaskController } from "./controllers/field-task.controller.ts";
import { LiveRelay } from "./live-view/live-relay.ts";
import { liveViewController } from "./live-view/live-view.controller.ts";
import { liveStreamUrl } from "./live-view/stream-source.ts";
import { ffmpegPath } from "../shared/ffmpeg-path.ts";
import { systemClock } from "./services/ports/common.ts";

/**
 * What the web console needs beyond the case API: officers' task acceptance and on-site
 * photos, and the on-demand live view relay (its own WebSocket port: server.livePort / CURBWATCH_LIVE_PORT, default any free port).
 */
export const consoleModule: BackendModuleFactory = (ctx) => {
  const { config, log } = ctx;
  const { evidenceStore: store, cameraSecrets: secrets, repositories } = backendGraph(ctx);
  const tasks = new FieldTaskService(repositories.caseStore, store, config.evidence.maxUploadBytes, systemClock);
  const relay = new LiveRelay({ host: config.server.host, port: config.server.livePort, ffmpegPath: ffmpegPath(), log: log.child({ part: "live-view" }) });
  relay.setStreamResolver((cameraId) => liveStreamUrl(repositories.cameras, secrets, cameraId));
  return {
    name: "console",
    routes: [fieldTaskController(tasks), liveViewController(relay, (id) => repositories.cameraOwnership.exists(id))],
    start: () => relay.start(),
    stop: () => relay.stop(),
  };
};
