/**
 * The items that `[...items].sort(compare).slice(offset, offset + count)` gives, without sorting
 * all of them when the page is near the front: a search finds thousands of instruments and shows
 * twenty, and sorting them all was a sixth of its time. Keeps the first offset + count in a sorted
 * buffer, so most items cost one comparison with its last; deep pages fall back to a full sort.
 * `compare` must be a total order (no ties between distinct items), or equal items may come in
 * another order than the sort's.
 */
export function pageInOrder<T>(items: readonly T[], offset: number, count: number, compare: (a: T, b: T) => number): T[] {
  const wanted = offset + count;
  if (wanted <= 0) return [];
  if (wanted > MAX_BUFFER || wanted * 8 > items.length) return [...items].sort(compare).slice(offset, wanted);
  const best: T[] = [];
  for (const item of items) {
    if (best.length === wanted && compare(item, best[wanted - 1]) >= 0) continue;
    // Binary search for the first buffered item that comes after this one.
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compare(best[middle], item) <= 0) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, item);
    if (best.length > wanted) best.pop();
  }
  return best.slice(offset);
}

/** Beyond this many items kept, inserting into the buffer costs more than sorting. */
const MAX_BUFFER = 500;
