import { caseStates, type Camera, type EventCode } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { eventCodeLabel } from "../i18n/labels.ts";

export interface Filters {
  street: string;
  cameraId: string;
  code: string;
  /** "" = the review queue (candidates by priority); otherwise a state list of /api/cases. */
  state: string;
}

export function QueueFilters({ value, onChange, cameras, codes }: { value: Filters; onChange: (f: Filters) => void; cameras: Camera[]; codes: EventCode[] }) {
  const { t, lang } = useI18n();
  const streets = [...new Set(cameras.map((c) => c.street).filter((s): s is string => !!s))].sort();
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => onChange({ ...value, [k]: e.target.value });
  return (
    <div className="filters" role="search">
      <label>
        {t("Street")}
        <select name="street" value={value.street} onChange={set("street")}>
          <option value="">{t("All")}</option>
          {streets.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        {t("Camera")}
        <select name="cameraId" value={value.cameraId} onChange={set("cameraId")}>
          <option value="">{t("All")}</option>
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name || c.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("Event code")}
        <select name="code" value={value.code} onChange={set("code")}>
          <option value="">{t("All")}</option>
          {codes.map((c) => (
            <option key={`${c.major}/${c.minor}`} value={`${c.major}/${c.minor}`}>
              {eventCodeLabel(c, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("State")}
        <select name="state" value={value.state} onChange={set("state")}>
          <option value="">{t("Review queue")}</option>
          {caseStates.map((s) => (
            <option key={s} value={s}>
              {t(s)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
