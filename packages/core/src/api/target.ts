import { NudgeError } from '../errors.js';
import { naturalOrder } from '../ir/variables.js';
import { CompiledFunction, compile, type CompileOptions } from './compiled.js';
import type { Input } from '../tape/tape.js';
import type { Engine } from '../jit/engine.js';
import type { Point } from './points.js';

/** A plain JavaScript function of numbers, evaluated in JS. */
export type JsFunction = (...args: number[]) => number;

/** What every API function accepts as f. */
export type Fn = string | CompiledFunction | JsFunction;

export interface FunctionOptions {
  /** Variable order (and names) for a string expression or a JS function. */
  variables?: readonly string[];
  /** For a string expression: compiled to WebAssembly (the default where allowed) or interpreted (see `compile`). */
  engine?: Engine;
}

export type Target =
  | { kind: 'compiled'; fn: CompiledFunction; variables: readonly string[]; inputs: readonly Input[] }
  | { kind: 'closure'; fn: JsFunction; variables: readonly string[]; inputs: readonly Input[] };

const scalarInputs = (names: readonly string[]): Input[] => names.map((name) => ({ name, length: 1, vector: false }));

/** Whether f has vector variables (a builder function): then points are given by name, vectors as arrays. */
export function hasVectors(t: Target): boolean {
  return t.inputs.some((i) => i.vector);
}

/** What `compile` takes from a call's options. */
export function compileOptionsOf(options: FunctionOptions): CompileOptions {
  return { ...(options.variables ? { variables: options.variables } : {}), ...(options.engine ? { engine: options.engine } : {}) };
}

/**
 * Resolve f and run `body` with it. A string is compiled for the call and
 * disposed after it, so that no kernel memory outlives the call.
 */
export function withTarget<T>(f: Fn, options: FunctionOptions, hint: Point | undefined, body: (t: Target) => T): T {
  if (typeof f === 'string') {
    const fn = compile(f, compileOptionsOf(options));
    try {
      return body({ kind: 'compiled', fn, variables: fn.variables, inputs: fn.inputs });
    } finally {
      fn.dispose();
    }
  }
  if (f instanceof CompiledFunction) return body({ kind: 'compiled', fn: f, variables: f.variables, inputs: f.inputs });
  if (typeof f === 'function') {
    const variables = options.variables ?? closureVariablesFor(f, hint);
    return body({ kind: 'closure', fn: f, variables, inputs: scalarInputs(variables) });
  }
  throw new NudgeError('invalid-argument', `f must be an expression string, a compiled function or a JS function, got ${describe(f)}`);
}

/** The variables of a JS function: the keys of an object point, else x, y, z or x1..xn by arity. */
function closureVariablesFor(f: JsFunction, hint: Point | undefined): string[] {
  if (hint !== undefined && typeof hint === 'object' && !Array.isArray(hint) && !ArrayBuffer.isView(hint)) {
    return naturalOrder(Object.keys(hint));
  }
  const n = typeof hint === 'number' ? 1 : Array.isArray(hint) ? hint.length : Math.max(f.length, 1);
  return closureVariables(n);
}

/** Names for the arguments of a JS function: x for one, x, y, z for up to three, else x1..xn. */
export function closureVariables(n: number): string[] {
  if (n === 1) return ['x'];
  if (n <= 3) return ['x', 'y', 'z'].slice(0, n);
  return Array.from({ length: n }, (_, i) => `x${i + 1}`);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
