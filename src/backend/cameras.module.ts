import type { BackendModuleFactory } from "./server.ts";
import { CameraRegistry } from "./services/camera-registry.service.ts";
import { backendGraph } from "./composition-root.ts";
import { EdgeConfigPublisher } from "./services/edge-config-publisher.ts";
import { EdgeRegistry } from "./services/edge-registry.service.ts";
import { cameraController } from "./controllers/camera.controller.ts";
import { ZoneReferences } from "./services/zone-references.service.ts";
import { CameraReports } from "./services/camera-reports.ts";
import { grabSnapshot } from "./services/camera-snapshot.ts";
import { edgeController } from "./controllers/edge.controller.ts";
import { RequestRateLimit } from "./http/request-rate-limit.ts";
import { writeMosquittoFiles } from "./security/mosquitto-files.ts";
import { reloadMosquitto } from "./security/mosquitto-reload.ts";

/**
 * Cameras and edge workers: the registry, sealed credentials, retained edge configs and
 * who may talk on the broker (embedded: live policy; Mosquitto: rendered files).
 */
export const camerasModule: BackendModuleFactory = (ctx) => {
  const { config, db, log } = ctx;
  const secrets = backendGraph(ctx).cameraSecrets;
  const publisher = new EdgeConfigPublisher(db, ctx.mqtt, secrets, log.child({ part: "edge-config" }));
  const edges = new EdgeRegistry(db);
  ctx.brokerAccess?.attach(edges);

  const filesDir = config.security.mosquittoFilesDir;
  if (filesDir && (!config.mqtt.username || !config.mqtt.password))
    throw new Error("security.mosquittoFilesDir needs the back end's own MQTT_USERNAME and MQTT_PASSWORD (they go into the password file)");
  const brokerPolicyChanged = async () => {
    await ctx.brokerAccess?.refresh();
    if (filesDir) {
      const files = await writeMosquittoFiles(
        filesDir,
        { username: config.mqtt.username!, password: config.mqtt.password! },
        edges,
        config.security.mosquittoFilesOwner,
      );
      log.info({ files }, "mosquitto password and ACL files rewritten");
      if (config.security.mosquittoPidFile) reloadMosquitto(config.security.mosquittoPidFile, log);
      else log.warn("reload Mosquitto (SIGHUP) to apply the rewritten files, or set security.mosquittoPidFile");
    }
  };
  edges.onCredentialsChanged = brokerPolicyChanged;
  // Embedded broker: close the revoked edge's connections now. Mosquitto: the reload above
  // already dropped them (their user left the password file).
  edges.onRevoked = async (edgeId) => {
    ctx.brokerAccess?.revoke(edgeId);
  };
  const cameras = new CameraRegistry(db, secrets, publisher, brokerPolicyChanged);
  const limit = new RequestRateLimit(config.security.publicRequestsPerMinute);
  return {
    name: "cameras",
    routes: [
      cameraController(cameras, new ZoneReferences(db, cameras, publisher, (url) => grabSnapshot(url)), new CameraReports(cameras, ctx.fleet)),
      edgeController(edges, publisher, ctx.brokerUrl, limit),
    ],
    async start() {
      if (filesDir) await brokerPolicyChanged();
    },
  };
};
