import type { Shop } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { ZoneDraft } from "./zone-draft.ts";

/** Rule parameters of one zone; the number inputs carry the contract's ranges. */
export function RuleForm({ zone, shops, onChange }: { zone: ZoneDraft; shops: Shop[]; onChange: (z: ZoneDraft) => void }) {
  const { t } = useI18n();
  const num = (k: "dwellSeconds" | "minScore" | "minBoxPx" | "cooldownSeconds") => (e: { target: { value: string } }) => onChange({ ...zone, [k]: Number(e.target.value) });
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
        <input name="eventCode" value={`${zone.eventCode.major}/${zone.eventCode.minor}`} pattern="\d{2}/\d{2}" onChange={(e) => {
          const [major = "", minor = ""] = e.target.value.split("/");
          onChange({ ...zone, eventCode: { major, minor } });
        }} />
      </label>
      <label>
        {t("Dwell seconds")}
        <input name="dwellSeconds" type="number" min={1} max={86400} value={zone.dwellSeconds} onChange={num("dwellSeconds")} />
      </label>
      <label>
        {t("Minimum score")}
        <input name="minScore" type="number" min={0} max={1} step={0.05} value={zone.minScore} onChange={num("minScore")} />
      </label>
      <label>
        {t("Minimum box (px)")}
        <input name="minBoxPx" type="number" min={0} value={zone.minBoxPx} onChange={num("minBoxPx")} />
      </label>
      <label>
        {t("Cooldown seconds")}
        <input name="cooldownSeconds" type="number" min={0} value={zone.cooldownSeconds} onChange={num("cooldownSeconds")} />
      </label>
      <label>
        {t("Anchor point")}
        <select name="anchor" value={zone.anchor} onChange={(e) => onChange({ ...zone, anchor: e.target.value as ZoneDraft["anchor"] })}>
          {["bottom_center", "center", "top_center", "any_corner", "whole_box"].map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
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
