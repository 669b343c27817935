import { useCallback, useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { errorSentence, fieldMessages } from "../i18n/error-messages.ts";

/** A failure in the person's language, from the API's stable code (never the server's raw text or status). */
export function useDescribeError(): (err: unknown) => string {
  const { t } = useI18n();
  return useCallback((err: unknown) => errorSentence(err, t), [t]);
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="notice error" role="alert">
      <span>{errorSentence(error, t)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("Retry")}
        </button>
      )}
    </div>
  );
}

/** What the server said about one field, shown right under it (empty when the field is fine). */
export function FieldError({ error, path }: { error: unknown; path: string }) {
  const { t } = useI18n();
  const messages = fieldMessages(error, path, t);
  if (!messages.length) return null;
  return (
    <span className="field-error" role="alert" data-field={path}>
      {[...new Set(messages)].join("；")}
    </span>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="spinner" role="status">
      <span className="spinner-dot" aria-hidden />
      {label ?? t("Loading…")}
    </div>
  );
}

export function ProgressBar({ fraction, label }: { fraction: number | null; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      aria-label={label}
    >
      <div
        className={fraction === null ? "progress-bar indeterminate" : "progress-bar"}
        style={fraction === null ? undefined : { width: `${Math.round(fraction * 100)}%` }}
      />
      <span className="progress-label">{label}</span>
    </div>
  );
}

/** Loads data for a screen: value, error, loading flag and a reload function; stale answers are dropped. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ value: T | undefined; error: unknown; loading: boolean }>({ value: undefined, error: null, loading: true });
  const ctl = useRef<AbortController | null>(null);
  const reload = useCallback(() => {
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    setState((s) => ({ ...s, loading: true }));
    load(c.signal).then(
      (value) => !c.signal.aborted && setState({ value, error: null, loading: false }),
      (error) => !c.signal.aborted && setState((s) => ({ value: s.value, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    reload();
    return () => ctl.current?.abort();
  }, [reload]);
  return { ...state, reload, setValue: (v: T) => setState({ value: v, error: null, loading: false }) };
}

/** Runs a user action: busy flag while it runs, its error kept for display. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/** A calendar date with its year (certificates, reviews): 2027-03-01 / 2027年3月1日. */
export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleDateString(lang === "zh" ? "zh-CN" : "en-GB", { year: "numeric", month: "2-digit", day: "2-digit" });
}

export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", {
    hour12: false,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}
