/**
 * GET /api/statistics, defined once: the query, and the JSON answer the dashboard reads
 * (per day, street, camera or event code, for cases reported in [from, to)).
 */
import { z } from "zod";

export const statisticsDimensions = ["day", "street", "camera", "code"] as const;
export type StatisticsDimension = (typeof statisticsDimensions)[number];

const isoTime = z.iso.datetime({ offset: true });

export const statisticsQuery = z
  .object({
    from: isoTime,
    to: isoTime,
    by: z.enum(statisticsDimensions).default("day"),
    format: z.enum(["json", "csv"]).default("json"),
    lang: z.enum(["keys", "en", "zh"]).default("keys").describe("CSV column names: keys (for programs), or words in en / zh"),
    timeZone: z
      .string()
      .max(64)
      .default("Asia/Shanghai")
      .refine((tz) => Intl.supportedValuesOf("timeZone").includes(tz) || tz === "UTC", "unknown time zone"),
  })
  .strict();
export type StatisticsQuery = z.infer<typeof statisticsQuery>;

/** Median and p90 of a duration over the cases that reached that step. */
export const durationsSchema = z.strictObject({
  count: z.number().int(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});
export type Durations = z.output<typeof durationsSchema>;

/** One group (day, street, camera or event code). */
export const groupStatisticsSchema = z.strictObject({
  group: z.string(),
  candidates: z.number().int(),
  confirmed: z.number().int(),
  rejected: z.number().int(),
  rejectedByReason: z.record(z.string(), z.number().int()),
  /** rejected / (confirmed + rejected): the share of reviewed candidates that were false alarms. */
  falsePositiveRate: z.number().nullable(),
  timeToConfirm: durationsSchema,
  timeToDispatch: durationsSchema,
  timeToClose: durationsSchema,
  overdue: z.number().int(),
  outcomes: z.record(z.string(), z.number().int()),
  split721: z.strictObject({ service: z.number().int(), management: z.number().int(), enforcement: z.number().int() }),
});
export type GroupStatistics = z.output<typeof groupStatisticsSchema>;

/** The JSON answer (format=json; format=csv answers text/csv). */
export const statisticsSchema = z.strictObject({
  from: isoTime,
  to: isoTime,
  by: z.enum(statisticsDimensions),
  timeZone: z.string(),
  groups: z.array(groupStatisticsSchema),
});
export type Statistics = z.output<typeof statisticsSchema>;
