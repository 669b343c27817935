/** Median and p90 of a duration over the cases that reached that step. */
export interface Durations {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

/** One group (day, street, camera or event code) of `GET /api/statistics`; the console reads the same shape. */
export interface GroupStatistics {
  group: string;
  candidates: number;
  confirmed: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** rejected / (confirmed + rejected): the share of reviewed candidates that were false alarms. */
  falsePositiveRate: number | null;
  timeToConfirm: Durations;
  timeToDispatch: Durations;
  timeToClose: Durations;
  overdue: number;
  outcomes: Record<string, number>;
  split721: { service: number; management: number; enforcement: number };
}
