import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { objectRoles, type RuleActivity, type ZoneDetection } from "../../src/contracts/index.ts";
import { detectionName, ruleStandingText } from "../../src/web/app/admin/zone-activity.ts";
import { en } from "../../src/web/app/i18n/en.ts";
import { zh } from "../../src/web/app/i18n/zh.ts";
import { repoRoot } from "../support/paths.ts";

/** The console's translator (as in i18n.tsx), recording phrases Chinese lacks. */
function translator(lang: "zh" | "en", missing: string[] = []) {
  return (phrase: string, vars?: Record<string, string | number>) => {
    if (lang === "zh" && zh[phrase] === undefined) missing.push(phrase);
    let s = lang === "zh" ? (zh[phrase] ?? phrase) : (en[phrase] ?? phrase);
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
    return s;
  };
}

const head = { ruleId: "r", kind: "street_vending" } as const;
const none = { lowScore: 0, smallBox: 0, smallStatic: 0 };
const cases: [RuleActivity, string, string][] = [
  [{ ...head, state: "raised", detail: { sinceSeconds: 40 } }, "已触发：40 秒前已上报候选事件", "Raised: a candidate was reported 40 s ago"],
  [
    { ...head, state: "counting", detail: { dwellSoFarSeconds: 12, dwellSeconds: 20 } },
    "计时中：已停留 12 秒 / 需 20 秒",
    "Counting: stayed 12 s of the 20 s needed",
  ],
  [{ ...head, state: "outside_schedule", detail: {} }, "不在布防时段", "Outside the arming schedule"],
  [{ ...head, state: "cooldown", detail: { secondsLeft: 240 } }, "冷却中：还剩 240 秒", "Cooling down: 240 s left"],
  [
    { ...head, state: "no_frames", detail: { sinceSeconds: null } },
    "没有画面：边缘节点尚未分析到该摄像头的画面",
    "No picture: the edge has not analysed a frame of this camera yet",
  ],
  [{ ...head, state: "no_frames", detail: { sinceSeconds: 31 } }, "没有画面：已 31 秒未分析到画面", "No picture: no frame analysed for 31 s"],
  [
    {
      ...head,
      state: "not_enough",
      detail: { persons: { seen: 1, needed: 1 }, gear: { seen: 0, needed: 1 }, gearNotNear: 0, dropped: { ...none, lowScore: 2 } },
    },
    "未触发：需要至少 1 件摊具，当前 0 件；2 个低于置信度阈值的物体被忽略",
    "Not raised: needs at least 1 piece(s) of vending gear, 0 now; 2 object(s) below the confidence threshold ignored",
  ],
  [
    {
      ...head,
      state: "not_enough",
      detail: { persons: { seen: 0, needed: 2 }, gear: { seen: 0, needed: 1 }, gearNotNear: 1, dropped: { lowScore: 0, smallBox: 3, smallStatic: 1 } },
    },
    "未触发：需要至少 2 人，当前 0 人；需要至少 1 件摊具，当前 0 件；1 件摊具离人太远；3 个小于最小目标尺寸的物体被忽略；1 个过小的静止物体被忽略",
    "Not raised: needs at least 2 person(s), 0 now; needs at least 1 piece(s) of vending gear, 0 now; 1 piece(s) of vending gear too far from anyone; 3 object(s) smaller than the minimum box ignored; 1 static object(s) too small for the zone ignored",
  ],
  [
    { ruleId: "o", kind: "shop_overflow", state: "not_enough", detail: { beyondLine: { seen: 1, needed: 2 }, behindLine: 2, dropped: none } },
    "未触发：需要至少 2 件越过店面线的物品，当前 1 件；2 件物品在店面线以内",
    "Not raised: needs at least 2 object(s) beyond the shop front line, 1 now; 2 object(s) on the shop's side of the front line",
  ],
  [
    { ...head, state: "not_enough", detail: { persons: { seen: 0, needed: 0 }, gear: { seen: 0, needed: 0 }, dropped: none } },
    "未触发：区域内没有符合该规则的物体",
    "Not raised: nothing in the zone counts for this rule",
  ],
];

describe("the zone activity panel's words", () => {
  it("says where each rule stands in Chinese and English, never with a state's name", () => {
    const missing: string[] = [];
    for (const [rule, chinese, english] of cases) {
      expect(ruleStandingText(rule, translator("zh", missing))).toBe(chinese);
      expect(ruleStandingText(rule, translator("en"))).toBe(english);
    }
    expect(missing, "phrases without Chinese").toEqual([]);
  });

  it("names every class the shipped detectors know, and every role, in Chinese; an unknown class by its role", () => {
    const missing: string[] = [];
    const zhT = translator("zh", missing);
    const name = (label: string, role: ZoneDetection["role"], lang: "zh" | "en" = "zh") =>
      detectionName({ label, role, score: 0.5, box: [0, 0, 1, 1] }, lang === "zh" ? zhT : translator("en"), lang);
    for (const model of ["nanodet", "centernet"]) {
      const classes = (JSON.parse(readFileSync(path.join(repoRoot, "models", `${model}.json`), "utf8")) as { classes: string[] }).classes;
      for (const label of classes) expect(name(label, "other"), label).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    for (const role of objectRoles) expect(name(`department-${role}`, role), role).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(
      missing.filter((p) => !p.startsWith("department-")),
      "labels without Chinese",
    ).toEqual([]);
    expect(name("umbrella", "vending_gear")).toBe("雨伞");
    expect(name("static_object", "static_object")).toBe("静止物体");
    expect(name("cart", "vending_gear"), "a department model's own class").toBe("摊具");
    expect(name("static_object", "static_object", "en")).toBe("static object");
    expect(name("dining table", "vending_gear", "en")).toBe("dining table");
  });
});
