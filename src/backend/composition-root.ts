import type { BackendContext } from "./backend-context.ts";
import { ChangeFeed } from "./services/change-feed.ts";
import { IngestStats } from "./ingest/ingest-stats.ts";
import { EvidenceStore } from "./services/evidence-store.ts";
import { CameraSecrets, secretBoxFor } from "./services/camera-secrets.ts";
import { createRepositories, type Repositories } from "./repositories/repositories.ts";
import { LoginThrottle } from "./auth/login-throttle.ts";

/**
 * The object graph of one running back end, built once: what several feature modules share
 * (the change feed, intake counters, the evidence store, the camera-credential box) and every
 * repository. Modules take their parts from here and never build their own copies, so there is
 * one evidence directory and one secret key per back end.
 */
export interface BackendGraph {
  changes: ChangeFeed;
  ingestStats: IngestStats;
  evidenceStore: EvidenceStore;
  cameraSecrets: CameraSecrets;
  repositories: Repositories;
  /** Failed staff logins and public look-ups back off on the same counters (under separate keys). */
  loginThrottle: LoginThrottle;
}

const perBackend = new WeakMap<BackendContext, BackendGraph>();

export function backendGraph(ctx: BackendContext): BackendGraph {
  let graph = perBackend.get(ctx);
  if (!graph) {
    const { config, db, log, mqtt } = ctx;
    const repositories = createRepositories(db);
    graph = {
      changes: new ChangeFeed(mqtt, log, config.mqtt.sharedGroup),
      ingestStats: new IngestStats(),
      // config/load.ts always resolves evidence.dir (default <dataDir>/evidence).
      evidenceStore: new EvidenceStore(config.evidence.dir!, config.evidence.maxUploadBytes),
      cameraSecrets: new CameraSecrets(secretBoxFor(config.security.secretKey, config.dataDir, log)),
      repositories,
      loginThrottle: new LoginThrottle(repositories.loginThrottle, {
        freeFailures: config.security.loginFreeFailures,
        baseLockSeconds: config.security.loginBaseLockSeconds,
        maxLockSeconds: config.security.loginMaxLockSeconds,
      }),
    };
    perBackend.set(ctx, graph);
  }
  return graph;
}
