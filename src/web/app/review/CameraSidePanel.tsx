import type { Camera, CaseView } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatTime } from "../shell/feedback.tsx";
import { LiveView } from "./LiveView.tsx";

/** The camera behind the selected item: where it is, what else it reported lately, and its live picture on demand. */
export function CameraSidePanel({
  camera,
  cameraId,
  recent,
  currentId,
  onSelect,
}: {
  camera: Camera | undefined;
  cameraId: string;
  recent: CaseView[];
  currentId: string;
  onSelect: (id: string) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <aside className="side-panel" aria-label={t("Camera")}>
      <h3>{camera?.name ?? cameraId}</h3>
      <p className="muted">
        {[camera?.district, camera?.street, camera?.grid].filter(Boolean).join(" · ")}
        {camera?.address && <br />}
        {camera?.address}
      </p>
      <LiveView cameraId={cameraId} />
      <h4>{t("Other recent items from this camera")}</h4>
      <ul className="recent">
        {recent
          .filter((c) => c.id !== currentId)
          .map((c) => (
            <li key={c.id}>
              <button type="button" className="link-button" onClick={() => onSelect(c.id)}>
                {c.number}
              </button>{" "}
              <span className={`badge state-${c.state}`}>{t(c.state)}</span> <span className="muted">{formatTime(c.startedAt, lang)}</span>
            </li>
          ))}
      </ul>
    </aside>
  );
}
