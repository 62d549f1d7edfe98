import { NudgeArgumentError, NudgeError } from '../errors.js';
import type { Ast, CallNode, NameNode } from '../parse/ast.js';
import { CONSTANTS, FUNCTIONS, closestFunction } from './functions.js';
import type { Graph, IrNode } from './node.js';

export interface LowerOptions {
  /** When given, the only names allowed as variables; others are `unknown variable` errors. */
  variables?: readonly string[];
}

/** Lower a syntax tree to IR in `g`. Names, arities and variables are checked here, with columns. */
export function lower(g: Graph, ast: Ast, options: LowerOptions = {}): IrNode {
  const declared = options.variables ? new Set(options.variables) : undefined;

  const name = (node: NameNode): IrNode => {
    if (declared?.has(node.name)) return g.variable(node.name);
    const constant = CONSTANTS[node.name];
    if (constant !== undefined) return g.constant(constant);
    if (Object.hasOwn(FUNCTIONS, node.name)) {
      throw new NudgeArgumentError(
        'unknown-variable',
        `'${node.name}' is a function: call it as ${node.name}(...) at column ${node.start + 1}`,
        node.start + 1,
      );
    }
    if (declared && !declared.has(node.name)) {
      const list = declared.size > 0 ? ` (the variables are ${[...declared].join(', ')})` : '';
      throw new NudgeArgumentError(
        'unknown-variable',
        `unknown variable '${node.name}'${list} at column ${node.start + 1}`,
        node.start + 1,
      );
    }
    return g.variable(node.name);
  };

  const call = (node: CallNode): IrNode => {
    const column = node.calleeSpan.start + 1;
    const fn = Object.hasOwn(FUNCTIONS, node.callee) ? FUNCTIONS[node.callee] : undefined;
    if (fn === undefined) {
      const guess = closestFunction(node.callee);
      const hint = guess ? ` (did you mean '${guess}'?)` : '';
      throw new NudgeArgumentError('unknown-function', `unknown function '${node.callee}'${hint} at column ${column}`, column);
    }
    if (node.args.length !== fn.arity) {
      const plural = fn.arity === 1 ? 'argument' : 'arguments';
      throw new NudgeArgumentError(
        'arity',
        `'${node.callee}' takes ${fn.arity} ${plural}, got ${node.args.length} at column ${column}`,
        column,
      );
    }
    return fn.lower(g, node.args.map(visit));
  };

  const visit = (node: Ast): IrNode => {
    switch (node.kind) {
      case 'number':
        return g.constant(node.value);
      case 'name':
        return name(node);
      case 'negate':
        return g.apply('neg', [visit(node.arg)]);
      case 'power':
        return g.apply('pow', [visit(node.base), visit(node.exponent)]);
      case 'call':
        return call(node);
      case 'sum':
        return g.apply(
          'add',
          node.items.map((item) => (item.op === '+' ? visit(item.arg) : g.apply('neg', [visit(item.arg)]))),
        );
      case 'product': {
        const factors = node.items.map((item) => (item.op === '*' ? visit(item.arg) : g.apply('recip', [visit(item.arg)])));
        // `1/x` is recip(x), not mul(1, recip(x)): the printer writes recip as `1/x`.
        // (Also when the 1 was folded from constants, e.g. sec(0)/x, so that printing round-trips.)
        // And `1*sec(x)`, whose second factor is a reciprocal too: mul(1, recip(..)) never exists.
        if (factors[0]!.op === 'const' && factors[0]!.value === 1 && factors[1]?.op === 'recip') factors.shift();
        return g.apply('mul', factors);
      }
    }
  };

  return visit(ast);
}

export function isNudgeError(e: unknown): e is NudgeError {
  return e instanceof NudgeError;
}
