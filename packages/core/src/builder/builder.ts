import { NudgeError } from '../errors.js';
import { FUNCTIONS } from '../ir/functions.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, type IrNode } from '../ir/node.js';
import { print } from '../ir/print.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import type { Engine } from '../jit/engine.js';
import { CompiledFunction } from '../api/compiled.js';
import type { OpName } from '../ops/table.js';

/** An expression or a number, wherever the builder takes an operand. */
export type ExprLike = Expr | number;

/**
 * A node of a function under construction: scalar or vector. Operations are
 * element-wise, a scalar broadcasting against a vector, so
 * `x.slice(1).sub(x.slice(0, -1).square())` is one vector expression.
 */
export class Expr {
  /** @internal */
  constructor(
    private readonly b: Builder,
    /** @internal */ readonly node: IrNode,
  ) {}

  /** Elements: 1 for a scalar. */
  get length(): number {
    return this.node.length;
  }

  add(o: ExprLike): Expr { return this.b.add(this, o); }
  sub(o: ExprLike): Expr { return this.b.sub(this, o); }
  mul(o: ExprLike): Expr { return this.b.mul(this, o); }
  div(o: ExprLike): Expr { return this.b.div(this, o); }
  pow(o: ExprLike): Expr { return this.b.pow(this, o); }
  neg(): Expr { return this.b.neg(this); }
  square(): Expr { return this.b.pow(this, 2); }
  min(o: ExprLike): Expr { return this.b.call('min', this, o); }
  max(o: ExprLike): Expr { return this.b.call('max', this, o); }
  sin(): Expr { return this.b.call('sin', this); }
  cos(): Expr { return this.b.call('cos', this); }
  tan(): Expr { return this.b.call('tan', this); }
  exp(): Expr { return this.b.call('exp', this); }
  log(): Expr { return this.b.call('log', this); }
  sqrt(): Expr { return this.b.call('sqrt', this); }
  abs(): Expr { return this.b.call('abs', this); }
  tanh(): Expr { return this.b.call('tanh', this); }
  sigmoid(): Expr { return this.b.call('sigmoid', this); }
  relu(): Expr { return this.b.call('relu', this); }
  softplus(): Expr { return this.b.call('softplus', this); }

  /** Elements start..end-1; negative indices count from the end, as in `x[1:]` and `x[:-1]`. */
  slice(start: number, end?: number): Expr {
    const n = this.node.length;
    const from = start < 0 ? n + start : start;
    const to = end === undefined ? n : end < 0 ? n + end : end;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > n || to <= from) {
      throw new NudgeError('invalid-argument', `slice(${start}${end === undefined ? '' : `, ${end}`}) of a vector of ${n} elements is empty or out of range`);
    }
    return this.b.wrap(this.b.graph.slice(this.node, from, to - from));
  }

  /** Element i (negative counts from the end). */
  at(i: number): Expr {
    return this.slice(i, i === -1 ? undefined : i + 1);
  }

  /** The sum of the elements. */
  sum(): Expr {
    return this.b.sum(this);
  }

  /** The dot product with another vector of the same length. */
  dot(o: ExprLike): Expr {
    return this.b.dot(this, o);
  }

  toString(): string {
    return print(this.node);
  }
}

/**
 * Builds IR directly, for functions that programs write: a model's loss, an
 * extended Rosenbrock in 10,000 dimensions. Compiled and differentiated like
 * a parsed expression; vector nodes run in the kernel as loops over the
 * vector, not as thousands of scalar entries.
 *
 * ```ts
 * const b = builder();
 * const x = b.vector('x', 10_000);
 * const head = x.slice(0, -1), tail = x.slice(1);
 * const f = b.compile(tail.sub(head.square()).square().mul(100).add(b.sub(1, head).square()).sum());
 * gradient(f, { x: new Float64Array(10_000).fill(0.5) });
 * ```
 */
export class Builder {
  /** @internal */
  readonly graph = new Graph();

