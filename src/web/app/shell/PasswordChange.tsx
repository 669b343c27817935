import { useState, type FormEvent } from "react";
import { post } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { ErrorNotice, useAction } from "./feedback.tsx";

/** Shown instead of the console while the account still has its initial password. */
export function PasswordChange({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await action.run(() => post("/auth/password", { currentPassword, newPassword }).then(() => true));
    if (ok) onDone();
  }
  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>{t("Change password")}</h1>
        <p>{t("You must change your password before continuing")}</p>
        <label>
          {t("Current password")}
          <input type="password" name="currentPassword" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label>
          {t("New password")}
          <input type="password" name="newPassword" autoComplete="new-password" minLength={8} value={newPassword} onChange={(e) => setNew(e.target.value)} required />
        </label>
        <ErrorNotice error={action.error} />
        <button className="primary" disabled={action.busy}>
          {t("Save")}
        </button>
      </form>
    </main>
  );
}
