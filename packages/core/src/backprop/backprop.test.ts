import { describe, expect, it } from 'vitest';
import { builder, compile, gradient, NudgeError, NudgeSyntaxError } from '../index.js';
import { backprop } from './index.js';
import type { BackpropResult } from './types.js';

const byName = (r: BackpropResult, name: string) => {
  const n = r.nodes.find((m) => m.name === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
};
const edge = (r: BackpropResult, from: string, to: string) => {
  const e = r.edges.find((x) => r.nodes[x.from]!.name === from && r.nodes[x.to]!.name === to);
  if (!e) throw new Error(`no edge ${from} -> ${to}`);
  return e;
};

describe('backprop: the neuron sigmoid(w*x + b) at w = 2, x = 1.5, b = -1, by hand', () => {
  const r = backprop('sigmoid(w*x + b)', { w: 2, x: 1.5, b: -1 });
  // Forward: u1 = w*x = 3, u2 = u1 + b = 2, f = sigmoid(2) = 1/(1 + e^-2).
  const sigmoid2 = 0.8807970779778823; // 1/(1 + 0.1353352832366127)
  // Backward: sigmoid'(2) = sigmoid(2)(1 - sigmoid(2)) = 0.8807970779778823 * 0.1192029220221177.
  const slope2 = 0.1049935854035065;

  it('has the graph a person draws: w, x -> u1 = w*x; u1, b -> u2 = u1 + b; u2 -> f = sigmoid(u2)', () => {
    expect(r.nodes.map((n) => `${n.name}=${n.definition}`)).toEqual(['w=w', 'x=x', 'u1=w*x', 'b=b', 'u2=u1 + b', 'f=sigmoid(u2)']);
    expect(r.nodes.map((n) => n.text)).toEqual(['w', 'x', 'w*x', 'b', 'w*x + b', 'sigmoid(w*x + b)']);
    expect(r.nodes.map((n) => n.op)).toEqual(['var', 'var', 'mul', 'var', 'add', 'sigmoid']);
    expect(r.nodes[r.output]!.name).toBe('f');
    expect(r.forward).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.backward).toEqual([5, 4, 3, 2, 1, 0]);
    expect(byName(r, 'u2').inputs).toEqual([byName(r, 'u1').id, byName(r, 'b').id]);
    expect(r.edges).toHaveLength(5);
  });

  it('gives the forward values', () => {
    expect(r.nodes.map((n) => n.value)).toEqual([2, 1.5, 3, -1, 2, r.value]);
    expect(r.value).toBeCloseTo(sigmoid2, 15);
    expect(r.value).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });

  it("gives the local partials: ∂f/∂u2 = sigmoid'(2), ∂u2/∂u1 = ∂u2/∂b = 1, ∂u1/∂w = x = 1.5, ∂u1/∂x = w = 2", () => {
    expect(edge(r, 'u2', 'f').partial).toBeCloseTo(slope2, 15);
    expect(edge(r, 'u2', 'f').partialText).toBe('sigmoid(u2)*(1 - sigmoid(u2))');
    expect(edge(r, 'u1', 'u2')).toMatchObject({ partial: 1, partialText: '1' });
    expect(edge(r, 'b', 'u2')).toMatchObject({ partial: 1, partialText: '1' });
    expect(edge(r, 'w', 'u1')).toMatchObject({ partial: 1.5, partialText: 'x' });
    expect(edge(r, 'x', 'u1')).toMatchObject({ partial: 2, partialText: 'w' });
  });

  it("gives the adjoints: ∂f/∂u2 = ∂f/∂u1 = ∂f/∂b = sigmoid'(2), ∂f/∂w = sigmoid'(2)·1.5, ∂f/∂x = sigmoid'(2)·2", () => {
    expect(byName(r, 'f').adjoint).toBe(1);
    for (const name of ['u2', 'u1', 'b']) expect(byName(r, name).adjoint).toBeCloseTo(slope2, 15);
    expect(byName(r, 'w').adjoint).toBeCloseTo(0.15749037810525975, 15); // 0.1049935854035065 * 1.5
    expect(byName(r, 'x').adjoint).toBeCloseTo(0.209987170807013, 15); // 0.1049935854035065 * 2
    expect(r.gradient).toEqual({ b: byName(r, 'b').adjoint, w: byName(r, 'w').adjoint, x: byName(r, 'x').adjoint });
    expect(edge(r, 'x', 'u1').contribution).toBe(byName(r, 'u1').adjoint! * 2);
    expect(r.variables).toEqual(['b', 'w', 'x']);
    expect(r.at).toEqual({ b: -1, w: 2, x: 1.5 });
    expect(r.warning).toBeUndefined();
  });

  it('gives LaTeX for every node and partial', () => {
    expect(byName(r, 'f').latex).toBe('\\sigma\\left(w x + b\\right)');
    expect(byName(r, 'u2').definitionLatex).toBe('u_{1} + b');
    expect(edge(r, 'u2', 'f').partialLatex).toBe('\\sigma\\left(u_{2}\\right) \\left(1 - \\sigma\\left(u_{2}\\right)\\right)');
  });
});

