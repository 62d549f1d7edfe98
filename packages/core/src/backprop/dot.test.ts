import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { backprop, backpropDot } from './index.js';
import { dotString, edgeLabel, nodeLabel } from './dot.js';
import type { BackpropResult } from './types.js';

/**
 * A reader for the DOT that backpropDot writes: one statement a line, each a
 * node `nK [...]` or an edge `nA -> nB [...]` with attributes key=value or
 * key="quoted". A label is decoded as Graphviz reads it (\" is ", \\ is \,
 * \n a line break); anything else, an unclosed string included, fails.
 */
function readDot(text: string): { graphLabel: string; nodes: Map<number, Record<string, string>>; edges: { from: number; to: number; attrs: Record<string, string> }[] } {
  const lines = text.split('\n');
  expect(lines[0]).toBe('digraph backprop {');
  expect(lines.at(-2)).toBe('}');
  expect(lines.at(-1)).toBe('');
  const nodes = new Map<number, Record<string, string>>();
  const edges: { from: number; to: number; attrs: Record<string, string> }[] = [];
  let graphLabel = '';
  for (const line of lines.slice(1, -2)) {
    const m = /^ {2}(?:(graph|node|edge)|n(\d+)(?: -> n(\d+))?) \[(.*)\];$/.exec(line);
    expect(m, `a statement: ${line}`).not.toBeNull();
    const attrs = readAttributes(m![4]!);
    if (m![1] === 'graph') graphLabel = attrs.label ?? '';
    else if (m![1] === undefined && m![3] === undefined) nodes.set(Number(m![2]), attrs);
    else if (m![1] === undefined) edges.push({ from: Number(m![2]), to: Number(m![3]), attrs });
  }
  return { graphLabel, nodes, edges };
}

function readAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = /^([a-z]+)=(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9]+))(, |$)/.exec(rest);
    expect(m, `attributes: ${rest}`).not.toBeNull();
    out[m![1]!] = m![2] !== undefined ? decode(m![2]) : m![3]!;
    rest = rest.slice(m![0].length);
  }
  return out;
}

function decode(quoted: string): string {
  return quoted.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

const hasDot = spawnSync('dot', ['-V']).status === 0;

/** The text Graphviz draws, line by line, from its SVG. */
function drawnText(dot: string): string[] {
  const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#45;', '-').replaceAll('&amp;', '&'),
  );
}

/** What a label shows of a text: line breaks as line breaks, other control characters as spaces. */
const shown = (text: string): string => text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');

function checkDot(r: BackpropResult): string {
  const dot = backpropDot(r);
  const read = readDot(dot);
  expect(read.nodes.size).toBe(r.nodes.length);
  for (const n of r.nodes) expect(read.nodes.get(n.id)!.label).toBe(shown(nodeLabel(r, n).join('\n')));
  expect(read.edges.map((e) => [e.from, e.to])).toEqual(r.edges.map((e) => [e.from, e.to]));
  r.edges.forEach((e, i) => {
    const label = edgeLabel(r.nodes[e.from]!, r.nodes[e.to]!, e.partial);
    expect(read.edges[i]!.attrs.label).toBe(label === undefined ? undefined : shown(label));
  });
  return dot;
}

describe('backpropDot', () => {
  const neuron = backprop('sigmoid(w*x + b)', { w: 2, x: 1.5, b: -1 });

  it('labels each node with its definition, op, value and adjoint, each edge with its local partial', () => {
    const dot = checkDot(neuron);
    expect(dot).toContain('n4 [label="u2 = u1 + b\\nadd\\nvalue = 2\\n∂f/∂u2 = 0.104994", shape=box];');
    expect(dot).toContain('n5 [label="f = sigmoid(u2)\\nsigmoid\\nvalue = 0.880797\\n∂f/∂f = 1", shape=box, peripheries=2];');
    expect(dot).toContain('n0 -> n2 [label="∂u1/∂w = 1.5"];');
    expect(readDot(dot).graphLabel).toBe('f = sigmoid(w*x + b) at b = -1, w = 2, x = 1.5');
  });

  it('draws constants dashed, without an adjoint, their edges without a partial', () => {
    const r = backprop('3*x', { x: 2 });
    const read = readDot(checkDot(r));
    expect(read.nodes.get(0)).toEqual({ label: '3\nconstant\nvalue = 3', shape: 'box', style: 'dashed' });
    expect(read.edges[0]).toEqual({ from: 0, to: 2, attrs: { style: 'dashed' } });
  });

  it('stays valid DOT with NaN, Infinity, -0 and names that are DOT keywords', () => {
    for (const [f, at] of [
      ['log(node) + 1/edge + graph*digraph', { node: -1, edge: 0, graph: -0, digraph: 1 }],
      ['sqrt(strict)*subgraph', { strict: 0, subgraph: -0 }],
    ] as const) {
      const r = backprop(f, at);
      const read = readDot(checkDot(r));
      const text = [...read.nodes.values(), ...read.edges.map((e) => e.attrs)].map((a) => a.label).join('\n');
      expect(text).toMatch(/NaN/);
      expect(text).toMatch(/Infinity/);
    }
  });

  it('escapes quotes, backslashes, line breaks and control characters in every label', () => {
    const tricky = 'a"b\\c\\\\"\nd\re\u0007{<|>}\\';
    const r = structuredClone(backprop('x*y', { x: -0, y: Infinity }));
    r.nodes[0]!.name = tricky;
    r.nodes[2]!.definition = `${tricky} * y`;
    r.expression = tricky;
    checkDot(r);
    expect(readDot(backpropDot(r)).nodes.get(0)!.label!.split('\n').slice(0, 3)).toEqual(['a"b\\c\\\\"', 'd', 'e {<|>}\\']);
    expect(dotString('\\')).toBe('"\\\\"');
    expect(dotString('"')).toBe('"\\""');
    expect(dotString('a\r\nb\u0000')).toBe('"a\\nb "');
  });

  it.skipIf(!hasDot)('is drawn by Graphviz, every label as written', () => {
    const cases: BackpropResult[] = [neuron, backprop('log(node)/edge', { node: -1, edge: -0 })];
    const tricky = structuredClone(neuron);
    tricky.nodes[0]!.name = 'w"\\q';
    cases.push(tricky);
    for (const r of cases) {
      const drawn = drawnText(backpropDot(r));
      const want = [
        ...backpropDot(r).match(/graph \[.*label=("(?:[^"\\]|\\.)*")/)!.slice(1).map((q) => decode(q.slice(1, -1))),
        ...r.nodes.flatMap((n) => nodeLabel(r, n)),
        ...r.edges.flatMap((e) => edgeLabel(r.nodes[e.from]!, r.nodes[e.to]!, e.partial) ?? []),
      ];
      expect([...drawn].sort()).toEqual([...want].sort());
    }
  });
});
