import { useState, type FormEvent } from "react";
import { post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, FieldError, useAction } from "./feedback.tsx";
import type { PasswordInput } from "../api/types.ts";

/** Shown instead of the console while the account still has its initial password. */
export function PasswordChange({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await action.run(() => post("/auth/password", { currentPassword, newPassword } satisfies PasswordInput).then(() => true));
    if (ok) onDone();
  }
  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>{t("Change password")}</h1>
        <p>{t("You must change your password before continuing")}</p>
        <label>
          {t("Current password")}
          <input
            type="password"
            name="currentPassword"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
          <FieldError error={action.error} path="currentPassword" />
        </label>
        <label>
          {t("New password")}
          <input
            type="password"
            name="newPassword"
            autoComplete="new-password"
            value={newPassword}
            aria-describedby="new-password-rules"
            onChange={(e) => setNew(e.target.value)}
            required
          />
          <small id="new-password-rules" className="hint">
            {t("At least 12 characters, at least 5 different characters, not containing your user name")}
          </small>
          <FieldError error={action.error} path="newPassword" />
        </label>
        <ErrorNotice error={action.error} />
        <button className="primary" disabled={action.busy}>
          {t("Save")}
        </button>
      </form>
    </main>
  );
}