describe('backprop: shared nodes, constants and names', () => {
  it('gives a variable used twice one node whose adjoint is the sum of its two contributions', () => {
    const r = backprop('x*y + sin(x)', { x: 0.5, y: 3 });
    const x = byName(r, 'x');
    expect(r.nodes.filter((n) => n.name === 'x')).toHaveLength(1);
    expect(x.adjointTerms).toHaveLength(2);
    const parts = x.adjointTerms.map((e) => r.edges[e]!.contribution!);
    expect(parts[0]! + parts[1]!).toBe(x.adjoint);
    expect([...parts].sort()).toEqual([Math.cos(0.5), 3].sort());
    expect(x.adjoint).toBeCloseTo(3 + Math.cos(0.5), 15);
  });

  it('draws x*x as two edges into one node, each with the other factor as its partial', () => {
    const r = backprop('x*x', { x: 3 });
    expect(r.edges.map((e) => [e.from, e.to, e.argument, e.partial])).toEqual([
      [0, 1, 0, 3],
      [0, 1, 1, 3],
    ]);
    expect(r.gradient.x).toBe(6);
  });

  it('keeps constants as nodes without adjoints, their edges without partials', () => {
    const r = backprop('3*x^2', { x: 2 });
    const constants = r.nodes.filter((n) => n.kind === 'constant');
    expect(constants.map((n) => n.name).sort()).toEqual(['2', '3']);
    for (const c of constants) {
      expect(c.adjoint).toBeNull();
      expect(c.adjointTerms).toEqual([]);
      expect(r.backward).not.toContain(c.id);
      for (const e of r.edges.filter((x) => x.from === c.id)) expect([e.partial, e.contribution, e.partialText]).toEqual([null, null, null]);
    }
    expect(r.gradient.x).toBe(12);
    expect(byName(r, 'u1')).toMatchObject({ definition: 'x^2', value: 4, adjoint: 3 });
  });

  it('names the nodes between u1, u2, ... unless a variable is called so, and the output f unless f is a variable', () => {
    const r = backprop('sin(u1*f)', { u1: 2, f: 3 });
    expect(r.outputName).toBe('y');
    expect(r.nodes.map((n) => n.name)).toEqual(['u1', 'f', 'v1', 'y']);
  });

  it('takes a compiled function, its variables in its order, an unused one with gradient 0', () => {
    const f = compile('x^2', { variables: ['x', 'y'] });
    const r = backprop(f, [3, 4]);
    expect(r.variables).toEqual(['x', 'y']);
    expect(r.gradient).toEqual({ x: 6, y: 0 });
    f.dispose();
  });

  it('shows x/y as x times u1 = 1/y, with the gradient the kernel gives', () => {
    for (const at of [{ x: 3, y: 2 }, { x: -1.5, y: 0.1 }, { x: 1, y: 0 }]) {
      const r = backprop('x/y', at);
      expect(r.nodes.map((n) => `${n.name}=${n.definition}`)).toEqual(['x=x', 'y=y', 'u1=1/y', 'f=x*u1']);
      expect(edge(r, 'y', 'u1').partialText).toBe('-1/y^2');
      const g = gradient('x/y', at).gradient;
      expect(r.gradient.x).toBe(g.x);
      if (at.y === 0) expect([r.gradient.y, g.y]).toEqual([-Infinity, -Infinity]);
      else expect(r.gradient.y).toBeCloseTo(g.y!, 12);
    }
  });

  it('shows an expression without variables as one constant', () => {
    const r = backprop('2*3');
    expect(r.nodes).toHaveLength(1);
    expect(r).toMatchObject({ value: 6, gradient: {}, backward: [], edges: [] });
  });

  it('shows a variable by itself: ∂f/∂x = 1', () => {
    const r = backprop('x', 5);
    expect(r.gradient).toEqual({ x: 1 });
    expect(r.nodes[0]).toMatchObject({ name: 'x', adjoint: 1, adjointTerms: [] });
  });
});

