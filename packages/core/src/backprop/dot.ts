import { formatNumber } from '../api/format.js';
import type { BackpropNode, BackpropResult } from './types.js';

/**
 * A string as a DOT quoted string whose label shows exactly `text`: the
 * backslash doubled (labels read `\\` as one), the double quote escaped,
 * a line break as `\n` (a centred line), other control characters as a
 * space. Nothing else is special inside quotes.
 */
export function dotString(text: string): string {
  let out = '"';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch < ' ' || ch === '\u007f') out += ' ';
    else out += ch;
  }
  return `${out}"`;
}

const number = (v: number): string => formatNumber(v, 6);

/** A node's label, line by line: what it is, its op, its value and its adjoint. */
export function nodeLabel(r: BackpropResult, n: BackpropNode): string[] {
  const head = n.kind === 'operation' ? `${n.name} = ${n.definition}` : n.name;
  const op = n.kind === 'variable' ? 'variable' : n.kind === 'constant' ? 'constant' : n.op;
  const lines = [head, op, `value = ${number(n.value)}`];
  if (n.adjoint !== null) lines.push(`∂${r.outputName}/∂${n.name} = ${number(n.adjoint)}`);
  return lines;
}

/** An edge's label: the local partial ∂consumer/∂input at the point (none from a constant). */
export function edgeLabel(from: BackpropNode, to: BackpropNode, partial: number | null): string | undefined {
  return partial === null ? undefined : `∂${to.name}/∂${from.name} = ${number(partial)}`;
}

/**
 * The graph as Graphviz DOT, inputs on the left and the output on the right:
 * each node labelled with its name and definition, its op, its forward value
 * and its adjoint; each edge with its local partial derivative. Variables
 * are ellipses, operations boxes (the output's doubled), constants dashed
 * and their edges dashed. `dot -Tsvg` draws it.
 */
export function backpropDot(r: BackpropResult): string {
  const at = r.variables.map((v) => `${v} = ${number(r.at[v]!)}`).join(', ');
  const lines = [
    'digraph backprop {',
    `  graph [rankdir=LR, labelloc=t, label=${dotString(`${r.outputName} = ${r.expression}${at ? ` at ${at}` : ''}`)}];`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of r.nodes) {
    const shape = n.kind === 'variable' ? 'ellipse' : 'box';
    const style = n.kind === 'constant' ? ', style=dashed' : n.id === r.output ? ', peripheries=2' : '';
    lines.push(`  n${n.id} [label=${dotString(nodeLabel(r, n).join('\n'))}, shape=${shape}${style}];`);
  }
  for (const e of r.edges) {
    const label = edgeLabel(r.nodes[e.from]!, r.nodes[e.to]!, e.partial);
    lines.push(`  n${e.from} -> n${e.to} [${label === undefined ? 'style=dashed' : `label=${dotString(label)}`}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
