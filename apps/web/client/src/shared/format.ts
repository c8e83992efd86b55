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

/**
 * Yuan as a person types them ("8000", "8,000", "1234.5", "¥1,234.56", and with a Chinese input
 * method "８，０００．５元") to integer fen: the digits before and after the point are read as
 * integers, never through a float. Null unless the text is a positive amount with at most two decimals.
 */
export function parseYuanToFen(text: string): number | null {
  // NFKC turns full-width digits, comma, point and ￥ into their ASCII forms.
  const typed = text.normalize('NFKC').trim().replace(/\s*元$/, '');
  const match = /^¥?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(typed);
  if (!match) return null;
  const fen = Number(match[1].replaceAll(',', '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) && fen > 0 ? fen : null;
}
