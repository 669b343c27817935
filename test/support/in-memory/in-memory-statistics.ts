import type { StatisticsCaseRow } from "../../../src/backend/repositories/statistics.repository.ts";
import type { StatisticsSource } from "../../../src/backend/services/statistics.service.ts";

/** Cases (each with its camera's street) and reference names in memory, for the statistics. */
export class InMemoryStatistics implements StatisticsSource {
  readonly cases: StatisticsCaseRow[] = [];
  readonly rejectReasons: Record<string, string> = {};
  readonly eventCodes: Record<string, string> = {};

  async casesRecorded(from: Date, to: Date): Promise<StatisticsCaseRow[]> {
    return this.cases.filter((c) => c.createdAt >= from && c.createdAt < to);
  }

  async labels() {
    return { rejectReasons: { ...this.rejectReasons }, eventCodes: { ...this.eventCodes } };
  }
}

/** A case as the statistics count it: a candidate on camera cam-1 (人民路), code 05/01, unless told otherwise. */
export function statisticsCase(over: Partial<StatisticsCaseRow> & { createdAt: Date }): StatisticsCaseRow {
  return {
    cameraId: "cam-1",
    street: "人民路",
    eventMajor: "05",
    eventMinor: "01",
    state: "candidate",
    rejectReason: null,
    confirmedAt: null,
    dispatchedAt: null,
    closedAt: null,
    overdueAt: null,
    outcome: null,
    class721: null,
    ...over,
  };
}
