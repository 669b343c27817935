import type { UserRole } from "../../contracts/api/registry.ts";

// The roles are part of the API contract (the console names them too); the back end takes them from there.
export { userRoles, type UserRole } from "../../contracts/api/registry.ts";

/** Who is acting. System actors (ingest, sweepers, edge uploads) have ids starting with "system:" or "edge:". */
export interface Actor {
  id: string;
  role: UserRole | "system" | "edge";
  name: string;
}

export const systemActor = (job: string): Actor => ({ id: `system:${job}`, role: "system", name: job });
