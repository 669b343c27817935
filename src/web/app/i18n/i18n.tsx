import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { zh } from "./zh.ts";
import { en } from "./en.ts";

export type Lang = "zh" | "en";
const STORAGE_KEY = "curbwatch.lang";

type Translate = (phrase: string, vars?: Record<string, string | number>) => string;
const I18nContext = createContext<{ lang: Lang; setLang: (l: Lang) => void; t: Translate } | null>(null);

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === "en" || stored === "zh" ? stored : "zh";
}

/** Chinese by default; the choice is kept in localStorage so every shift starts in the operator's language. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
    setLangState(l);
  }, []);
  const t = useCallback<Translate>(
    (phrase, vars) => {
      let s = lang === "zh" ? (zh[phrase] ?? phrase) : (en[phrase] ?? phrase);
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
      return s;
    },
    [lang],
  );
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  const v = useContext(I18nContext);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}
