/**
 * Running mean and variance (Gymnasium's `RunningMeanStd`): Chan et al.'s parallel update, starting
 * from mean 0, var 1 and a pseudo-count of 1e-4. Statistics are kept in float64.
 */
export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;

  constructor(size: number, epsilon = 1e-4) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
  }

  /** Adds one sample (a batch of size 1: batch mean = x, batch variance = 0). */
  updateOne(x: ArrayLike<number>): void {
    const total = this.count + 1;
    for (let i = 0; i < this.mean.length; i++) {
      const delta = x[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta / total;
      const m2 = this.var[i]! * this.count + (delta * delta * this.count) / total;
      this.var[i] = m2 / total;
    }
    this.count = total;
  }

  /** `updateOne` for a single scalar statistic (no array per call). */
  updateScalar(x: number): void {
    const total = this.count + 1;
    const delta = x - this.mean[0]!;
    this.mean[0] = this.mean[0]! + delta / total;
    this.var[0] = (this.var[0]! * this.count + (delta * delta * this.count) / total) / total;
    this.count = total;
  }

  /** Adds a batch from its moments (mean, population variance, count). */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    const total = this.count + batchCount;
    for (let i = 0; i < this.mean.length; i++) {
      const delta = batchMean[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + (delta * batchCount) / total;
      const m2 = this.var[i]! * this.count + batchVar[i]! * batchCount + (delta * delta * this.count * batchCount) / total;
      this.var[i] = m2 / total;
    }
    this.count = total;
  }
}
