import type { Shop } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { ZoneDraft } from "./zone-draft.ts";

type NumberKey =
  | "dwellSeconds"
  | "minScore"
  | "minMedianScore"
  | "minBoxPx"
  | "cooldownSeconds"
  | "endAfterSeconds"
  | "minPersons"
  | "minGear"
  | "nearFactor"
  | "stationaryTolerance"
  | "minObjects";

/** Each rule parameter with its range and what it decides (shown under the field). */
/** The form's label of a rule field (English key; zh.ts holds the Chinese), for messages that name it. */
export function ruleFieldLabel(key: string): string | undefined {
  return numberFields.find((f) => f.key === key)?.label;
}

const numberFields: { key: NumberKey; label: string; help: string; min: number; max?: number; step?: number; only?: ZoneDraft["kind"] }[] = [
  { key: "dwellSeconds", label: "Dwell seconds", help: "How long the situation must last inside the zone before a candidate is raised", min: 1, max: 86400 },
  { key: "minPersons", label: "Minimum persons", help: "People that must stand still in the zone (0: gear alone is enough)", min: 0, only: "street_vending" },
  {
    key: "minGear",
    label: "Minimum vending gear",
    help: "Umbrellas, carts, tables or goods that must be near those people (0: people alone are enough). A zone stays quiet when the detector sees no gear",
    min: 0,
    only: "street_vending",
  },
  {
    key: "nearFactor",
    label: "Gear distance (× person height)",
    help: "Gear counts as belonging to a person within this many person heights",
    min: 0.1,
    step: 0.1,
    only: "street_vending",
  },
  {
    key: "stationaryTolerance",
    label: "Standing-still tolerance",
    help: "Movement (in box sizes) below which a person counts as standing still; smaller is stricter",
    min: 0.05,
    step: 0.05,
    only: "street_vending",
  },
  {
    key: "minObjects",
    label: "Minimum objects beyond the line",
    help: "Goods, tables or racks that must stand on the street side of the shop front line",
    min: 1,
    only: "shop_overflow",
  },
  { key: "minScore", label: "Minimum score", help: "Detections below this confidence are ignored in every frame", min: 0, max: 1, step: 0.05 },
  {
    key: "minMedianScore",
    label: "Minimum median score",
    help: "The track's median confidence must reach this, so one lucky frame is not enough",
    min: 0,
    max: 1,
    step: 0.05,
  },
  { key: "minBoxPx", label: "Minimum box (px)", help: "Objects smaller than this (in detector pixels) are ignored: far away or noise", min: 0 },
  {
    key: "cooldownSeconds",
    label: "Cooldown seconds",
    help: "After a situation ends, the same zone stays silent this long (no re-alert for the same stall)",
    min: 0,
  },
  { key: "endAfterSeconds", label: "End after (s)", help: "A situation ends when nothing qualifying has been seen for this long", min: 1 },
];

const anchors: ZoneDraft["anchor"][] = ["bottom_center", "center", "top_center", "any_corner", "whole_box"];

/** Rule parameters of one zone, every one with its range and an explanation. */
export function RuleForm({ zone, shops, onChange }: { zone: ZoneDraft; shops: Shop[]; onChange: (z: ZoneDraft) => void }) {
  const { t } = useI18n();
  const num = (k: NumberKey) => (e: { target: { value: string } }) => onChange({ ...zone, [k]: Number(e.target.value) });
  return (
    <div className="rule-form form-grid">
      <label>
        ID
        <input name="zoneId" value={zone.id} onChange={(e) => onChange({ ...zone, id: e.target.value })} />
      </label>
      <label>
        {t("Name")}
        <input name="zoneName" value={zone.name} onChange={(e) => onChange({ ...zone, name: e.target.value })} />
      </label>
      <label>
        {t("Rule")}
        <select
          name="ruleKind"
          value={zone.kind}
          onChange={(e) => {
            const kind = e.target.value as ZoneDraft["kind"];
            onChange({ ...zone, kind, eventCode: { major: "05", minor: kind === "street_vending" ? "01" : "04" } });
          }}
        >
          <option value="street_vending">{t("Street vending")}</option>
          <option value="shop_overflow">{t("Shop overflow")}</option>
        </select>
      </label>
      <label>
        {t("Event code")}
        <input
          name="eventCode"
          value={`${zone.eventCode.major}/${zone.eventCode.minor}`}
          pattern="\d{2}/\d{2}"
          onChange={(e) => {
            const [major = "", minor = ""] = e.target.value.split("/");
            onChange({ ...zone, eventCode: { major, minor } });
          }}
        />
        <small className="hint">{t("National taxonomy: 05/01 street vending, 05/04 shop overflow")}</small>
      </label>
      {numberFields
        .filter((f) => !f.only || f.only === zone.kind)
        .map((f) => (
          <label key={f.key}>
            {t(f.label)}
            <input name={f.key} type="number" min={f.min} max={f.max} step={f.step ?? 1} value={zone[f.key]} onChange={num(f.key)} />
            <small className="hint">{t(f.help)}</small>
          </label>
        ))}
      <label>
        {t("Anchor point")}
        <select name="anchor" value={zone.anchor} onChange={(e) => onChange({ ...zone, anchor: e.target.value as ZoneDraft["anchor"] })}>
          {anchors.map((a) => (
            <option key={a} value={a}>
              {t(a)}
            </option>
          ))}
        </select>
        <small className="hint">{t("Which point of an object's box must be inside the zone (bottom centre = where a person stands)")}</small>
      </label>
      <label>
        {t("Time zone")}
        <input name="timezone" value={zone.timezone} onChange={(e) => onChange({ ...zone, timezone: e.target.value })} />
        <small className="hint">{t("The weekly schedule is read in this time zone")}</small>
      </label>
      {zone.kind === "shop_overflow" && (
        <label>
          {t("Linked shop")}
          <select name="shopId" value={zone.shopId} onChange={(e) => onChange({ ...zone, shopId: e.target.value })}>
            <option value="">—</option>
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {s.address}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
