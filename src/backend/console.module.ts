import path from "node:path";
import type { BackendModuleFactory } from "./server.ts";
import { EvidenceStore } from "./services/evidence-store.ts";
import { FieldTaskService } from "./services/field-task.service.ts";
import { fieldTaskController } from "./controllers/field-task.controller.ts";
import { CameraSecrets, secretBoxFor } from "./services/camera-secrets.ts";
import { LiveRelay } from "./live-view/live-relay.ts";
import { liveViewController } from "./live-view/live-view.controller.ts";
import { liveStreamUrl } from "./live-view/stream-source.ts";
import { ffmpegPath } from "../shared/ffmpeg-path.ts";

/**
 * What the web console needs beyond the case API: officers' task acceptance and on-site
 * photos, and the on-demand live view relay (its own WebSocket port: server.livePort / CURBWATCH_LIVE_PORT, default any free port).
 */
export const consoleModule: BackendModuleFactory = (ctx) => {
  const { config, db, log } = ctx;
  const store = new EvidenceStore(config.evidence.dir ?? path.join(config.dataDir, "evidence"), config.evidence.maxUploadBytes);
  const tasks = new FieldTaskService(db, store, config.evidence.maxUploadBytes);
  const secrets = new CameraSecrets(secretBoxFor(config.security.secretKey, config.dataDir, log));
  const relay = new LiveRelay({ host: config.server.host, port: config.server.livePort, ffmpegPath: ffmpegPath(), log: log.child({ part: "live-view" }) });
  relay.setStreamResolver((cameraId) => liveStreamUrl(db, secrets, cameraId));
  const cameraExists = async (id: string) => (await db.prisma.camera.count({ where: { id } })) > 0;
  return {
    name: "console",
    routes: [fieldTaskController(tasks), liveViewController(relay, cameraExists)],
    start: () => relay.start(),
    stop: () => relay.stop(),
  };
};
