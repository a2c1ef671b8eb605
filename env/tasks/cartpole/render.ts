/**
 * CartPole drawings without a graphics library: an ASCII line for `ansi` and a 600×400 RGB frame
 * for `rgb_array`, laid out as Gymnasium's pygame renderer (track at y = 100 px from the bottom,
 * 50×30 cart, 10 px wide pole of length 2·length·scale, axle circle, same colours).
 */
import type { RgbArray } from '../../core/env.js';

export const SCREEN_WIDTH = 600;
export const SCREEN_HEIGHT = 400;

export interface CartPoleDrawState {
  x: number;
  xDot: number;
  theta: number;
  thetaDot: number;
  xThreshold: number;
  /** Half the pole length (Gymnasium's `length`). */
  length: number;
}

function signed(v: number, digits: number): string {
  return (v >= 0 ? '+' : '') + v.toFixed(digits);
}

/** Two lines: the numbers, then the track with the cart `[=]` and the pole leaning `/`, `|` or `\`. */
export function renderAnsi(s: CartPoleDrawState): string {
  const width = 61;
  const col = Math.round(((s.x + s.xThreshold) / (2 * s.xThreshold)) * (width - 1));
  const clamped = Math.min(Math.max(col, 1), width - 2);
  const deg = (s.theta * 180) / Math.PI;
  const pole = deg > 3 ? '/' : deg < -3 ? '\\' : '|';
  const poleLine = ' '.repeat(clamped) + pole;
  const track: string[] = Array.from({ length: width }, (_, i) => (i === 0 || i === width - 1 ? '|' : '-'));
  track[clamped - 1] = '[';
  track[clamped] = '=';
  track[clamped + 1] = ']';
  const header = `x=${signed(s.x, 3)} x_dot=${signed(s.xDot, 3)} theta=${signed(s.theta, 4)} rad (${signed(deg, 1)} deg) theta_dot=${signed(s.thetaDot, 3)}`;
  return `${header}\n${poleLine}\n${track.join('')}`;
}

/** 400×600×3 frame of the current state. */
export function renderRgb(s: CartPoleDrawState): RgbArray {
  const W = SCREEN_WIDTH;
  const H = SCREEN_HEIGHT;
  const data = new Uint8Array(W * H * 3).fill(255);
  // (px, py) with py measured upwards from the bottom edge, like Gymnasium after its flip.
  const put = (px: number, py: number, r: number, g: number, b: number): void => {
    if (px < 0 || px >= W || py < 0 || py >= H) return;
    const o = ((H - 1 - py) * W + px) * 3;
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
  };
  const scale = W / (s.xThreshold * 2);
  const poleWidth = 10;
  const poleLen = scale * (2 * s.length);
  const cartWidth = 50;
  const cartHeight = 30;
  const axleOffset = cartHeight / 4;
  const cartX = s.x * scale + W / 2;
  const cartY = 100;

  for (let px = 0; px < W; px++) put(px, cartY, 0, 0, 0);
  for (let py = Math.round(cartY - cartHeight / 2); py <= Math.round(cartY + cartHeight / 2); py++) {
    for (let px = Math.round(cartX - cartWidth / 2); px <= Math.round(cartX + cartWidth / 2); px++) put(px, py, 0, 0, 0);
  }
  // Pole: a rectangle in pole coordinates (lx across, ly along), rotated so that positive theta
  // leans right; each pixel of the bounding box is mapped back into pole coordinates.
  const pivotX = cartX;
  const pivotY = cartY + axleOffset;
  const c = Math.cos(s.theta);
  const sn = Math.sin(s.theta);
  const reach = poleLen + poleWidth;
  for (let py = Math.floor(pivotY - reach); py <= Math.ceil(pivotY + reach); py++) {
    for (let px = Math.floor(pivotX - reach); px <= Math.ceil(pivotX + reach); px++) {
      const wx = px - pivotX;
      const wy = py - pivotY;
      const lx = wx * c - wy * sn;
      const ly = wx * sn + wy * c;
      if (lx >= -poleWidth / 2 && lx <= poleWidth / 2 && ly >= -poleWidth / 2 && ly <= poleLen - poleWidth / 2) put(px, py, 202, 152, 101);
    }
  }
  const radius = poleWidth / 2;
  for (let py = Math.floor(pivotY - radius); py <= Math.ceil(pivotY + radius); py++) {
    for (let px = Math.floor(pivotX - radius); px <= Math.ceil(pivotX + radius); px++) {
      if ((px - pivotX) ** 2 + (py - pivotY) ** 2 <= radius * radius) put(px, py, 129, 132, 203);
    }
  }
  return { shape: [H, W, 3], data };
}
