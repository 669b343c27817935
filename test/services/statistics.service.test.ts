// Fast tests of the statistics a command center reports upward: no database, no HTTP.
import { beforeEach, describe, expect, it } from "vitest";
import { StatisticsService } from "../../src/backend/services/statistics.service.ts";
import { DomainError } from "../../src/backend/domain/errors.ts";
import { InMemoryStatistics, statisticsCase } from "../support/in-memory/in-memory-statistics.ts";

const at = (iso: string) => new Date(iso);
const minutesAfter = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
const week = { from: at("2026-11-16T00:00:00+08:00"), to: at("2026-11-23T00:00:00+08:00"), timeZone: "Asia/Shanghai" };

describe("statistics", () => {
  let data: InMemoryStatistics;
  let statistics: StatisticsService;

  beforeEach(() => {
    data = new InMemoryStatistics();
    statistics = new StatisticsService(data);
    const monday = at("2026-11-16T09:00:00+08:00");
    const tuesday = at("2026-11-17T07:30:00+08:00"); // Tuesday in Shanghai, still Monday in UTC
    data.cases.push(
      statisticsCase({
        createdAt: monday,
        state: "closed",
        confirmedAt: minutesAfter(monday, 2),
        dispatchedAt: minutesAfter(monday, 10),
        closedAt: minutesAfter(monday, 60),
        outcome: "education",
        class721: "service",
      }),
      statisticsCase({ createdAt: monday, state: "confirmed", confirmedAt: minutesAfter(monday, 4), overdueAt: minutesAfter(monday, 300) }),
      statisticsCase({ createdAt: monday, state: "rejected", rejectReason: "not_vending", street: "解放路", cameraId: "cam-2" }),
      statisticsCase({ createdAt: tuesday, state: "rejected", rejectReason: null, eventMajor: "05", eventMinor: "02" }),
      statisticsCase({ createdAt: tuesday, state: "candidate", street: null, cameraId: "cam-3" }),
      // Outside the week: counted nowhere.
      statisticsCase({ createdAt: at("2026-11-23T00:00:00+08:00"), state: "closed" }),
      statisticsCase({ createdAt: at("2026-11-15T23:59:59+08:00"), state: "closed" }),
    );
  });

  it("counts each day of the period in the reader's time zone", async () => {
    const days = await statistics.groups({ ...week, by: "day" });
    expect(days.map((d) => [d.group, d.candidates, d.confirmed, d.rejected])).toEqual([
      ["2026-11-16", 3, 2, 1],
      ["2026-11-17", 2, 0, 1],
    ]);
    const [monday] = days;
    expect(monday.falsePositiveRate).toBeCloseTo(1 / 3, 4);
    expect(monday.rejectedByReason).toEqual({ not_vending: 1 });
    expect(monday.timeToConfirm).toEqual({ count: 2, medianMinutes: 2, p90Minutes: 4 });
    expect(monday.timeToClose).toEqual({ count: 1, medianMinutes: 60, p90Minutes: 60 });
    expect(monday.overdue).toBe(1);
    expect(monday.outcomes).toEqual({ education: 1 });
    expect(monday.split721).toEqual({ service: 1, management: 0, enforcement: 0 });
    expect(days[1].rejectedByReason).toEqual({ "(none)": 1 });
    // Counted in UTC, Tuesday morning in Shanghai is still Monday.
    const utc = await statistics.groups({ ...week, by: "day", timeZone: "UTC" });
    expect(utc.map((d) => [d.group, d.candidates])).toEqual([["2026-11-16", 5]]);
  });

  it("groups by street, camera and event code, a camera without a street on its own row", async () => {
    expect((await statistics.groups({ ...week, by: "street" })).map((g) => [g.group, g.candidates])).toEqual([
      ["(no street)", 1],
      ["人民路", 3],
      ["解放路", 1],
    ]);
    expect((await statistics.groups({ ...week, by: "camera" })).map((g) => [g.group, g.candidates])).toEqual([
      ["cam-1", 3],
      ["cam-2", 1],
      ["cam-3", 1],
    ]);
    expect((await statistics.groups({ ...week, by: "code" })).map((g) => [g.group, g.candidates, g.rejected])).toEqual([
      ["05/01", 4, 1],
      ["05/02", 1, 1],
    ]);
  });

  it("refuses an empty or reversed period and one longer than a year", async () => {
    for (const q of [
      { from: week.to, to: week.from },
      { from: week.from, to: week.from },
      { from: at("2025-01-01T00:00:00Z"), to: at("2026-01-03T00:00:00Z") },
    ]) {
      const err = await statistics.groups({ ...q, by: "day", timeZone: "UTC" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).kind).toBe("invalid");
    }
  });

  it("writes the CSV with the reasons' and codes' own words in the reader's language", async () => {
    data.rejectReasons.not_vending = "非经营行为 (not vending)";
    data.eventCodes["05/01"] = "店外经营 (outside-shop trading)";
    const csv = await statistics.csv({ ...week, by: "code" }, "en");
    const [header, first] = csv.trim().split("\r\n");
    expect(header).toContain("Rejected: Not vending");
    expect(first.startsWith("05/01 Outside-shop trading,4,")).toBe(true);
    const zh = await statistics.csv({ ...week, by: "code" }, "zh");
    expect(zh).toContain("驳回-非经营行为");
    expect(zh).toContain("05/01 店外经营,4,");
  });
});
