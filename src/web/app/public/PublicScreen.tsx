import { useEffect, useState, type FormEvent } from "react";
import { ApiError, get, post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { labelIn } from "../i18n/labels.ts";
import { ErrorNotice, FieldError, formatDate, formatTime, Spinner, useAction, useLoad } from "../shell/feedback.tsx";
import { LanguageSwitch } from "../shell/LanguageSwitch.tsx";
import type { PublicCase, PublishedCamera, StatementSubmitted, CaseLookupInput, StatementInput } from "../api/types.ts";

type Credentials = { caseNumber: string; accessCode: string };

/**
 * The public side (no login, phone first): where the cameras are (Art. 41 行政处罚法), and
 * the party's case look-up with the number and access code from their notice, showing the
 * evidence with every person and vehicle blurred, and the statement form (陈述申辩).
 */
export function PublicScreen() {
  const { t } = useI18n();
  const [found, setFound] = useState<{ c: PublicCase; creds: Credentials } | null>(null);
  return (
    <div className="public">
      <header className="public-top">
        <h1>{t("City management: cameras and case look-up")}</h1>
        <LanguageSwitch />
      </header>
      <main>
        {found ? <CaseView c={found.c} creds={found.creds} onBack={() => setFound(null)} /> : <LookupForm onFound={(c, creds) => setFound({ c, creds })} />}
        <PublishedCameras />
      </main>
    </div>
  );
}

function LookupForm({ onFound }: { onFound: (c: PublicCase, creds: Credentials) => void }) {
  const { t } = useI18n();
  const [creds, setCreds] = useState<Credentials>({ caseNumber: "", accessCode: "" });
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const c = await action.run(() =>
      post<PublicCase>("/public/cases/lookup", { caseNumber: creds.caseNumber.trim(), accessCode: creds.accessCode.trim() } satisfies CaseLookupInput),
    );
    if (c) onFound(c, creds);
  }
  const notFound = action.error instanceof ApiError && action.error.status === 404;
  return (
    <form className="card public-lookup" onSubmit={submit}>
      <h2>{t("Look up your case")}</h2>
      <p className="muted">{t("Both are printed on the notice you received")}</p>
      <label>
        {t("Case number")}
        <input
          name="caseNumber"
          inputMode="text"
          autoComplete="off"
          placeholder="CW-000123"
          value={creds.caseNumber}
          onChange={(e) => setCreds({ ...creds, caseNumber: e.target.value })}
          required
        />
        <FieldError error={action.error} path="caseNumber" />
      </label>
      <label>
        {t("Access code")}
        <input name="accessCode" autoComplete="off" value={creds.accessCode} onChange={(e) => setCreds({ ...creds, accessCode: e.target.value })} required />
        <FieldError error={action.error} path="accessCode" />
      </label>
      {notFound ? (
        <p className="notice error" role="alert">
          {t("No case matches this case number and access code")}
        </p>
      ) : (
        <ErrorNotice error={action.error} />
      )}
      <button type="submit" className="primary big" disabled={action.busy}>
        {t("Look up")}
      </button>
    </form>
  );
}

function CaseView({ c, creds, onBack }: { c: PublicCase; creds: Credentials; onBack: () => void }) {
  const { t, lang } = useI18n();
  return (
    <section className="card public-case">
      <button type="button" className="link-button" onClick={onBack}>
        ← {t("Back")}
      </button>
      <h2>
        {c.caseNumber} <span className={`badge state-${c.stateCode}`}>{t(c.stateCode)}</span>
      </h2>
      <dl className="facts">
        <dt>{t("Violation")}</dt>
        <dd>{c.violation.name ? labelIn(c.violation.name, lang) : c.violation.code}</dd>
        <dt>{t("Place")}</dt>
        <dd>{[c.place.district, c.place.street, c.place.address].filter(Boolean).join(" · ") || "—"}</dd>
        <dt>{t("Observed")}</dt>
        <dd>
          {formatTime(c.observedFrom, lang)} – {formatTime(c.observedUntil, lang)}
        </dd>
        <dt>{t("Outcome")}</dt>
        <dd>{c.outcome ? t(c.outcome.code) : t("Not decided yet")}</dd>
      </dl>
      {c.firstViolationNotPenalised && <p className="notice ok">{t("First minor violation: education, no penalty")}</p>}
      {c.snapshotAvailable && <BlurredSnapshot creds={creds} />}
      <details className="evidence-hashes">
        <summary>{t("Evidence files and their fingerprints (SHA-256)")}</summary>
        <ul>
          {c.evidence.map((e) => (
            <li key={`${e.kind}-${e.sha256}`}>
              {t(e.kind)} · <code>{e.sha256.slice(0, 16)}…</code>
            </li>
          ))}
        </ul>
      </details>
      <StatementForm creds={creds} earlier={c.statements.length} />
    </section>
  );
}

