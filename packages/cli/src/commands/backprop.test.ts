import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backprop, backpropDot, formatNumber, gradient } from '@nudge/core';
import { json, nudge } from '../test-support/nudge.js';

const NEURON = 'sigmoid(w*x + b)';
const AT = 'w=2,x=1.5,b=-1';
const POINT = { w: 2, x: 1.5, b: -1 };
const dir = mkdtempSync(join(tmpdir(), 'nudge-backprop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nudge backprop', () => {
  it('--json gives the graph as data, the core’s numbers, adjoints equal to the exact gradient', async () => {
    const r = await json('backprop', NEURON, '--at', AT);
    const core = backprop(NEURON, POINT);
    expect(r).toEqual(JSON.parse(JSON.stringify(core)));
    expect(r.nodes.map((n: { name: string; definition: string }) => `${n.name} = ${n.definition}`)).toEqual(['w = w', 'x = x', 'u1 = w*x', 'b = b', 'u2 = u1 + b', 'f = sigmoid(u2)']);
    const exact = gradient(NEURON, POINT).gradient;
    for (const v of ['w', 'x', 'b']) expect(Math.abs(r.gradient[v] - exact[v]!)).toBeLessThanOrEqual(1e-12 * Math.abs(exact[v]!));
    expect(r.value).toBe(1 / (1 + Math.exp(-2)));
    expect(r.backward).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it('shows the forward pass, the chain rule edge by edge, and the gradient', async () => {
    const r = await nudge('backprop', NEURON, '--at', AT);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const core = backprop(NEURON, POINT);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('backprop of f = sigmoid(w*x + b) at b = -1, w = 2, x = 1.5');
    expect(lines).toContain('  u1 = w*x = 3');
    expect(lines).toContain('  u2 = u1 + b = 2   (w*x + b)');
    expect(lines).toContain('  f  = sigmoid(u2) = 0.880797   (sigmoid(w*x + b))');
    expect(lines).toContain('  ∂f/∂f  = 1 (the output)');
    expect(lines).toContain('  ∂f/∂u2 = ∂f/∂f · ∂f/∂u2 = 1 · 0.104994 = 0.104994   (where ∂f/∂u2 = sigmoid(u2)*(1 - sigmoid(u2)))');
    expect(lines).toContain('  ∂f/∂x  = ∂f/∂u1 · ∂u1/∂x = 0.104994 · 2 = 0.209987   (where ∂u1/∂x = w)');
    expect(lines).toContain('  ∂f/∂w  = ∂f/∂u1 · ∂u1/∂w = 0.104994 · 1.5 = 0.15749   (where ∂u1/∂w = x)');
    for (const v of ['b', 'w', 'x']) expect(lines).toContain(`  ∂f/∂${v} = ${formatNumber(core.gradient[v]!, 12)}`);
    // The backward pass runs from the output to the inputs.
    const order = ['∂f/∂f ', '∂f/∂u2', '∂f/∂b ', '∂f/∂u1', '∂f/∂x ', '∂f/∂w '].map((s) => r.stdout.indexOf(`  ${s} = `));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('adds the contributions of a variable used twice, and says so', async () => {
    const r = await nudge('backprop', 'x*y + sin(x)', '--at', 'x=1,y=2');
    expect(r.stdout).toContain(
      '  ∂f/∂x  = ∂f/∂u2 · ∂u2/∂x + ∂f/∂u1 · ∂u1/∂x = 1 · 0.540302 + 1 · 2 = 2.5403   (where ∂u2/∂x = cos(x), ∂u1/∂x = y; x is used 2 times: the contributions add)',
    );
    expect(r.stdout).toContain(`  ∂f/∂x = ${formatNumber(2 + Math.cos(1), 12)}`);
  });

  it('--dot writes the core’s DOT to stdout, or to a file beside the usual output', async () => {
    const out = await nudge('backprop', NEURON, '--at', AT, '--dot');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(backpropDot(backprop(NEURON, POINT)));
    if (spawnSync('dot', ['-V']).status === 0) {
      const drawn = spawnSync('dot', ['-Tsvg'], { input: out.stdout, encoding: 'utf8' });
      expect(drawn.status).toBe(0);
      expect(drawn.stdout).toContain('∂f/∂u2 = 0.104994');
    }
    const path = join(dir, 'neuron.dot');
    const file = await nudge('backprop', NEURON, '--at', AT, '--dot', path);
    expect(file.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(out.stdout);
    expect(file.stdout).toContain(`graph written to ${path}`);
    const path2 = join(dir, 'with-json.dot');
    const both = await json('backprop', 'x^2', '--at', 'x=3', '--dot', path2);
    expect(both.gradient).toEqual({ x: 6 });
    expect(readFileSync(path2, 'utf8')).toMatch(/^digraph backprop \{/);
  });

  it('reports what is not a number: null in JSON, with a warning', async () => {
    const r = await json('backprop', 'log(x)', '--at', 'x=-1');
    expect(r.value).toBeNull();
    expect(r.warning).toMatch(/not a number/);
  });

  it('has help with examples', async () => {
    const r = await nudge('backprop', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: nudge backprop/);
    expect(r.stdout).toMatch(/Examples:/);
  });
});

describe('nudge backprop: bad input exits 2 with one line naming it', () => {
  const bad = async (args: string[], pattern: RegExp) => {
    const r = await nudge('backprop', ...args);
    // Exit 2, nothing on stdout, no stack trace on stderr.
    expect({ code: r.code, stdout: r.stdout, trace: /\n\s+at /.test(r.stderr) }).toEqual({ code: 2, stdout: '', trace: false });
    expect(r.stderr).toMatch(pattern);
    return r;
  };

  it('names a syntax error with a caret, a missing or unknown variable, a missing --at', async () => {
    const r = await bad(['sigmoid(w*x +)', '--at', AT], /column 14/);
    expect(r.stderr).toContain('  sigmoid(w*x +)\n               ^');
    await bad([NEURON, '--at', 'w=2,x=1.5'], /^nudge: the point has no value for the variable 'b'\n$/);
    await bad([NEURON, '--at', 'w=2,x=1.5,b=-1,q=3'], /^nudge: the point gives 'q', but f has no variable 'q'/);
    await bad([NEURON, '--at', 'w=2,x=abc,b=1'], /--at: the value of 'x' must be a number, got 'abc'/);
    await bad([NEURON], /required option '--at <point>' not specified/);
  });

  it('names a DOT file that cannot be written, and --dot to stdout with --json', async () => {
    await bad([NEURON, '--at', AT, '--dot', join(dir, 'no', 'such', 'dir.dot')], /^nudge: --dot: cannot write '.*dir\.dot': ENOENT\n$/);
    const r = await nudge('backprop', NEURON, '--at', AT, '--dot', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toMatch(/--dot without a path writes DOT to stdout/);
  });
});
