import { useState } from "react";
import type { CaseDetail } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { lightboxViews, pickSnapshots, SnapshotWithBoxes } from "./EvidenceViewer.tsx";
import { SnapshotLightbox, type LightboxView } from "./SnapshotLightbox.tsx";

export const OFFICER_PHOTO_KIND = "officer_photo";

/** The officer's photos beside the original evidence, so the operator can judge the result at a glance (and zoom into either). */
export function VerifyPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<{ views: LightboxView[]; title: string; overlay: boolean } | null>(null);
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
          {original ? (
            <SnapshotWithBoxes
              src={original.href}
              alt={t("Original evidence")}
              onOpen={() =>
                setOpen({
                  views: lightboxViews(detail.evidence, original, detail.objects),
                  title: `${detail.number} · ${t("Original evidence")}`,
                  overlay: true,
                })
              }
            />
          ) : (
            <p className="empty">{t("No evidence uploaded yet")}</p>
          )}
        </div>
        <div>
          <h4>
            {t("Officer's photos")} ({photos.length})
          </h4>
          {photos.length ? (
            photos.map((p) => (
              <SnapshotWithBoxes
                key={p.sha256}
                src={p.href}
                alt={t("Officer's photos")}
                onOpen={() =>
                  setOpen({ views: [{ href: p.href, kind: "plain", overlay: false }], title: `${detail.number} · ${t("Officer's photos")}`, overlay: false })
                }
              />
            ))
          ) : (
            <p className="empty">{t("No items")}</p>
          )}
        </div>
      </div>
      {open && <SnapshotLightbox views={open.views} objects={open.overlay ? detail.objects : null} title={open.title} onClose={() => setOpen(null)} />}
    </section>
  );
}