  /** A scalar variable. */
  variable(name: string): Expr {
    checkName(name);
    return this.wrap(this.graph.variable(name));
  }

  /** A vector variable of `length` elements. */
  vector(name: string, length: number): Expr {
    checkName(name);
    return this.wrap(this.graph.vectorVariable(name, length));
  }

  constant(value: number): Expr {
    if (typeof value !== 'number') throw new NudgeError('invalid-argument', `a constant must be a number, got ${typeof value}`);
    return this.wrap(this.graph.constant(value));
  }

  /** An expression in the language, in this builder's graph: `b.parse('w*x + b')`. */
  parse(text: string): Expr {
    return this.wrap(lower(this.graph, parse(text)));
  }

  add(...terms: ExprLike[]): Expr { return this.apply('add', terms); }
  mul(...factors: ExprLike[]): Expr { return this.apply('mul', factors); }
  sub(a: ExprLike, b: ExprLike): Expr { return this.apply('add', [a, this.neg(b)]); }
  div(a: ExprLike, b: ExprLike): Expr { return this.apply('mul', [a, this.apply('recip', [b])]); }
  pow(a: ExprLike, b: ExprLike): Expr { return this.apply('pow', [a, b]); }
  neg(a: ExprLike): Expr { return this.apply('neg', [a]); }
  sum(a: ExprLike): Expr { return this.wrap(this.graph.sum(this.node(a))); }
  dot(a: ExprLike, b: ExprLike): Expr { return this.sum(this.mul(a, b)); }

  /** Any function of the language by name: `b.call('softplus', x)`, `b.call('pow', x, 3)`. */
  call(name: string, ...args: ExprLike[]): Expr {
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new NudgeError('unknown-function', `unknown function '${name}'`);
    if (args.length !== fn.arity) throw new NudgeError('arity', `'${name}' takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, got ${args.length}`);
    return this.wrap(fn.lower(this.graph, args.map((a) => this.node(a))));
  }

  /**
   * Compile f. Its variables are the ones it uses, in natural order, unless
   * `variables` gives the order.
   */
  compile(f: ExprLike, options: { variables?: readonly string[]; engine?: Engine } = {}): CompiledFunction {
    const root = this.node(f);
    const used = new Map<string, IrNode>();
    for (const n of reachable([root])) if (n.op === 'var' || n.op === 'vvar') used.set(n.name, n);
    const names = options.variables ? [...options.variables] : naturalOrder(used.keys());
    for (const name of used.keys()) {
      if (!names.includes(name)) throw new NudgeError('unknown-variable', `f uses the variable '${name}', which is not in the variables given (${names.join(', ')})`);
    }
    const inputs = names.map((name) => {
      const n = used.get(name);
      return { name, length: n?.length ?? 1, vector: n?.op === 'vvar' };
    });
    return new CompiledFunction(root, inputs, this.graph, options.engine);
  }

  /** @internal */
  wrap(node: IrNode): Expr {
    return new Expr(this, node);
  }

  private apply(op: OpName, args: ExprLike[]): Expr {
    if (args.length === 0) throw new NudgeError('invalid-argument', `${op} needs at least one operand`);
    return this.wrap(this.graph.apply(op, args.map((a) => this.node(a))));
  }

  private node(a: ExprLike): IrNode {
    if (typeof a === 'number') return this.graph.constant(a);
    if (a instanceof Expr) {
      if ((a as unknown as { b: Builder }).b !== this) throw new NudgeError('invalid-argument', 'an expression from another builder cannot be combined with this one');
      return a.node;
    }
    throw new NudgeError('invalid-argument', `an operand must be an expression of this builder or a number, got ${typeof a}`);
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new NudgeError('invalid-argument', `'${String(name)}' is not a variable name (letters, digits and _, not starting with a digit)`);
  }
}

/** A new builder: a fresh graph for one family of functions. */
export function builder(): Builder {
  return new Builder();
}
