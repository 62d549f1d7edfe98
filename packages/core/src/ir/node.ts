import { OPS, type OpName } from '../ops/table.js';

/**
 * The IR: one DAG of operations per graph, hash-consed (the same
 * subexpression is the same node) with constant subexpressions folded.
 *
 * `add` and `mul` are n-ary (a + b - c is add(a, b, neg(c)); a*b/c is
 * mul(a, b, recip(c))), so long sums stay shallow. Every other op has the
 * arity of its row in the op table. Node ids grow in creation order, and a
 * node is created after its arguments, so sorting by id is a topological order.
 */
export type IrOp = 'const' | 'var' | OpName;

export interface IrNode {
  readonly id: number;
  readonly op: IrOp;
  readonly args: readonly IrNode[];
  /** The number, for `const`. */
  readonly value: number;
  /** The variable's name, for `var`. */
  readonly name: string;
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
    return this.intern(key, 'const', [], value, '');
  }

  variable(name: string): IrNode {
    return this.intern(`v:${name}`, 'var', [], NaN, name);
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
    return this.intern(key, op, args, NaN, '');
  }

  private intern(key: string, op: IrOp, args: readonly IrNode[], value: number, name: string): IrNode {
    let node = this.table.get(key);
    if (node === undefined) {
      node = { id: this.nextId++, op, args, value, name };
      this.table.set(key, node);
    }
    return node;
  }
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

/** The distinct variable names used by `root`. */
export function variablesOf(root: IrNode): string[] {
  return reachable([root]).filter((n) => n.op === 'var').map((n) => n.name);
}
