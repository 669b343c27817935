import type { ZoneActivity } from "../../contracts/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { FleetMonitor } from "../mqtt/fleet-monitor.ts";
import type { CameraRegistry } from "./camera-registry.service.ts";

/**
 * The zone activity a camera's edge last reported in its retained health: what the detector sees
 * in each zone and where each rule stands, so the zone editor can say why a zone is quiet.
 */
export class ZoneActivityReports {
  constructor(
    private cameras: Pick<CameraRegistry, "get">,
    private fleet: Pick<FleetMonitor, "cameras">,
  ) {}

  /** 404 `not_found` for an unknown camera; 404 `zone_activity_not_reported` until its edge has reported zone activity. */
  async of(cameraId: string): Promise<ZoneActivity> {
    const camera = await this.cameras.get(cameraId);
    const health = this.fleet.cameras.get(cameraId);
    // Activity from an edge the camera has since left describes rules that no longer run there.
    if (!health?.zoneActivity || !camera.edgeId || health.edgeId !== camera.edgeId)
      throw new DomainError("not_found", `the edge of camera ${cameraId} has not reported zone activity yet`).withCode("zone_activity_not_reported");
    return health.zoneActivity;
  }
}
