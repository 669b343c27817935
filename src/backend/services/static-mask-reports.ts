import type { StaticMasks } from "../../contracts/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { FleetMonitor } from "../mqtt/fleet-monitor.ts";
import type { CameraRegistry } from "./camera-registry.service.ts";

/**
 * The static-object masks a camera's edge last reported in its retained health: what the edge
 * counts as "stands here" in each zone, for the zone editor.
 */
export class StaticMaskReports {
  constructor(
    private cameras: Pick<CameraRegistry, "get">,
    private fleet: Pick<FleetMonitor, "cameras">,
  ) {}

  /** 404 `not_found` for an unknown camera; 404 `static_masks_not_reported` until its edge has reported masks. */
  async of(cameraId: string): Promise<StaticMasks> {
    const camera = await this.cameras.get(cameraId);
    const health = this.fleet.cameras.get(cameraId);
    // Masks from an edge the camera has since left describe a detector that no longer runs.
    if (!health?.staticMasks || !camera.edgeId || health.edgeId !== camera.edgeId)
      throw new DomainError("not_found", `the edge of camera ${cameraId} has not reported static-object masks yet`).withCode("static_masks_not_reported");
    return health.staticMasks;
  }
}
