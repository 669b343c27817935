import fs from "node:fs";
import os from "node:os";

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where /proc is missing. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / clockTicksPerSecond;
  } catch {
    return NaN;
  }
}

// Linux reports CPU time in clock ticks, 100 per second on every common configuration.
const clockTicksPerSecond = os.platform() === "linux" ? 100 : 1;

/**
 * CPU seconds used so far by every live process with this command name (e.g. "postgres":
 * the server and its per-connection backends). A process that exits between two readings
 * takes its time with it, so compare readings taken while the same connections are open.
 */
export function namedProcessesCpuSeconds(name: string): number {
  return processIdsNamed(name).reduce((total, pid) => total + (processCpuSeconds(pid) || 0), 0);
}

/** Ids of every live process with this command name (e.g. "postgres": the server and its per-connection backends). */
export function processIdsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc", { withFileTypes: true })) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry.name}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) === name) pids.push(Number(entry.name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Every thread of a process (Linux schedules, and nices, threads one by one). */
export function threadIdsOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [pid];
  }
}
