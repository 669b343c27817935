/** The shapes of `GET /api/statistics` are defined with the rest of the API, in api/statistics.ts. */
export type { Durations, GroupStatistics } from "./api/statistics.ts";