/** The snapshot as the back end serves it publicly: people and vehicles already blurred there, never here. */
function BlurredSnapshot({ creds }: { creds: Credentials }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    fetch("/api/public/cases/snapshot", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ caseNumber: creds.caseNumber.trim(), accessCode: creds.accessCode.trim() }),
    })
      .then(async (r) => {
        if (!r.ok) throw new ApiError(r.status, "snapshot refused", undefined, ((await r.json().catch(() => ({}))) as { code?: string }).code);
        objectUrl = URL.createObjectURL(await r.blob());
        if (!cancelled) setUrl(objectUrl);
      })
      .catch((err: unknown) => !cancelled && setError(err));
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [creds.caseNumber, creds.accessCode]);
  return (
    <figure className="public-snapshot">
      {url ? <img src={url} alt={t("Snapshot")} /> : !error && <Spinner />}
      <ErrorNotice error={error} />
      <figcaption className="muted">{t("People and vehicles are blurred to protect others in the picture")}</figcaption>
    </figure>
  );
}

function StatementForm({ creds, earlier }: { creds: Credentials; earlier: number }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState("");
  const [contact, setContact] = useState("");
  const [sentAt, setSentAt] = useState<string | null>(null);
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await action.run(() =>
      post<StatementSubmitted>("/public/cases/statement", {
        caseNumber: creds.caseNumber.trim(),
        accessCode: creds.accessCode.trim(),
        text,
        ...(contact.trim() ? { contact: contact.trim() } : {}),
      } satisfies StatementInput),
    );
    if (r) {
      setSentAt(r.submittedAt);
      setText("");
    }
  }
  return (
    <form className="statement-form" onSubmit={submit}>
      <h3>{t("Statement or defence (陈述申辩)")}</h3>
      {earlier > 0 && <p className="muted">{t("{n} statement(s) already received", { n: earlier })}</p>}
      <label>
        {t("Your statement")}
        <textarea name="statement" rows={4} value={text} onChange={(e) => setText(e.target.value)} required />
        <FieldError error={action.error} path="text" />
      </label>
      <label>
        {t("Contact (optional)")}
        <input name="contact" value={contact} onChange={(e) => setContact(e.target.value)} />
      </label>
      <ErrorNotice error={action.error} />
      {sentAt && <p className="notice ok">✓ {t("Received on {t}; the department will answer", { t: formatTime(sentAt, lang) })}</p>}
      <button type="submit" className="primary big" disabled={action.busy || !text.trim()}>
        {t("Send statement")}
      </button>
    </form>
  );
}

function PublishedCameras() {
  const { t, lang } = useI18n();
  const cams = useLoad((signal) => get<PublishedCamera[]>("/public/cameras", signal), []);
  return (
    <section className="card public-cameras">
      <h2>{t("Published camera locations")}</h2>
      <p className="muted">{t("Cameras used for non-site enforcement are published with their location and purpose (Art. 41, Administrative Penalty Law)")}</p>
      <ErrorNotice error={cams.error} onRetry={cams.reload} />
      {cams.loading && !cams.value && <Spinner />}
      <ul className="camera-list">
        {(cams.value ?? []).map((c) => (
          <li key={`${c.name}-${c.address}`}>
            <b>{c.name}</b>
            <span>{[c.district, c.street, c.address].filter(Boolean).join(" · ")}</span>
            <span className="muted">
              {t("Watches")}: {c.watches.map((w) => (w.name ? labelIn(w.name, lang) : w.code)).join("、") || "—"} · {t("Published")}{" "}
              {formatDate(c.publishedAt, lang)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
