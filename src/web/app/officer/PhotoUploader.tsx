import { useState } from "react";
import { uploadWithProgress } from "../api/client.ts";
import type { OfficerPhoto } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, ProgressBar } from "../shell/feedback.tsx";
import { compressPhoto } from "./photo-compress.ts";

interface Uploaded {
  sha256: string;
  preview: string;
}

/** Takes photos with the phone camera and uploads each at once, so a dropped connection loses at most one. */
export function PhotoUploader({ caseId, onUploaded }: { caseId: string; onUploaded: (count: number) => void }) {
  const { t } = useI18n();
  const [uploaded, setUploaded] = useState<Uploaded[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [failed, setFailed] = useState<File | null>(null);

  async function send(file: File) {
    setError(null);
    setFailed(null);
    setProgress(0);
    try {
      const blob = await compressPhoto(file);
      const r = await uploadWithProgress<OfficerPhoto>(`/cases/${caseId}/photos`, blob, blob.type || "image/jpeg", setProgress);
      setUploaded((u) => {
        const next = [...u, { sha256: r.sha256, preview: URL.createObjectURL(blob) }];
        onUploaded(next.length);
        return next;
      });
    } catch (err) {
      setError(err);
      setFailed(file);
    } finally {
      setProgress(null);
    }
  }

  return (
    <div className="photos">
      <div className="thumbs">
        {uploaded.map((p) => (
          <img key={p.sha256} src={p.preview} alt={t("Photo uploaded")} title={p.sha256} />
        ))}
      </div>
      {progress !== null && <ProgressBar fraction={progress} label={t("Uploading photo… {p}%", { p: Math.round(progress * 100) })} />}
      <ErrorNotice error={error} onRetry={failed ? () => void send(failed) : undefined} />
      <label className="button-like big">
        + {uploaded.length ? t("Add photo") : t("Take photo")}
        <input
          type="file"
          name="photo"
          accept="image/*"
          capture="environment"
          hidden
          disabled={progress !== null}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = "";
            void (async () => {
              for (const f of files) await send(f);
            })();
          }}
        />
      </label>
    </div>
  );
}
