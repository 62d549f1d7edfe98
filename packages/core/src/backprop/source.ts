import { CompiledFunction } from '../api/compiled.js';
import type { FunctionOptions } from '../api/target.js';
import { describe } from '../api/target.js';
import { NudgeError } from '../errors.js';
import { lower } from '../ir/lower.js';
import { Graph, variablesOf, type IrNode } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';

/** What backprop works on: an expression's IR and its variables, in vector order. */
export interface Source {
  root: IrNode;
  variables: readonly string[];
}

/**
 * f as IR. A string is parsed here (names and arities checked, with
 * columns; with `variables`, any other name is an error); a compiled
 * function brings its own IR and variables. No kernel is needed: every
 * number backprop shows comes from the op table.
 */
export function sourceOf(f: unknown, options: Pick<FunctionOptions, 'variables'>): Source {
  if (typeof f === 'string') {
    const root = lower(new Graph(), parse(f), options.variables ? { variables: options.variables } : {});
    return { root, variables: options.variables ? [...options.variables] : naturalOrder(variablesOf(root)) };
  }
  if (f instanceof CompiledFunction) {
    if (f.vectorMode) throw new NudgeError('invalid-argument', 'backprop shows functions of scalar variables: this function has vector variables');
    return { root: f.ir, variables: f.variables };
  }
  if (typeof f === 'function') {
    throw new NudgeError('invalid-argument', 'backprop needs an expression (a string or a compiled function): a JavaScript function has no graph to show');
  }
  throw new NudgeError('invalid-argument', `f must be an expression string or a compiled function, got ${describe(f)}`);
}
