import type { BackendModuleFactory } from "./server.ts";
import { CameraRegistryService } from "./services/camera-registry.service.ts";
import { backendGraph } from "./composition-root.ts";
import { EdgeConfigPublisher } from "./services/edge-config-publisher.ts";
import { EdgeRegistryService } from "./services/edge-registry.service.ts";
import { cameraController } from "./controllers/camera.controller.ts";
import { ZoneReferencesService } from "./services/zone-references.service.ts";
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
  const { config, log } = ctx;
  const { cameraSecrets: secrets, repositories: repos } = backendGraph(ctx);
  const publisher = new EdgeConfigPublisher(
    { edges: repos.edges, cameras: repos.cameras, references: repos.zoneReferences },
    ctx.mqtt,
    secrets,
    log.child({ part: "edge-config" }),
  );

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
  const edges = new EdgeRegistryService(repos.edges, repos.cameras, {
    onCredentialsChanged: brokerPolicyChanged,
    // Embedded broker: close the revoked edge's connections now. Mosquitto: the reload above
    // already dropped them (their user left the password file).
    onRevoked: async (edgeId) => {
      ctx.brokerAccess?.revoke(edgeId);
    },
  });
  ctx.brokerAccess?.attach(edges);
  const cameras = new CameraRegistryService(
    { cameras: repos.cameras, edges: repos.edges, eventCodes: repos.eventCodes, shops: repos.shops },
    secrets,
    publisher,
    brokerPolicyChanged,
  );
  const references = new ZoneReferencesService(repos.zoneReferences, repos.cameras, cameras, publisher, (url) => grabSnapshot(url));
  const limit = new RequestRateLimit(config.security.publicRequestsPerMinute);
  return {
    name: "cameras",
    routes: [cameraController(cameras, references, new CameraReports(cameras, ctx.fleet)), edgeController(edges, publisher, ctx.brokerUrl, limit)],
    async start() {
      if (filesDir) await brokerPolicyChanged();
    },
  };
};
