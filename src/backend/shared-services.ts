import type { BackendContext } from "./backend-context.ts";
import { ChangeFeed } from "./services/change-feed.ts";
import { IngestStats } from "./ingest/ingest-stats.ts";

/** Services several modules of one back end share (one per running back end). */
export interface SharedServices {
  changes: ChangeFeed;
  ingestStats: IngestStats;
}

const perBackend = new WeakMap<BackendContext, SharedServices>();

export function sharedServices(ctx: BackendContext): SharedServices {
  let s = perBackend.get(ctx);
  if (!s) {
    s = { changes: new ChangeFeed(ctx.mqtt, ctx.log, ctx.config.mqtt.sharedGroup), ingestStats: new IngestStats() };
    perBackend.set(ctx, s);
  }
  return s;
}
