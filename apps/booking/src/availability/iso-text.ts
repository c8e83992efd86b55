/**
 * ISO-8601 text of instants written as Date.prototype.toISOString writes them, remembered for
 * whole minutes (every slot start is one): a free-slots answer writes three such strings for each
 * of its hundreds of starts, and building and printing a Date for each was 45 % of the request's
 * CPU. Slot starts lie on a grid every instrument of a zone shares, so most answers write texts
 * already made: no Date and no new string, so less garbage for the collector too, whose pauses set
 * the slowest answers.
 */

const MS_PER_MINUTE = 60_000;
/** toISOString writes 'YYYY-MM-DDTHH:mm:ss.sssZ' for four-digit years; remembered texts keep to 1970-9999. */
const YEAR_10000 = Date.UTC(10_000, 0, 1);
/** Texts remembered per suffix before that memory starts afresh: 90 days of 5-minute starts is 25,920. */
const MAX_REMEMBERED_TEXTS = 40_000;

const offsetTexts = new Map<number, string>();
/** Texts of whole minutes by suffix ('Z' or an offset such as '+08:00'), then by wall time. */
const rememberedTexts = new Map<string, Map<number, string>>();

/** As `new Date(instant).toISOString()`: '2026-06-01T00:00:00.000Z'. */
export function utcIso(instant: number): string {
  return isRemembered(instant) ? rememberedText(instant, 'Z') : new Date(instant).toISOString();
}

/**
 * 'YYYY-MM-DDTHH:mm:ss.sss' of a wall time written as epoch milliseconds (as if it were UTC),
 * followed by the offset as luxon writes it ('+08:00', '-03:30'); null when the wall time is
 * outside the years toISOString writes with four digits, for the caller's slower way.
 */
export function wallIsoWithOffset(wall: number, offsetMinutes: number): string | null {
  let offset = offsetTexts.get(offsetMinutes);
  if (offset === undefined) {
    // Whole minutes, as luxon writes them (historical offsets such as Monrovia's -0:44:30 have seconds).
    const absolute = Math.abs(offsetMinutes);
    offset = `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.trunc(absolute / 60))}:${pad2(Math.trunc(absolute % 60))}`;
    offsetTexts.set(offsetMinutes, offset);
  }
  if (isRemembered(wall)) return rememberedText(wall, offset);
  const text = new Date(wall).toISOString();
  return text.length === 24 ? text.slice(0, 23) + offset : null;
}

function isRemembered(instant: number): boolean {
  return instant % MS_PER_MINUTE === 0 && instant >= 0 && instant < YEAR_10000;
}

/** The wall time's 'YYYY-MM-DDTHH:mm:00.000' and the suffix, made once. */
function rememberedText(wall: number, suffix: string): string {
  let texts = rememberedTexts.get(suffix);
  if (!texts) {
    texts = new Map();
    rememberedTexts.set(suffix, texts);
  }
  let text = texts.get(wall);
  if (text === undefined) {
    if (texts.size >= MAX_REMEMBERED_TEXTS) texts.clear();
    text = new Date(wall).toISOString().slice(0, 23) + suffix;
    texts.set(wall, text);
  }
  return text;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
