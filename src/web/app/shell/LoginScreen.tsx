import { useState, type FormEvent } from "react";
import { ApiError } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useSession } from "./session.tsx";
import { errorSentence } from "../i18n/error-messages.ts";
import { LanguageSwitch } from "./LanguageSwitch.tsx";

export function LoginScreen() {
  const { t } = useI18n();
  const { login } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setMessage(t("Wrong username or password"));
      else if (err instanceof ApiError && err.status === 429) setMessage(t("Too many attempts; try again in {n} s", { n: err.retryAfterSeconds ?? 60 }));
      else setMessage(errorSentence(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>{t("CurbWatch")}</h1>
        <label>
          {t("Username")}
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t("Password")}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {message && (
          <div className="notice error" role="alert">
            {message}
          </div>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? t("Signing in…") : t("Sign in")}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
