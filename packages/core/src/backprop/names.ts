import type { IrNode } from '../ir/node.js';
import { print } from '../ir/print.js';

/** The output's name in ∂f/∂u, the first of these that is not a variable. */
const OUTPUTS = ['f', 'y', 'F', 'g', 'out'];
/** Prefixes for the nodes between the inputs and the output: u1, u2, ... (v1, ... when a variable is called u1). */
const PREFIXES = ['u', 'v', 'h', 't', 's', 'z', 'node'];

export interface Names {
  /** A short name per node, in the nodes' order. */
  readonly names: string[];
  /** The output's name in the chain rule. */
  readonly output: string;
}

/**
 * Short names for the nodes of a graph in topological order: a variable is
 * its own name, a constant is written as it is, the output (when it is an
 * operation) is f, and the operations between are u1, u2, ... in the order
 * of the forward pass. No name is a variable's.
 */
export function nameNodes(nodes: readonly IrNode[], variables: readonly string[]): Names {
  const taken = new Set([...variables, ...nodes.filter((n) => n.op === 'var').map((n) => n.name)]);
  const output = OUTPUTS.find((o) => !taken.has(o)) ?? freshOutput(taken);
  const free = (p: string) => ![...taken].some((v) => v.startsWith(p) && /^\d+$/.test(v.slice(p.length)));
  const prefix = PREFIXES.find(free) ?? freshPrefix(free);
  const last = nodes.length - 1;
  let k = 0;
  const names = nodes.map((n, i) => {
    if (n.op === 'var') return n.name;
    if (n.op === 'const') return print(n);
    if (i === last) return output;
    return `${prefix}${++k}`;
  });
  return { names, output };
}

function freshOutput(taken: ReadonlySet<string>): string {
  let i = 0;
  while (taken.has(`f_${i}`)) i++;
  return `f_${i}`;
}

function freshPrefix(free: (p: string) => boolean): string {
  let p = 'u_';
  while (!free(p)) p += '_';
  return p;
}
