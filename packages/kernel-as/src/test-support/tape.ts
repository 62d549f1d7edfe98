// Hand assembly of tapes for tests: a tiny builder that numbers slots the way
// the core does (variables, then constants, then one slot per op result).
import { opcodeByName, type OpName } from '../index.js';

export interface Tape {
  instructions: [number, number, number, number?][];
  consts: number[];
  nVars: number;
  nSlots: number;
  result: number;
}

type Ref = { kind: 'var' | 'const' | 'tmp'; index: number };

export class TapeBuilder {
  private readonly consts: number[] = [];
  private readonly ops: { op: OpName; a: Ref; b?: Ref }[] = [];

  constructor(readonly nVars: number) {}

  v(index: number): Ref {
    return { kind: 'var', index };
  }

  c(value: number): Ref {
    this.consts.push(value);
    return { kind: 'const', index: this.consts.length - 1 };
  }

  op(op: OpName, a: Ref, b?: Ref): Ref {
    this.ops.push(b === undefined ? { op, a } : { op, a, b });
    return { kind: 'tmp', index: this.ops.length - 1 };
  }

  build(result: Ref): Tape {
    const nFixed = this.nVars + this.consts.length;
    const slot = (r: Ref): number =>
      r.kind === 'var' ? r.index : r.kind === 'const' ? this.nVars + r.index : nFixed + r.index;
    return {
      instructions: this.ops.map((o, i) => [opcodeByName[o.op], nFixed + i, slot(o.a), o.b ? slot(o.b) : 0]),
      consts: [...this.consts],
      nVars: this.nVars,
      nSlots: nFixed + this.ops.length,
      result: slot(result),
    };
  }
}

/** An expression over variables x0..x(n-1) for tests: a small tree that both the builder and JS can run. */
export type Expr =
  | number
  | { v: number }
  | { op: OpName; args: Expr[] };

export function tapeOf(nVars: number, expr: Expr): Tape {
  const b = new TapeBuilder(nVars);
  const walk = (e: Expr): Ref => {
    if (typeof e === 'number') return b.c(e);
    if ('v' in e) return b.v(e.v);
    const [x, y] = e.args.map(walk);
    return b.op(e.op, x!, y);
  };
  return b.build(walk(expr));
}
