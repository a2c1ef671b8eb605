/**
 * Where a struct-of-arrays kernel's columns live. `privateColumns` gives each column its own
 * array (one thread). `SharedColumns` lays the columns out in one `SharedArrayBuffer`, in the
 * order they are asked for, so a worker thread that asks for the same columns in the same order
 * sees the same memory: the kernel's constructor is the layout, and no offsets are written down
 * twice. `measureColumns` runs that constructor once to size the buffer.
 */

/** Allocates a kernel's typed-array columns. `fresh` is false when attaching to columns another thread made (keep their contents). */
export interface ColumnAlloc {
  readonly fresh: boolean;
  f64(length: number): Float64Array;
  f32(length: number): Float32Array;
  i32(length: number): Int32Array;
  u8(length: number): Uint8Array;
}

/** Every column its own (non-shared) array. */
export const privateColumns: ColumnAlloc = Object.freeze({
  fresh: true,
  f64: (n: number) => new Float64Array(n),
  f32: (n: number) => new Float32Array(n),
  i32: (n: number) => new Int32Array(n),
  u8: (n: number) => new Uint8Array(n),
});

/** Bytes a column takes in the shared layout: rounded up to 8 so every Float64Array view is aligned. */
function padded(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** Counts the bytes a constructor asks for; the arrays it hands out are empty. */
class MeasuringColumns implements ColumnAlloc {
  readonly fresh = true;
  bytes = 0;
  f64(n: number): Float64Array { this.bytes += padded(8 * n); return new Float64Array(0); }
  f32(n: number): Float32Array { this.bytes += padded(4 * n); return new Float32Array(0); }
  i32(n: number): Int32Array { this.bytes += padded(4 * n); return new Int32Array(0); }
  u8(n: number): Uint8Array { this.bytes += padded(n); return new Uint8Array(0); }
}

/** Bytes of shared memory the columns built by `build` need. */
export function measureColumns(build: (alloc: ColumnAlloc) => unknown): number {
  const m = new MeasuringColumns();
  build(m);
  return m.bytes;
}

/** Views into one SharedArrayBuffer, handed out in order. */
export class SharedColumns implements ColumnAlloc {
  private offset = 0;

  constructor(readonly buffer: SharedArrayBuffer, readonly fresh: boolean) {}

  private take(bytes: number): number {
    const at = this.offset;
    this.offset += padded(bytes);
    if (this.offset > this.buffer.byteLength) {
      throw new RangeError(`SharedColumns: the layout needs more than the buffer's ${this.buffer.byteLength} bytes (was it measured with the same constructor?)`);
    }
    return at;
  }

  f64(n: number): Float64Array { return new Float64Array(this.buffer, this.take(8 * n), n); }
  f32(n: number): Float32Array { return new Float32Array(this.buffer, this.take(4 * n), n); }
  i32(n: number): Int32Array { return new Int32Array(this.buffer, this.take(4 * n), n); }
  u8(n: number): Uint8Array { return new Uint8Array(this.buffer, this.take(n), n); }
}
