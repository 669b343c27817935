/**
 * CPU milliseconds spent in named stages of the process (tensor conversion, inference, tracking,
 * rules, evidence, outbox), from `process.cpuUsage()` deltas: microsecond CPU time of the whole
 * process during the stage, so an ONNX Runtime helper thread working for the stage counts too.
 * Cumulative since start; the edge reports it in its status and bench:edge divides by samples.
 */
export type StageName = "scaleConvert" | "inference" | "changeCheck" | "trackingRules" | "evidence" | "outbox";

const totals = new Map<StageName, number>();

const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

function add(stage: StageName, ms: number): void {
  totals.set(stage, (totals.get(stage) ?? 0) + ms);
}

export const stageClock = {
  time<T>(stage: StageName, fn: () => T): T {
    const start = process.cpuUsage();
    try {
      return fn();
    } finally {
      add(stage, cpuMs(start));
    }
  },
  async timeAsync<T>(stage: StageName, fn: () => Promise<T>): Promise<T> {
    const start = process.cpuUsage();
    try {
      return await fn();
    } finally {
      add(stage, cpuMs(start));
    }
  },
  snapshot(): Record<string, number> {
    return Object.fromEntries([...totals].map(([k, v]) => [k, Math.round(v * 10) / 10]));
  },
};
