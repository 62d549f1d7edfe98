// Hand assembly of tapes for tests: a tiny builder that numbers slots the way
// the core does (variables, then constants, then one slot per op result), so
// its tapes have no slot reuse (what gradientAD needs).
import { opcodeByName, vectorOpcodeByName, type OpName } from '../index.js';

export interface Tape {
  instructions: [number, number, number, number?][];
  consts: number[];
  nVars: number;
  nSlots: number;
  result: number;
  /** Vector mode: the length of every slot. Absent: batch mode. */
  slotLens?: number[];
}

export type Ref = { kind: 'var' | 'const' | 'tmp'; index: number; len: number };

type Instr = { op: number; a: Ref; b?: Ref; imm?: number };

export class TapeBuilder {
  private readonly consts: number[] = [];
  private readonly ops: { instr: Instr; len: number }[] = [];
  private readonly varLens: number[];

  /** nVars scalar variables (batch mode), or variables of the given lengths (vector mode). */
  constructor(vars: number | number[]) {
    this.varLens = typeof vars === 'number' ? new Array<number>(vars).fill(1) : [...vars];
    this.vector = typeof vars !== 'number';
  }

  readonly vector: boolean;

  get nVars(): number {
    return this.varLens.length;
  }

  v(index: number): Ref {
    return { kind: 'var', index, len: this.varLens[index]! };
  }

  c(value: number): Ref {
    this.consts.push(value);
    return { kind: 'const', index: this.consts.length - 1, len: 1 };
  }

  private push(instr: Instr, len: number): Ref {
    this.ops.push({ instr, len });
    return { kind: 'tmp', index: this.ops.length - 1, len };
  }

  /** An element-wise op; its length is the longer operand's (broadcasting). */
  op(op: OpName, a: Ref, b?: Ref): Ref {
    const len = b === undefined ? a.len : a.len === 1 ? b.len : a.len;
    return this.push(b === undefined ? { op: opcodeByName[op], a } : { op: opcodeByName[op], a, b }, len);
  }

  sum(a: Ref): Ref {
    return this.push({ op: vectorOpcodeByName.sum, a }, 1);
  }

  /** a[first : first + len] (a view). */
  slice(a: Ref, first: number, len: number): Ref {
    return this.push({ op: vectorOpcodeByName.slice, a, imm: first }, len);
  }

  build(result: Ref): Tape {
    const nFixed = this.nVars + this.consts.length;
    const slot = (r: Ref): number =>
      r.kind === 'var' ? r.index : r.kind === 'const' ? this.nVars + r.index : nFixed + r.index;
    const tape: Tape = {
      instructions: this.ops.map(({ instr }, i) => [instr.op, nFixed + i, slot(instr.a), instr.imm ?? (instr.b ? slot(instr.b) : 0)]),
      consts: [...this.consts],
      nVars: this.nVars,
      nSlots: nFixed + this.ops.length,
      result: slot(result),
    };
    if (this.vector) tape.slotLens = [...this.varLens, ...this.consts.map(() => 1), ...this.ops.map((o) => o.len)];
    return tape;
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
