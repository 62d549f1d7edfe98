import { OPS } from '../ops/table.js';
import { reachable, type IrNode } from './node.js';

/**
 * The reference interpreter: IR at one point, in plain TypeScript, with the
 * op table's evaluation rules. For single-point work (Hessians, Newton steps,
 * finding kinks) and as the oracle the kernel is tested against. Evaluates
 * several roots at once, sharing common subexpressions.
 */
export function evaluateIr(roots: readonly IrNode[], at: Readonly<Record<string, number>>): number[] {
  const value = new Map<number, number>();
  for (const node of reachable(roots)) {
    let v: number;
    switch (node.op) {
      case 'const':
        v = node.value;
        break;
      case 'var': {
        const x = at[node.name];
        if (x === undefined) throw new Error(`internal: no value for variable '${node.name}'`);
        v = x;
        break;
      }
      default: {
        const row = OPS[node.op];
        const args = node.args.map((a) => value.get(a.id)!);
        if (row.arity === 1) v = row.eval(args[0]!, NaN);
        else {
          // n-ary add and mul run left to right, as the tape does.
          v = args[0]!;
          for (let i = 1; i < args.length; i++) v = row.eval(v, args[i]!);
        }
      }
    }
    value.set(node.id, v);
  }
  return roots.map((r) => value.get(r.id)!);
}
