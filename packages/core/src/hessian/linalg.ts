/**
 * Small dense linear algebra for Newton steps and the classification of
 * critical points (matrices of a few dozen rows at most; plain arrays).
 */
export type Matrix = number[][];

/** Solve A x = b by Gaussian elimination with partial pivoting; undefined if A is singular (to working precision). */
export function solve(a: Matrix, b: readonly number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  let scale = 0;
  for (const row of a) for (const v of row) scale = Math.max(scale, Math.abs(v));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-14 * scale)) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / p[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * p[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * The eigenvalues of a symmetric matrix, ascending, by the cyclic Jacobi
 * method (see: Golub & Van Loan, Matrix Computations, 8.5): rotations that
 * zero the off-diagonal entries one by one until they are negligible.
 */
export function symmetricEigenvalues(a: Matrix): number[] {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const off = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += m[i]![j]! ** 2;
    return s;
  };
  let total = 0;
  for (const row of m) for (const v of row) total += v * v;
  for (let sweep = 0; sweep < 100 && off() > 1e-30 * total; sweep++) {
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k]![p]!;
          const akq = m[k]![q]!;
          m[k]![p] = c * akp - s * akq;
          m[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p]![k]!;
          const aqk = m[q]![k]!;
          m[p]![k] = c * apk - s * aqk;
          m[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return m.map((row, i) => row[i]!).sort((x, y) => x - y);
}

export function norm(v: readonly number[]): number {
  return Math.hypot(...v);
}
