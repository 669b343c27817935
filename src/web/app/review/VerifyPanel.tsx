import type { CaseDetail } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { pickSnapshots, SnapshotWithBoxes } from "./EvidenceViewer.tsx";

export const OFFICER_PHOTO_KIND = "officer_photo";

/** The officer's photos beside the original evidence, so the operator can judge the result at a glance. */
export function VerifyPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useI18n();
  const original = pickSnapshots(detail.evidence)[0];
  const photos = detail.evidence.filter((e) => e.kind === OFFICER_PHOTO_KIND && e.uploaded);
  return (
    <section className="panel verify" aria-label={t("Officer's photos")}>
      {detail.outcome && (
        <p className="outcome-line">
          <b>{t("Outcome")}:</b> {t(detail.outcome.outcome)} {detail.outcome.class721 && `· 721: ${t(detail.outcome.class721)}`}{" "}
          {detail.outcome.note && `· ${detail.outcome.note}`}
          {detail.outcome.reason && ` · ${detail.outcome.reason}`}
        </p>
      )}
      <div className="side-by-side">
        <div>
          <h4>{t("Original evidence")}</h4>
          {original ? <SnapshotWithBoxes src={original.href} alt={t("Original evidence")} /> : <p className="empty">{t("No evidence uploaded yet")}</p>}
        </div>
        <div>
          <h4>
            {t("Officer's photos")} ({photos.length})
          </h4>
          {photos.length ? (
            photos.map((p) => <SnapshotWithBoxes key={p.sha256} src={p.href} alt={t("Officer's photos")} />)
          ) : (
            <p className="empty">{t("No items")}</p>
          )}
        </div>
      </div>
    </section>
  );
}
