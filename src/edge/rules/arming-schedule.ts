import type { Schedule } from "../../contracts/edge-config.ts";

type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(tMs: number, timeZone: string): { day: Weekday; hhmm: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(tMs));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const day = get("weekday").toLowerCase().slice(0, 3) as Weekday;
  return { day, hhmm: `${get("hour")}:${get("minute")}` };
}

/** An empty schedule is always armed; otherwise the local weekday and time must fall in a range [from, to). */
export function isArmed(schedule: Schedule, timeZone: string, tMs: number): boolean {
  if (!schedule.length) return true;
  const { day, hhmm } = localParts(tMs, timeZone);
  return schedule.some((r) => r.days.includes(day) && hhmm >= r.from && hhmm < r.to);
}

/** Throws a readable error for a time zone Intl does not know (config validation). */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Asia/Shanghai)`);
  }
}
