import { OPS } from '../ops/table.js';
import { reachable, type IrNode } from './node.js';

/** A value of the reference interpreter: a number, or the elements of a vector. */
export type IrValue = number | Float64Array;

/**
 * The reference interpreter: IR at one point, in plain TypeScript, with the
 * op table's evaluation rules. For single-point work (Hessians, Newton steps,
 * finding kinks) and as the oracle the kernel is tested against. Evaluates
 * several roots at once, sharing common subexpressions.
 */
export function evaluateIr(roots: readonly IrNode[], at: Readonly<Record<string, IrValue>>): number[] {
  return evaluateIrValues(roots, at).map((v) => (typeof v === 'number' ? v : NaN));
}

/** As evaluateIr, for roots that may be vectors. */
export function evaluateIrValues(roots: readonly IrNode[], at: Readonly<Record<string, IrValue>>): IrValue[] {
  const value = new Map<number, IrValue>();
  for (const node of reachable(roots)) value.set(node.id, evaluateNode(node, value, at));
  return roots.map((r) => value.get(r.id)!);
}

function evaluateNode(node: IrNode, value: Map<number, IrValue>, at: Readonly<Record<string, IrValue>>): IrValue {
  switch (node.op) {
    case 'const':
      return node.value;
    case 'var':
    case 'vvar': {
      const x = at[node.name];
      if (x === undefined) throw new Error(`internal: no value for variable '${node.name}'`);
      return x;
    }
    case 'slice':
      return (value.get(node.args[0]!.id) as Float64Array).subarray(node.start, node.start + node.length);
    case 'sum': {
      const v = value.get(node.args[0]!.id)!;
      if (typeof v === 'number') return v;
      let s = 0;
      for (const x of v) s += x;
      return s;
    }
    default: {
      const row = OPS[node.op];
      const args = node.args.map((a) => value.get(a.id)!);
      const scalar = (i: number): number => {
        const at = (v: IrValue): number => (typeof v === 'number' ? v : v[i]!);
        if (row.arity === 1) return row.eval(at(args[0]!), NaN);
        // n-ary add and mul run left to right, as the tape does.
        let acc = at(args[0]!);
        for (let k = 1; k < args.length; k++) acc = row.eval(acc, at(args[k]!));
        return acc;
      };
      if (node.length === 1 && args.every((a) => typeof a === 'number')) return scalar(0);
      return Float64Array.from({ length: node.length }, (_, i) => scalar(i));
    }
  }
}
