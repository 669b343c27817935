import { useI18n } from "../i18n/i18n.tsx";

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="link-button" aria-label={t("Language")} onClick={() => setLang(lang === "zh" ? "en" : "zh")}>
      {lang === "zh" ? "English" : "中文"}
    </button>
  );
}
