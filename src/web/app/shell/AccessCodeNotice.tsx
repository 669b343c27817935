import { useI18n } from "../i18n/i18n.tsx";

/**
 * A party's access code the server just issued (on dispatch, a decision or a re-issue). Only
 * its hash is kept, so this is the one moment it can go on the printed notice.
 */
export function AccessCodeNotice({ code, caseNumber }: { code: string; caseNumber: string }) {
  const { t } = useI18n();
  return (
    <span className="notice ok access-code-notice" role="status" data-access-code={code}>
      <span>
        {t("Case number")}: <b>{caseNumber}</b> · {t("Access code")}: <b className="code">{code}</b>
      </span>
      <span>{t("Print the notice (告知书) with this access code now; it is shown only this once")}</span>
    </span>
  );
}
