import { closeSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { backprop, backpropDot, formatNumber, NudgeError, type BackpropNode, type BackpropResult } from '@nudge/core';
import type { Context } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { describeAt } from './describe.js';
import { openForWriting } from '../out-file.js';

const short = (v: number): string => formatNumber(v, 6);
/** A factor of a product: negative numbers in parentheses, `0.24 · (-1)`. */
const factor = (v: number): string => (v < 0 ? `(${short(v)})` : short(v));

/** The names in a column: `w ` beside `u1`. */
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - [...text].length));

/** The forward pass, inputs first: each node's definition and value, and the subexpression it stands for. */
function forwardLines(r: BackpropResult): string[] {
  const shown = r.forward.map((id) => r.nodes[id]!).filter((n) => n.kind !== 'constant');
  const width = Math.max(...shown.map((n) => [...n.name].length));
  return shown.map((n) => {
    if (n.kind === 'variable') return `  ${pad(n.name, width)} = ${short(n.value)}`;
    const line = `  ${pad(n.name, width)} = ${n.definition} = ${short(n.value)}`;
    return n.text === n.definition ? line : `${line}   (${n.text})`;
  });
}

/** `∂f/∂x = ∂f/∂u1 · ∂u1/∂x + ... = 0.105 · 2 + ... = 0.21`, then what each local partial is. */
function chainLine(r: BackpropResult, n: BackpropNode, width: number): string {
  const f = r.outputName;
  const left = pad(`∂${f}/∂${n.name}`, width);
  if (n.id === r.output) return `  ${left} = 1 (the output)`;
  const edges = n.adjointTerms.map((e) => r.edges[e]!);
  const to = (e: (typeof edges)[number]) => r.nodes[e.to]!;
  const symbols = edges.map((e) => `∂${f}/∂${to(e).name} · ∂${to(e).name}/∂${n.name}`).join(' + ');
  const numbers = edges.map((e) => `${factor(to(e).adjoint!)} · ${factor(e.partial!)}`).join(' + ');
  const where = new Set(edges.filter((e) => e.partialText !== short(e.partial!)).map((e) => `∂${to(e).name}/∂${n.name} = ${e.partialText}`));
  const notes = [
    ...(where.size > 0 ? [`where ${[...where].join(', ')}`] : []),
    ...(edges.length > 1 ? [`${n.name} is used ${edges.length} times: the contributions add`] : []),
  ];
  const note = notes.length > 0 ? `   (${notes.join('; ')})` : '';
  return `  ${left} = ${symbols} = ${numbers} = ${short(n.adjoint!)}${note}`;
}

function human(expression: string, r: BackpropResult, dotPath: string | undefined): (string | undefined | false)[] {
  const f = r.outputName;
  const backward = r.backward.map((id) => r.nodes[id]!);
  const width = Math.max(...backward.map((n) => [...`∂${f}/∂${n.name}`].length));
  return [
    `backprop of ${f} = ${expression.trim()}${describeAt(r.at)}`,
    '',
    'forward pass, inputs to output: each node from its inputs',
    ...forwardLines(r),
    '',
    `backward pass, output to inputs: ∂${f}/∂node, the chain rule along each edge out of the node`,
    ...backward.map((n) => chainLine(r, n, width)),
    '',
    `gradient (the variables' adjoints), ${f} = ${formatNumber(r.value)}`,
    ...r.variables.map((v) => `  ∂${f}/∂${v} = ${formatNumber(r.gradient[v]!, 12)}`),
    r.warning && `warning: ${r.warning}`,
    dotPath !== undefined && `graph written to ${dotPath} (Graphviz DOT: dot -Tsvg ${dotPath} -o graph.svg)`,
  ];
}

export function registerBackprop(program: Command, ctx: Context): void {
  program
    .command('backprop')
    .description('backpropagation, shown: the computational graph with forward values, adjoints and the chain rule edge by edge')
    .argument('<expression>', 'the function, e.g. "sigmoid(w*x + b)"')
    .requiredOption('--at <point>', 'the point: w=2,x=1.5,b=-1 or 2,1.5,-1 in variable order')
    .option('--json', 'print the graph as one JSON object (nodes, edges, forward and backward order, gradient)')
    .option('--dot [path]', 'write the graph as Graphviz DOT to the path, or to stdout without one')
    .addHelpText(
      'after',
      '\nExamples:\n  nudge backprop "sigmoid(w*x + b)" --at w=2,x=1.5,b=-1\n  nudge backprop "sigmoid(w*x + b)" --at w=2,x=1.5,b=-1 --dot | dot -Tsvg -o graph.svg\n  nudge backprop "x*y + sin(x)" --at x=1,y=2 --json',
    )
    .action((expression: string, flags: { at: string; json?: boolean; dot?: string | true }) => {
      ctx.expression = expression;
      if (flags.dot === true && flags.json) throw new NudgeError('invalid-argument', '--dot without a path writes DOT to stdout: give it a path to use it with --json');
      const r = backprop(expression, parsePointSpec(flags.at, '--at'));
      if (flags.dot === true) {
        ctx.io.out(backpropDot(r));
        return;
      }
      if (flags.dot !== undefined) writeDot(flags.dot, backpropDot(r));
      if (flags.json) printJson(ctx.io, r);
      else printLines(ctx.io, human(expression, r, flags.dot));
    });
}

/** Writes the DOT file before anything is printed, so that a bad path is bad input (exit 2) with nothing on stdout. */
function writeDot(path: string, dot: string): void {
  const fd = openForWriting(path, '--dot');
  try {
    writeSync(fd, dot);
  } finally {
    closeSync(fd);
  }
}
