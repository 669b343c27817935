import type { Database } from "../db/database.ts";

/** A case as the statistics count it, with its camera's street. */
export interface StatisticsCaseRow {
  createdAt: Date;
  cameraId: string;
  street: string | null;
  eventMajor: string;
  eventMinor: string;
  state: string;
  rejectReason: string | null;
  confirmedAt: Date | null;
  dispatchedAt: Date | null;
  closedAt: Date | null;
  overdueAt: Date | null;
  outcome: string | null;
  class721: string | null;
}

/** What the statistics read: the cases recorded in a period, and the names of reasons and event codes. */
export class StatisticsRepository {
  constructor(private db: Database) {}

  /** Cases the back end first recorded in [from, to), each with its camera's street. */
  async casesRecorded(from: Date, to: Date): Promise<StatisticsCaseRow[]> {
    const [cases, cameras] = await Promise.all([
      this.db.prisma.case.findMany({
        where: { createdAt: { gte: from, lt: to } },
        select: {
          createdAt: true,
          cameraId: true,
          eventMajor: true,
          eventMinor: true,
          state: true,
          rejectReason: true,
          confirmedAt: true,
          dispatchedAt: true,
          closedAt: true,
          overdueAt: true,
          outcome: true,
          class721: true,
        },
      }),
      this.db.prisma.camera.findMany({ select: { id: true, street: true } }),
    ]);
    const streetOf = new Map(cameras.map((c) => [c.id, c.street]));
    return cases.map((c) => ({ ...c, street: streetOf.get(c.cameraId) ?? null }));
  }

  /** Rejection reason code → label, and event code "05/01" → name (both as stored: bilingual labels). */
  async labels(): Promise<{ rejectReasons: Record<string, string>; eventCodes: Record<string, string> }> {
    const [reasons, codes] = await Promise.all([this.db.prisma.rejectReason.findMany(), this.db.prisma.eventCode.findMany()]);
    return {
      rejectReasons: Object.fromEntries(reasons.map((r) => [r.code, r.label])),
      eventCodes: Object.fromEntries(codes.map((c) => [`${c.major}/${c.minor}`, c.name])),
    };
  }
}
