import { NudgeError } from '../errors.js';
import { OPS, type OpName } from '../ops/table.js';

/**
 * The IR: one DAG of operations per graph, hash-consed (the same
 * subexpression is the same node) with constant subexpressions folded.
 *
 * `add` and `mul` are n-ary (a + b - c is add(a, b, neg(c)); a*b/c is
 * mul(a, b, recip(c))), so long sums stay shallow. Every other op has the
 * arity of its row in the op table. Node ids grow in creation order, and a
 * node is created after its arguments, so sorting by id is a topological order.
 *
 * Vectors (from the builder, for functions of thousands of variables): a
 * `vvar` is a vector variable of `length` elements, `slice` a contiguous
 * part of a vector (`start`, `length`), `sum` the sum of its elements. The
 * op table's ops apply element-wise, a scalar (length 1) broadcasting
 * against a vector. These structural ops have no row in the op table: they
 * move elements, they compute nothing.
 */
export type StructuralOp = 'vvar' | 'slice' | 'sum';
export type IrOp = 'const' | 'var' | StructuralOp | OpName;

export interface IrNode {
  readonly id: number;
  readonly op: IrOp;
  readonly args: readonly IrNode[];
  /** The number, for `const`. */
  readonly value: number;
  /** The variable's name, for `var` and `vvar`. */
  readonly name: string;
  /** Elements: 1 for a scalar. */
  readonly length: number;
  /** The first element, for `slice`. */
  readonly start: number;
}

/** Ops that may take more than two arguments in the IR. */
const NARY: ReadonlySet<IrOp> = new Set<IrOp>(['add', 'mul']);

export class Graph {
  private readonly table = new Map<string, IrNode>();
  private nextId = 0;

  get size(): number {
    return this.nextId;
  }

  constant(value: number): IrNode {
    // Object.is-distinct keys: -0 and 0 are different constants, NaN is one.
    const key = Object.is(value, -0) ? 'c:-0' : `c:${value}`;
    return this.intern(key, 'const', [], value, '', 1, 0);
  }

  variable(name: string): IrNode {
    return this.intern(`v:${name}`, 'var', [], NaN, name, 1, 0);
  }

  /** A vector variable of `length` elements. */
  vectorVariable(name: string, length: number): IrNode {
    if (!Number.isInteger(length) || length < 1) {
      throw new NudgeError('invalid-argument', `the vector '${name}' needs a whole number of elements (1 or more), got ${length}`);
    }
    const existing = this.table.get(`v:${name}`) ?? this.table.get(`vv:${name}`);
    if (existing && (existing.op !== 'vvar' || existing.length !== length)) {
      throw new NudgeError('invalid-argument', `the variable '${name}' is already declared with ${existing.length} element(s)`);
    }
    return this.intern(`vv:${name}`, 'vvar', [], NaN, name, length, 0);
  }

  /** Elements start..start+length-1 of a vector. */
  slice(a: IrNode, start: number, length: number): IrNode {
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 1 || start + length > a.length) {
      throw new NudgeError('invalid-argument', `the slice [${start}, ${start + length}) does not fit a vector of ${a.length} elements`);
    }
    if (start === 0 && length === a.length) return a;
    // A slice of a slice is a slice of the original: views never nest.
    if (a.op === 'slice') return this.slice(a.args[0]!, a.start + start, length);
    return this.intern(`s(${a.id},${start},${length})`, 'slice', [a], NaN, '', length, start);
  }

  /** The sum of a vector's elements (a scalar stays as it is). */
  sum(a: IrNode): IrNode {
    if (a.length === 1) return a;
    return this.intern(`sum(${a.id})`, 'sum', [a], NaN, '', 1, 0);
  }

  /** op(args), folded when every argument is a constant. */
  apply(op: OpName, args: readonly IrNode[]): IrNode {
    if (NARY.has(op)) {
      if (args.length === 1) return args[0]!;
      if (args.length < 1) throw new Error(`internal: ${op} needs arguments`);
    } else if (args.length !== OPS[op].arity) {
      throw new Error(`internal: ${op} takes ${OPS[op].arity} arguments, got ${args.length}`);
    }
    if (args.every((a) => a.op === 'const')) return this.constant(fold(op, args));
    const key = `${op}(${args.map((a) => a.id).join(',')})`;
    return this.intern(key, op, args, NaN, '', broadcastLength(op, args), 0);
  }

  private intern(key: string, op: IrOp, args: readonly IrNode[], value: number, name: string, length: number, start: number): IrNode {
    let node = this.table.get(key);
    if (node === undefined) {
      node = { id: this.nextId++, op, args, value, name, length, start };
      this.table.set(key, node);
    }
    return node;
  }
}

/** Element-wise ops: a scalar broadcasts against a vector; two vectors must have one length. */
function broadcastLength(op: OpName, args: readonly IrNode[]): number {
  let length = 1;
  for (const a of args) {
    if (a.length === 1) continue;
    if (length !== 1 && a.length !== length) {
      throw new NudgeError('invalid-argument', `${op} cannot combine vectors of ${length} and ${a.length} elements`);
    }
    length = a.length;
  }
  return length;
}

function fold(op: OpName, args: readonly IrNode[]): number {
  const row = OPS[op];
  // n-ary add and mul fold left to right, in the order the kernel would run them.
  let acc = args[0]!.value;
  if (row.arity === 1) return row.eval(acc, NaN);
  for (let i = 1; i < args.length; i++) acc = row.eval(acc, args[i]!.value);
  return acc;
}

/** Every node reachable from `roots`, in topological (id) order. Iterative: no recursion on depth. */
export function reachable(roots: readonly IrNode[]): IrNode[] {
  const seen = new Set<number>();
  const out: IrNode[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    out.push(node);
    for (const a of node.args) if (!seen.has(a.id)) stack.push(a);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** The distinct variable names used by `root` (scalar and vector). */
export function variablesOf(root: IrNode): string[] {
  return reachable([root]).filter((n) => n.op === 'var' || n.op === 'vvar').map((n) => n.name);
}
