import { useState } from "react";
import type { CaseDetail, DetectedObject, EvidenceLink } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ProgressBar } from "../shell/feedback.tsx";
import { SnapshotLightbox, type LightboxView } from "./SnapshotLightbox.tsx";

const snapshotOrder = ["snapshot_start_annotated", "snapshot_end_annotated", "snapshot_start", "snapshot_end"];

/** The best picture first: annotated snapshots carry the edge's own boxes; raw ones get ours drawn over them. */
export function pickSnapshots(evidence: EvidenceLink[]): EvidenceLink[] {
  return evidence
    .filter((e) => e.uploaded && e.contentType.startsWith("image/") && snapshotOrder.includes(e.kind))
    .sort((a, b) => snapshotOrder.indexOf(a.kind) - snapshotOrder.indexOf(b.kind));
}

/**
 * The ways to look at the shown snapshot full-screen: the edge's annotated file and the plain
 * one of the same moment; with only a plain file, "annotated" is that file with our boxes over it.
 */
export function lightboxViews(evidence: EvidenceLink[], shown: EvidenceLink, objects?: DetectedObject[] | null): LightboxView[] {
  const moment = shown.kind.startsWith("snapshot_end") ? "snapshot_end" : "snapshot_start";
  const snaps = pickSnapshots(evidence);
  const annotated = snaps.find((e) => e.kind === `${moment}_annotated`);
  const plain = snaps.find((e) => e.kind === moment);
  const views: LightboxView[] = [];
  if (annotated) views.push({ href: annotated.href, kind: "annotated", overlay: false });
  else if (plain && objects?.length) views.push({ href: plain.href, kind: "annotated", overlay: true });
  if (plain) views.push({ href: plain.href, kind: "plain", overlay: false });
  return views.length ? views : [{ href: shown.href, kind: "plain", overlay: false }];
}

export function SnapshotWithBoxes({
  src,
  objects,
  zone,
  alt,
  onOpen,
}: {
  src: string;
  objects?: DetectedObject[] | null;
  zone?: [number, number][] | null;
  alt: string;
  /** Opens the picture full-screen (the lightbox); without it the picture is not clickable. */
  onOpen?: () => void;
}) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(false);
  const picture = (
    <>
      {failed ? <div className="snapshot-missing">{alt} ✕</div> : <img src={src} alt={alt} onError={() => setFailed(true)} />}
      <svg viewBox="0 0 1 1" preserveAspectRatio="none" className="overlay" aria-hidden>
        {zone && zone.length > 2 && <polygon points={zone.map((p) => p.join(",")).join(" ")} className="zone-outline" />}
        {objects
          ?.filter((o) => o.box.every((v) => v >= 0 && v <= 1))
          .map((o, i) => (
            <rect key={i} x={o.box[0]} y={o.box[1]} width={o.box[2] - o.box[0]} height={o.box[3] - o.box[1]} className={`box role-${o.role}`} />
          ))}
      </svg>
    </>
  );
  return (
    <figure className="snapshot">
      {onOpen && !failed ? (
        <button type="button" className="snapshot-open" onClick={onOpen} title={t("Open full-screen to zoom")} data-open-lightbox>
          {picture}
          <span className="snapshot-zoom-hint" aria-hidden>
            ⤢
          </span>
        </button>
      ) : (
        picture
      )}
    </figure>
  );
}

/** A clip can be megabytes over a command-center link: show how much has buffered until it can play. */
export function ClipPlayer({ src }: { src: string }) {
  const { t } = useI18n();
  const [buffered, setBuffered] = useState<number | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState(false);
  return (
    <div className="clip">
      <video
        src={src}
        controls
        muted
        playsInline
        preload="auto"
        onProgress={(e) => {
          const v = e.currentTarget;
          if (v.duration > 0 && v.buffered.length) setBuffered(v.buffered.end(v.buffered.length - 1) / v.duration);
        }}
        onCanPlay={() => setReady(true)}
        onError={() => setError(true)}
      />
      {!ready && !error && <ProgressBar fraction={buffered} label={t("Loading clip…")} />}
      {error && <div className="notice error">{t("Clip")}: ✕</div>}
    </div>
  );
}

export function EvidenceViewer({ detail, zone }: { detail: CaseDetail; zone?: [number, number][] | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const snaps = pickSnapshots(detail.evidence);
  const clip = detail.evidence.find((e) => e.kind === "clip" && e.uploaded);
  if (!snaps.length && !clip)
    return (
      <div className="evidence">
        <div className="snapshot-missing">{t("No evidence uploaded yet")}</div>
      </div>
    );
  const main = snaps[0];
  return (
    <div className="evidence">
      {main && (
        <SnapshotWithBoxes
          src={main.href}
          alt={t("Annotated snapshot")}
          objects={main.kind.endsWith("_annotated") ? null : detail.objects}
          zone={zone}
          onOpen={() => setOpen(true)}
        />
      )}
      {clip && <ClipPlayer src={clip.href} />}
      {open && main && (
        <SnapshotLightbox
          views={lightboxViews(detail.evidence, main, detail.objects)}
          objects={detail.objects}
          zone={zone}
          title={`${detail.number} · ${t("Snapshot")}`}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}
