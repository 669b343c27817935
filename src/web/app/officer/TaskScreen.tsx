import { useState } from "react";
import { get, post } from "../api/client.ts";
import { outcomes, type Camera, type CaseDetail, type Outcome, type CaseRecord, type TransitionedCase } from "../api/types.ts";
import { LocalError } from "../i18n/error-messages.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, formatTime, Spinner, useAction, useLoad } from "../shell/feedback.tsx";
import { navigate } from "../shell/router.tsx";
import { useUser } from "../shell/session.tsx";
import { pickSnapshots, SnapshotWithBoxes } from "../review/EvidenceViewer.tsx";
import { distanceMetres, formatDistance, navigationLinks } from "./geo.ts";
import { usePosition } from "./usePosition.ts";
import { PhotoUploader } from "./PhotoUploader.tsx";
import { OFFICER_PHOTO_KIND } from "../review/VerifyPanel.tsx";
import { AccessCodeNotice } from "../shell/AccessCodeNotice.tsx";

/** One task on the phone: where to go, what was seen, accept it, then record the outcome with photos. */
export function TaskScreen({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const user = useUser();
  const here = usePosition();
  const c = useLoad((signal) => get<CaseDetail>(`/cases/${caseId}`, signal), [caseId]);
  const cam = useLoad(
    async (signal) => (await get<Camera[]>("/cameras", signal).catch(() => [] as Camera[])).find((x) => x.id === c.value?.cameraId) ?? null,
    [c.value?.cameraId],
  );
  const record = useLoad((signal) => get<CaseRecord>(`/cases/${caseId}/record`, signal).catch(() => ({ entries: [] })), [caseId]);
  const entries = record.value?.entries ?? [];
  const accepted = entries.some((e) => e.action === "task.accepted" && e.actorId === user.id);
  // The latest send-back (返工) carries the operator's reason in its note.
  const sentBack = [...entries].reverse().find((e) => e.action === "case.send_back");
  const sendBackReason = sentBack && typeof (sentBack.after as { note?: unknown } | null)?.note === "string" ? (sentBack.after as { note: string }).note : null;
  const accept = useAction();
  // Set when recording the outcome issued the party's first access code: shown once, for the notice.
  const [accessCode, setAccessCode] = useState<string | null>(null);

  if (c.loading && !c.value) return <Spinner />;
  if (!c.value) return <ErrorNotice error={c.error} onRetry={c.reload} />;
  const d = c.value;
  const camera = cam.value;
  const label = camera?.address ?? camera?.name ?? d.cameraId;
  const nav = camera?.lat != null && camera?.lng != null ? navigationLinks(camera.lat, camera.lng, label) : null;
  const distance = here && camera?.lat != null && camera?.lng != null ? distanceMetres(here, { lat: camera.lat, lng: camera.lng }) : null;
  const snap = pickSnapshots(d.evidence)[0];

  return (
    <section className="task">
      <button type="button" className="link-button" onClick={() => navigate("/tasks")}>
        ← {t("My tasks")}
      </button>
      <h2>
        {d.number} · {t(d.rule)} <span className={`badge state-${d.state}`}>{t(d.state)}</span>
      </h2>
      <p>
        <b>{t("Address")}:</b> {label}
        <br />
        <span className="muted">
          {distance !== null ? t("{d} away", { d: formatDistance(distance) }) : t("Location unknown")} · {t("Due")} {formatTime(d.dueAt, lang)}
        </span>
      </p>
      <div className="actions">
        {nav && (
          <>
            <a className="button-like" href={nav.geo}>
              {t("Navigate")}
            </a>
            <a className="button-like" href={nav.web} target="_blank" rel="noreferrer">
              {t("Map")}
            </a>
          </>
        )}
        {d.state === "dispatched" && (
          <button
            type="button"
            className={accepted ? "" : "primary"}
            disabled={accepted || accept.busy}
            onClick={() => void accept.run(() => post(`/cases/${d.id}/accept`, {})).then(() => record.reload())}
          >
            {accepted ? `✓ ${t("Accepted")}` : t("Accept")}
          </button>
        )}
      </div>
      <ErrorNotice error={accept.error} />
      {d.state === "dispatched" && sendBackReason && (
        <p className="notice warn send-back-reason" role="status">
          {t("Sent back by the command center")}: {sendBackReason}
        </p>
      )}
      {snap && <SnapshotWithBoxes src={snap.href} alt={t("Snapshot")} objects={snap.kind.endsWith("_annotated") ? null : d.objects} />}
      {d.state === "dispatched" ? (
        <>
          {!accepted && (
            <p className="notice warn" data-accept-first>
              {t("Accept the task first; then record the outcome")}
            </p>
          )}
          {/* Shown before acceptance too, so the person sees what comes, but nothing in it works until then. */}
          <OutcomeForm
            detail={d}
            role={user.role}
            enabled={accepted}
            onDone={(code) => {
              if (code) setAccessCode(code);
              c.reload();
              record.reload();
            }}
          />
        </>
      ) : (
        d.outcome && (
          <p className="notice ok">
            ✓ {t("Done")}: {t(d.outcome.outcome)}
          </p>
        )
      )}
      {accessCode && <AccessCodeNotice code={accessCode} caseNumber={d.number} />}
    </section>
  );
}

/** Outcomes that are enforcement decisions: never offered to auxiliary staff or on a dissuasion task. */
const enforcementDecisions: readonly Outcome[] = ["order_to_correct", "file_case", "no_case_filed"];
/** Outcomes that need on-site photos as proof (a non-case and a refusal to file need none); the back end refuses them without one. */
const needsPhoto: readonly Outcome[] = ["education", "order_to_correct", "file_case"];

export function outcomesFor(role: string, task: string | undefined): Outcome[] {
  return role === "auxiliary" || task === "dissuasion" ? outcomes.filter((o) => !enforcementDecisions.includes(o)) : [...outcomes];
}

function OutcomeForm({
  detail,
  role,
  enabled,
  onDone,
}: {
  detail: CaseDetail;
  role: string;
  enabled: boolean;
  onDone: (accessCode: string | undefined) => void;
}) {
  const { t } = useI18n();
  const offered = outcomesFor(role, detail.dispatch?.task ?? undefined);
  // Nothing is preselected: the person on site decides.
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  // Photos already on the case (taken before a reload or before a send-back) count as well.
  const earlier = detail.evidence.filter((e) => e.kind === OFFICER_PHOTO_KIND).length;
  const [uploaded, setUploaded] = useState(0);
  const photos = earlier + uploaded;
  const action = useAction();
  const needsReason = outcome === "no_case_filed";
  const photoMissing = outcome !== null && needsPhoto.includes(outcome) && photos === 0;
  return (
    <form
      className="outcome-form card"
      aria-disabled={!enabled}
      onSubmit={(e) => {
        e.preventDefault();
        if (!enabled) return;
        if (!outcome) return void action.setError(new LocalError(t("Choose an outcome")));
        if (photoMissing) return void action.setError(new LocalError(t("Add at least one photo of the site for this outcome")));
        void action
          .run(() =>
            post<TransitionedCase>(`/cases/${detail.id}/outcome`, {
              outcome,
              ...(reason ? { reason } : {}),
              ...(note ? { note } : {}),
              expectedVersion: detail.version,
            }),
          )
          .then((r) => r && onDone(r.accessCode));
      }}
    >
      {/* A disabled fieldset disables every control in it, the photo input included. */}
      <fieldset className="plain" disabled={!enabled}>
        <h3>{t("Record outcome")}</h3>
        {detail.firstViolation?.treatment === "first_violation_education" && (
          <p className="notice warn">
            {t("First violation")}: {t("education")}
          </p>
        )}
        <div className="outcome-choices" role="radiogroup" aria-label={t("Outcome")}>
          {offered.map((o) => (
            <label key={o} className={o === outcome ? "choice selected" : "choice"}>
              <input type="radio" name="outcome" value={o} checked={o === outcome} onChange={() => setOutcome(o)} />
              {t(o)}
            </label>
          ))}
        </div>
        {needsReason && (
          <label>
            {t("Reason")} *
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
        )}
        <label>
          {t("Note")}
          <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <h4>
          {t("Photos")} ({photos}){outcome && needsPhoto.includes(outcome) ? ` · ${t("at least one needed")}` : ""}
        </h4>
        {photoMissing && (
          <p className="notice warn" role="status" data-photo-needed>
            {t("{outcome} needs at least one photo of the site; take one below", { outcome: t(outcome) })}
          </p>
        )}
        <PhotoUploader caseId={detail.id} onUploaded={setUploaded} />
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary big" disabled={action.busy || photoMissing}>
          ✓ {t("Mark done")}
        </button>
      </fieldset>
    </form>
  );
}