describe('backprop: what does not exist is reported', () => {
  it("reports sqrt'(0) = Infinity in a warning", () => {
    const r = backprop('sqrt(x)', { x: 0 });
    expect(r.gradient.x).toBe(Infinity);
    expect(r.warning).toMatch(/local partial ∂f\/∂x is infinite/);
  });

  it("gives |x|'s rule at 0, |x|/x, as NaN: there is no derivative there", () => {
    const r = backprop('abs(x)', { x: 0 });
    expect(r.gradient.x).toBeNaN();
    expect(r.warning).toMatch(/not a number/);
    expect(backprop('abs(x)', { x: -2 }).gradient.x).toBe(-1);
  });

  it('says when f itself is not a number', () => {
    expect(backprop('log(x)', { x: -1 }).warning).toMatch(/f is not a number/);
  });
});

describe('backprop: bad input is a NudgeError that names it', () => {
  const fails = (run: () => unknown, code: string, pattern: RegExp) => {
    expect(run).toThrow(NudgeError);
    expect(run).toThrow(expect.objectContaining({ code, message: expect.stringMatching(pattern) }));
  };

  it('names a syntax error with its column', () => {
    expect(() => backprop('sigmoid(w*x +', { w: 1, x: 1 })).toThrow(NudgeSyntaxError);
    fails(() => backprop('sin(x))', { x: 1 }), 'syntax', /column 7/);
  });

  it('names an unknown function, a missing value, an unknown variable and a value that is not a number', () => {
    fails(() => backprop('sigmod(x)', { x: 1 }), 'unknown-function', /did you mean 'sigmoid'/);
    fails(() => backprop('w*x + b', { w: 1, x: 2 }), 'missing-variable', /no value for the variable 'b'/);
    fails(() => backprop('w*x', { w: 1, x: 2, q: 3 }), 'unknown-variable', /'q'/);
    fails(() => backprop('w*x', { w: 1, x: NaN }), 'invalid-argument', /'x'.*must be a number/);
    fails(() => backprop('w*x'), 'missing-variable', /the point is missing/);
    fails(() => backprop('w*x + z', { w: 1, x: 2 }, { variables: ['w', 'x'] }), 'unknown-variable', /unknown variable 'z'.*column 7/);
  });

  it('refuses JavaScript functions, vector functions and graphs too large to show', () => {
    fails(() => backprop(((x: number) => x) as never, 1), 'invalid-argument', /JavaScript function/);
    const b = builder();
    const v = b.vector('v', 3);
    const f = b.compile(v.square().sum());
    fails(() => backprop(f, { v: [1, 2, 3] }), 'invalid-argument', /vector variables/);
    f.dispose();
    // A DAG of 14 nested exp(u)/(1 + u) has 6 nodes a level; written out, every u twice: about 100,000.
    const d = builder();
    let u = d.variable('x');
    for (let i = 0; i < 14; i++) u = u.exp().div(u.add(1));
    const nested = d.compile(u);
    fails(() => backprop(nested, { x: 0.1 }), 'invalid-argument', /when written out: backprop shows at most 20000/);
    nested.dispose();
    const wide = Array.from({ length: 700 }, (_, i) => `sin(x + ${i + 1})`).join(' + ');
    fails(() => backprop(wide, { x: 0.1 }), 'invalid-argument', /graph has 2102 nodes: backprop shows at most 2000/);
  });
});
