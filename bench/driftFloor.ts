/**
 * The arithmetic floor of drift-vamm-v0's default trader model: a struct-of-arrays loop that does
 * only the random draws, transcendentals and divisions one env-step of that model needs, and
 * nothing else (no guards, TWAPs, book, observation or info). It bounds what any kernel of this
 * model, however written, can reach on one core; the 30 M/s target of the speed issue was set on a
 * toy vAMM with 3 uniforms and one swap (rl-conventions.md §5.4), also measured here.
 *
 * Per env-step, from the kernel's profile (README "Speed", counts rounded up): 7 uniform draws
 * (xoshiro128** with its state in locals, 53-bit doubles), one Box–Muller pair (log, sqrt, sin,
 * cos), 2 exp, 1 log and 30 divisions in three dependent chains. Names:
 * - drift.floor.stepsPerSec / nsPerStep: that recipe over N = 4096 sub-envs' state columns;
 * - drift.floor.drawsOnly.stepsPerSec: the draws and transcendentals alone (no divisions);
 * - drift.floor.toy.stepsPerSec: the toy of rl-conventions.md §5.4 (3 uniforms, a multiplicative
 *   oracle shock, one constant-product swap with a 10 bp fee), same harness.
 */
import { opsPerSecond, sig3 } from './measure.js';

const N = 4096;
const TWO_53 = 9007199254740992;

/** xoshiro128** state kept in locals by the loops below (seeded like Rng, any fixed words do). */
let s0 = 0x9e3779b9 | 0;
let s1 = 0x243f6a88 | 0;
let s2 = 0xb7e15162 | 0;
let s3 = 0x27182818 | 0;

function floorSweep(x: Float64Array, y: Float64Array, acc: Float64Array, divisionsPerChain: number): number {
  let r0 = s0;
  let r1 = s1;
  let r2 = s2;
  let r3 = s3;
  let sink = 0;
  for (let i = 0; i < N; i++) {
    let u0 = 0;
    let u1 = 0;
    let uSum = 0;
    for (let d = 0; d < 7; d++) {
      let m5 = Math.imul(r1, 5);
      const hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
      let t9 = r1 << 9; let n2 = r2 ^ r0; let n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      m5 = Math.imul(r1, 5);
      const lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      const u = (hi * 67108864 + lo) / TWO_53;
      if (d === 0) u0 = u;
      else if (d === 1) u1 = u;
      else uSum += u;
    }
    // Box–Muller pair, GBM and lognormal exp, geometric holding-time log
    const r = Math.sqrt(-2 * Math.log(u0 + 1e-300));
    const t = 2 * Math.PI * u1;
    const z0 = r * Math.cos(t);
    const z1 = r * Math.sin(t);
    const oracle = Math.exp(1e-4 * z0);
    const size = Math.exp(6.9 + 1.5 * z1);
    const hold = Math.log(1 - uSum / 5 + 1e-300);
    // 30 divisions, three dependent chains of ten (mark prices, reserves, fees, TWAP weights)
    let a = x[i]!;
    let b = y[i]!;
    let c = acc[i]! + 1;
    // one add each keeps the draws live when there are no divisions
    a += oracle;
    b += size;
    c += hold;
    for (let k = 0; k < divisionsPerChain; k++) {
      a = (a * 1.0000001 + oracle) / 1.0000003;
      b = (b + size) / 1.0000002;
      c = (c * 1.5 + hold) / 1.4999999;
    }
    x[i] = a;
    y[i] = b;
    acc[i] = c;
    sink += a;
  }
  s0 = r0; s1 = r1; s2 = r2; s3 = r3;
  return sink;
}

function toySweep(base: Float64Array, quote: Float64Array, oracle: Float64Array, fees: Float64Array): number {
  let r0 = s0;
  let r1 = s1;
  let r2 = s2;
  let r3 = s3;
  let sink = 0;
  for (let i = 0; i < N; i++) {
    // three 32-bit uniforms, as in the toy
    let m5 = Math.imul(r1, 5);
    const a = (Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 0) / 4294967296;
    let t9 = r1 << 9; let n2 = r2 ^ r0; let n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
    m5 = Math.imul(r1, 5);
    const b = (Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 0) / 4294967296;
    t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
    m5 = Math.imul(r1, 5);
    const c = (Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 0) / 4294967296;
    t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
    const o = oracle[i]! * (1 + (a - 0.5) * 0.002);
    oracle[i] = o;
    const x = base[i]!;
    const y = quote[i]!;
    const mark = y / x;
    const informed = b < 0.3;
    const long = informed ? mark < o : c < 0.5;
    const notional = 100 + 900 * c;
    const k = x * y;
    const ny = long ? y + notional : y - notional;
    base[i] = k / ny;
    quote[i] = ny;
    const f = fees[i]! + notional * 0.001;
    fees[i] = f > 5e4 ? 5e4 : f;
    sink += mark;
  }
  s0 = r0; s1 = r1; s2 = r2; s3 = r3;
  return sink;
}

export function benchDriftFloor(): Record<string, number> {
  const col = (v: number) => new Float64Array(N).fill(v);
  const x = col(1);
  const y = col(1);
  const acc = col(0);
  const floor = opsPerSecond(() => floorSweep(x, y, acc, 10), N);
  const drawsOnly = opsPerSecond(() => floorSweep(x, y, acc, 0), N);
  const base = col(1e6);
  const quote = col(1e8);
  const oracle = col(100);
  const fees = col(0);
  const toy = opsPerSecond(() => {
    // keep the toy pool near its start, as the toy's repeg would
    const r = toySweep(base, quote, oracle, fees);
    for (let i = 0; i < N; i++) if (Math.abs(quote[i]! / base[i]! / oracle[i]! - 1) > 0.2) { base[i] = 1e6; quote[i] = 1e6 * oracle[i]!; }
    return r;
  }, N);
  return {
    'drift.floor.stepsPerSec': sig3(floor),
    'drift.floor.nsPerStep': sig3(1e9 / floor),
    'drift.floor.drawsOnly.stepsPerSec': sig3(drawsOnly),
    'drift.floor.toy.stepsPerSec': sig3(toy),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(benchDriftFloor())}\n`);
