import { useState, type FormEvent } from "react";
import { get, qs } from "../api/client.ts";
import type { CaseView, Page } from "../api/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { caseHref, normaliseCaseNumber } from "../review/case-links.ts";
import { useDescribeError } from "./feedback.tsx";
import { navigate } from "./router.tsx";
import { useUser } from "./session.tsx";

/**
 * The top bar's case-number box: Enter jumps straight to the case (the workspace; supervisors
 * its record, field staff their task). When there is no such case — or, for field staff, it is
 * not theirs — it says so under the box instead of leaving the person on an empty page.
 */
export function CaseNumberSearch() {
  const { t } = useI18n();
  const user = useUser();
  const describe = useDescribeError();
  const [typed, setTyped] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const number = normaliseCaseNumber(typed);
    if (!number) {
      setMessage(t("A case number looks like CW-000123"));
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      // GET /cases narrows field staff to their own tasks, so they never learn of another's case.
      const found = (await get<Page<CaseView>>(`/cases${qs({ number, limit: 1 })}`)).items[0];
      if (found) {
        setTyped("");
        navigate(caseHref(user.role, found.id));
      } else setMessage(t("No case with the number {number}", { number }));
    } catch (err) {
      setMessage(describe(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="case-search" role="search" onSubmit={(e) => void submit(e)}>
      <input
        name="caseSearch"
        type="search"
        inputMode="text"
        placeholder={t("Case number")}
        aria-label={t("Go to case number")}
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setMessage(null);
        }}
        onKeyDown={(e) => {
          if (e.key !== "Escape") return;
          setTyped("");
          setMessage(null);
        }}
        aria-invalid={message !== null}
        aria-describedby={message ? "case-search-message" : undefined}
      />
      <button type="submit" disabled={busy || !typed.trim()}>
        {t("Go")}
      </button>
      {message && (
        <span id="case-search-message" className="case-search-message" role="alert">
          {message}
        </span>
      )}
    </form>
  );
}
