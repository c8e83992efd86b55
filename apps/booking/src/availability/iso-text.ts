/**
 * ISO-8601 text of instants written as Date.prototype.toISOString writes them, without a Date per
 * call when the instant is a whole minute (every slot start is): a free-slots answer writes three
 * such strings for each of its hundreds of starts, and building and printing a Date for each was
 * 45 % of the request's CPU. The date part is remembered per day; the time of day comes from a
 * table of the day's 1,440 minutes. The texts of whole minutes are remembered too: slot starts lie
 * on a grid shared by every instrument of a zone, so most answers write texts already made (no
 * new strings, so less garbage for the collector, whose pauses set the slowest answers).
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** toISOString writes 'YYYY-MM-DDTHH:mm:ss.sssZ' for four-digit years; the fast path keeps to 1970-9999. */
const YEAR_10000 = Date.UTC(10_000, 0, 1);
/** Days whose date text is remembered before the memory starts afresh (the range of one search is far less). */
const MAX_REMEMBERED_DAYS = 4_096;
/** Texts of instants remembered per offset before that memory starts afresh: 90 days of 5-minute starts is 25,920. */
const MAX_REMEMBERED_TEXTS = 40_000;

const TIMES_OF_DAY: readonly string[] = Array.from({ length: 24 * 60 }, (_, minute) => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00.000`);
const dateTexts = new Map<number, string>();
const offsetTexts = new Map<number, string>();
/** Texts of whole minutes by UTC offset (0 for utcIso's 'Z'), then by wall time. */
const rememberedTexts = new Map<number | 'Z', Map<number, string>>();

/** As `new Date(instant).toISOString()`: '2026-06-01T00:00:00.000Z'. */
export function utcIso(instant: number): string {
  if (!isFast(instant)) return new Date(instant).toISOString();
  const texts = textsFor('Z');
  let text = texts.get(instant);
  if (text === undefined) {
    text = `${wallText(instant)}Z`;
    remember(texts, instant, text);
  }
  return text;
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
  if (isFast(wall)) {
    const texts = textsFor(offsetMinutes);
    let remembered = texts.get(wall);
    if (remembered === undefined) {
      remembered = wallText(wall) + offset;
      remember(texts, wall, remembered);
    }
    return remembered;
  }
  const text = new Date(wall).toISOString();
  return text.length === 24 ? text.slice(0, 23) + offset : null;
}

function textsFor(offset: number | 'Z'): Map<number, string> {
  let texts = rememberedTexts.get(offset);
  if (!texts) {
    texts = new Map();
    rememberedTexts.set(offset, texts);
  }
  return texts;
}

function remember(texts: Map<number, string>, key: number, text: string): void {
  if (texts.size >= MAX_REMEMBERED_TEXTS) texts.clear();
  texts.set(key, text);
}

function isFast(instant: number): boolean {
  return instant % MS_PER_MINUTE === 0 && instant >= 0 && instant < YEAR_10000;
}

/** 'YYYY-MM-DDTHH:mm:00.000' of a whole minute within isFast's range. */
function wallText(instant: number): string {
  const day = Math.floor(instant / MS_PER_DAY);
  let date = dateTexts.get(day);
  if (date === undefined) {
    if (dateTexts.size >= MAX_REMEMBERED_DAYS) dateTexts.clear();
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
    dateTexts.set(day, date);
  }
  return date + TIMES_OF_DAY[(instant - day * MS_PER_DAY) / MS_PER_MINUTE];
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
