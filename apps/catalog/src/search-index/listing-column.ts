/** Chunks are allocated one at a time as listings arrive: no copying and no doubling when the column grows. */
const CHUNK_BYTES = 1 << 20;

/**
 * One short text per document (its listing: what a search result shows of it), stored as UTF-8 in
 * large buffers outside the JavaScript heap: 100,000 listings are a few dozen buffers for the
 * garbage collector, not 100,000 strings, and the Latin characters of a listing that also holds
 * Chinese take 1 byte each instead of a two-byte string's 2.
 */
export class ListingColumn {
  private readonly chunks: Buffer[] = [];
  private chunkUsed = CHUNK_BYTES;
  /** Per ordinal, three numbers: its chunk, the offset in it and the length in bytes. */
  private places: Uint32Array;

  constructor(capacity: number) {
    this.places = new Uint32Array(capacity * 3);
  }

  grow(capacity: number): void {
    const grown = new Uint32Array(capacity * 3);
    grown.set(this.places);
    this.places = grown;
  }

  set(ordinal: number, listing: string): void {
    const length = Buffer.byteLength(listing, 'utf8');
    if (this.chunkUsed + length > CHUNK_BYTES) {
      // A listing longer than a chunk gets a chunk of its own size.
      this.chunks.push(Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, length)));
      this.chunkUsed = 0;
    }
    const chunk = this.chunks.length - 1;
    this.chunks[chunk].write(listing, this.chunkUsed, 'utf8');
    this.places[ordinal * 3] = chunk;
    this.places[ordinal * 3 + 1] = this.chunkUsed;
    this.places[ordinal * 3 + 2] = length;
    this.chunkUsed += length;
  }

  get(ordinal: number): string {
    const place = ordinal * 3;
    const offset = this.places[place + 1];
    return this.chunks[this.places[place]].toString('utf8', offset, offset + this.places[place + 2]);
  }
}
