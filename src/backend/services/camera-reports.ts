import type { CameraHealth } from "../../contracts/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { FleetMonitor } from "../mqtt/fleet-monitor.ts";
import type { CameraRegistryService } from "./camera-registry.service.ts";

/** Parts of a camera's retained health the zone editor shows. */
type ReportPart = "staticMasks" | "zoneActivity";

const notReported: Record<ReportPart, { what: string; code: string }> = {
  staticMasks: { what: "static-object masks", code: "static_masks_not_reported" },
  zoneActivity: { what: "zone activity", code: "zone_activity_not_reported" },
};

/**
 * What a camera's edge last reported in its retained health about each zone — the static-object
 * masks (what counts as "stands here") and the zone activity (what the detector sees, where each
 * rule stands) — so the zone editor can show what the edge sees and why a zone is quiet.
 */
export class CameraReports {
  constructor(
    private cameras: Pick<CameraRegistryService, "get">,
    private fleet: Pick<FleetMonitor, "cameras">,
  ) {}

  /** 404 `not_found` for an unknown camera; 404 `<part>_not_reported` until its edge has reported that part. */
  async latest<P extends ReportPart>(cameraId: string, part: P): Promise<NonNullable<CameraHealth[P]>> {
    const camera = await this.cameras.get(cameraId);
    const health = this.fleet.cameras.get(cameraId);
    const reported = health?.[part];
    // A report from an edge the camera has since left describes detectors and rules that no longer run.
    if (!reported || !camera.edgeId || health.edgeId !== camera.edgeId) {
      const { what, code } = notReported[part];
      throw new DomainError("not_found", `the edge of camera ${cameraId} has not reported ${what} yet`).withCode(code);
    }
    return reported as NonNullable<CameraHealth[P]>;
  }
}
