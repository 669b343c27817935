import { DomainError } from "../domain/errors.ts";
import type { StatisticsRepository } from "../repositories/statistics.repository.ts";
import type { StatisticsDimension } from "../../contracts/api/statistics.ts";
import { statisticsBy, statisticsCsv, type GroupStatistics } from "./case-statistics.ts";

/** The longest period one report covers. */
export const MAX_RANGE_DAYS = 366;

/** What the statistics read: the statistics repository's methods (an in-memory store in unit tests). */
export type StatisticsSource = { [K in keyof StatisticsRepository]: StatisticsRepository[K] };

export interface StatisticsRequest {
  from: Date;
  to: Date;
  by: StatisticsDimension;
  /** Days are counted in this zone. */
  timeZone: string;
}

/** The figures a command center reports upward: per day, street, camera or event code, for cases recorded in [from, to). */
export class StatisticsService {
  constructor(private source: StatisticsSource) {}

  async groups(q: StatisticsRequest): Promise<GroupStatistics[]> {
    if (!(q.from < q.to)) throw new DomainError("invalid", "from must be before to");
    if (q.to.getTime() - q.from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw new DomainError("invalid", `a range of at most ${MAX_RANGE_DAYS} days`);
    return statisticsBy(await this.source.casesRecorded(q.from, q.to), q.by, q.timeZone);
  }

  /** The same figures as CSV, with column names (and reasons and event codes) in `lang`. */
  async csv(q: StatisticsRequest, lang: "keys" | "en" | "zh"): Promise<string> {
    const [groups, labels] = await Promise.all([this.groups(q), this.source.labels()]);
    return statisticsCsv(groups, q.by, lang, labels);
  }
}
