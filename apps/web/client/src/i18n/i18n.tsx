import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Language } from './language';
import { en, zh } from './messages';
import type { Messages } from './messages';

export type { Language };

interface I18n {
  language: Language;
  t: Messages;
  setLanguage(language: Language): void;
}

const STORAGE_KEY = 'language';
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh'));
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo(() => ({ language, t: language === 'zh' ? zh : en, setLanguage }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** A name in the current language, falling back to Chinese (the national record's language). */
export function localName(language: Language, item: { nameZh: string; nameEn?: string | null }): string {
  return language === 'en' && item.nameEn ? item.nameEn : item.nameZh;
}

/**
 * A feature's own texts in both languages; `en` must have every key `zh` has (checked by the type).
 * Pages keep their texts beside them, so features never edit one shared dictionary.
 */
export function defineTexts<T>(texts: { zh: T; en: NoInfer<T> }): { zh: T; en: T } {
  return texts;
}

/** The feature's texts in the current language. */
export function useTexts<T>(texts: { zh: T; en: T }): T {
  return texts[useI18n().language];
}
