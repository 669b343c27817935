export const userRoles = ["administrator", "operator", "officer", "auxiliary", "supervisor"] as const;
export type UserRole = (typeof userRoles)[number];

/** Who is acting. System actors (ingest, sweepers, edge uploads) have ids starting with "system:" or "edge:". */
export interface Actor {
  id: string;
  role: UserRole | "system" | "edge";
  name: string;
}

export const systemActor = (job: string): Actor => ({ id: `system:${job}`, role: "system", name: job });
