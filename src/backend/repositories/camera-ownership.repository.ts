import type { Database } from "../db/database.ts";

/** Which edge worker a camera belongs to: whether an edge may hand in evidence for it. */
export class CameraOwnershipRepository {
  constructor(private db: Database) {}

  async ownedBy(cameraId: string, edgeId: string): Promise<boolean> {
    return (await this.db.prisma.camera.count({ where: { id: cameraId, edgeId } })) > 0;
  }

  async exists(cameraId: string): Promise<boolean> {
    return (await this.db.prisma.camera.count({ where: { id: cameraId } })) > 0;
  }
}
