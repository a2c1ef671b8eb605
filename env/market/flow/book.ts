/**
 * The open positions of the simulated traders, struct-of-arrays: a binary min-heap on the step each
 * position is due to close, with its base amount and entry notional alongside. Typed arrays grow by
 * doubling, so steady-state pushes and pops allocate nothing, and the earliest due position is
 * found in O(1) (no scan of the book per step).
 */
export class PositionBook {
  private due: Float64Array;
  private base: Float64Array;
  private quote: Float64Array;
  /** The engine's handle of each position (the exact engine keeps bigint amounts under it). */
  private handle: Float64Array;
  private n = 0;

  constructor(initialCapacity = 64) {
    this.due = new Float64Array(initialCapacity);
    this.base = new Float64Array(initialCapacity);
    this.quote = new Float64Array(initialCapacity);
    this.handle = new Float64Array(initialCapacity);
  }

  /** Open positions. */
  get size(): number {
    return this.n;
  }

  get capacity(): number {
    return this.due.length;
  }

  clear(): void {
    this.n = 0;
  }

  /** Due step of the earliest position (Infinity when empty). */
  peekDue(): number {
    return this.n === 0 ? Infinity : this.due[0]!;
  }

  /** Base amount (signed, AMM precision) of the earliest position. */
  peekBase(): number {
    return this.base[0]!;
  }

  /** Entry notional (QUOTE_PRECISION) of the earliest position. */
  peekQuote(): number {
    return this.quote[0]!;
  }

  /** Engine handle of the earliest position. */
  peekHandle(): number {
    return this.handle[0]!;
  }

  push(dueStep: number, baseRaw: number, quoteRaw: number, handle = 0): void {
    if (this.n === this.due.length) this.grow();
    const due = this.due;
    const base = this.base;
    const quote = this.quote;
    const hd = this.handle;
    // sift up: move parents down until the slot fits
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (due[parent]! <= dueStep) break;
      due[i] = due[parent]!;
      base[i] = base[parent]!;
      quote[i] = quote[parent]!;
      hd[i] = hd[parent]!;
      i = parent;
    }
    due[i] = dueStep;
    base[i] = baseRaw;
    quote[i] = quoteRaw;
    hd[i] = handle;
  }

  /** Removes the earliest position (read it with peek* first). */
  pop(): void {
    const last = --this.n;
    if (last <= 0) return;
    const due = this.due;
    const base = this.base;
    const quote = this.quote;
    const hd = this.handle;
    const d = due[last]!;
    const b = base[last]!;
    const q = quote[last]!;
    const h = hd[last]!;
    // sift down the former last element from the root
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && due[child + 1]! < due[child]!) child++;
      if (due[child]! >= d) break;
      due[i] = due[child]!;
      base[i] = base[child]!;
      quote[i] = quote[child]!;
      hd[i] = hd[child]!;
      i = child;
    }
    due[i] = d;
    base[i] = b;
    quote[i] = q;
    hd[i] = h;
  }

  /** Sum of base over long (> 0) or short (< 0) positions, AMM precision (short is ≤ 0). */
  sumBase(long: boolean): number {
    let s = 0;
    const base = this.base;
    for (let i = 0; i < this.n; i++) {
      const b = base[i]!;
      if (long ? b > 0 : b < 0) s += b;
    }
    return s;
  }

  private grow(): void {
    const cap = Math.max(8, this.due.length * 2);
    const due = new Float64Array(cap);
    const base = new Float64Array(cap);
    const quote = new Float64Array(cap);
    const handle = new Float64Array(cap);
    due.set(this.due);
    handle.set(this.handle);
    base.set(this.base);
    quote.set(this.quote);
    this.due = due;
    this.base = base;
    this.quote = quote;
    this.handle = handle;
  }
}
