import type { Language } from '../i18n/language';

const locale = (language: Language) => (language === 'zh' ? 'zh-CN' : 'en-GB');

/** Integer fen as yuan, exactly (no float arithmetic on money: the fen are split as integers). */
export function formatYuan(fen: number, language: Language): string {
  const negative = fen < 0;
  const absolute = Math.abs(fen);
  const yuan = Math.floor(absolute / 100);
  const cents = absolute % 100;
  const whole = new Intl.NumberFormat(locale(language)).format(yuan);
  return `${negative ? '-' : ''}¥${whole}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`;
}

/** An instant on the instrument's local clock, with the zone's name when it is not China's. */
export function formatLocal(iso: string, timeZone: string, language: Language, options: Intl.DateTimeFormatOptions = {}): string {
  const text = new Intl.DateTimeFormat(locale(language), {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...options,
  }).format(new Date(iso));
  return timeZone === 'Asia/Shanghai' ? text : `${text} (${timeZone})`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
