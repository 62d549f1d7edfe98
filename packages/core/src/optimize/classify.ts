import { classify } from '../hessian/critical.js';
import { symmetricEigenvalues } from '../hessian/linalg.js';
import { secondOrderAt } from '../hessian/second-order.js';
import { formatNumber } from '../api/format.js';
import type { CompiledFunction } from '../api/compiled.js';

/** What a descent's end point is: the second-order test, or 'unknown' where it was not run. */
export type EndKind = 'minimum' | 'maximum' | 'saddle' | 'degenerate' | 'unknown';

export interface EndClass {
  kind: EndKind;
  eigenvalues: number[];
  /** Set when the point is stationary but of the wrong kind (a saddle, or a maximum when minimising). */
  warning?: string;
  /** Set when the second-order test cannot tell (a zero eigenvalue). */
  note?: string;
}

/** The second-order test at the end of a converged descent. */
export function classifyEnd(fn: CompiledFunction, x: Float64Array, maximize: boolean, where: string): EndClass {
  const s = secondOrderAt(fn, x);
  const eigenvalues = symmetricEigenvalues(s.hessian);
  const kind = classify(eigenvalues);
  const want = maximize ? 'maximum' : 'minimum';
  const wrong = kind === 'saddle' || kind === (maximize ? 'minimum' : 'maximum');
  if (kind === 'degenerate') {
    return { kind, eigenvalues, note: `the Hessian at ${where} is singular: the second-order test cannot tell whether this is a ${want}` };
  }
  if (!wrong) return { kind, eigenvalues };
  const list = eigenvalues.map((v) => formatNumber(v, 4)).join(', ');
  const what = kind === 'saddle' ? 'a saddle point' : `a ${kind}`;
  return {
    kind,
    eigenvalues,
    warning: `the gradient vanishes at ${where}, but it is ${what}, not a ${want} (Hessian eigenvalues ${list}): descent cannot leave it along the gradient; start elsewhere, or use several starts`,
  };
}
