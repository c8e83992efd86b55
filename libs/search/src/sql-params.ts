/** Collects positional parameter values and hands out their $n placeholders. */
export class SqlParams {
  readonly values: string[] = [];

  constructor(private readonly firstIndex: number) {
    assertFirstParamIndex(firstIndex);
  }

  /** Adds a value and returns its placeholder, typed as text. */
  add(value: string): string {
    this.values.push(value);
    return `$${this.firstIndex + this.values.length - 1}::text`;
  }
}

export function assertFirstParamIndex(firstParamIndex: number): void {
  if (!Number.isSafeInteger(firstParamIndex) || firstParamIndex < 1) {
    throw new RangeError(`firstParamIndex must be a positive integer, got ${firstParamIndex}`);
  }
}
