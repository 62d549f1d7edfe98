import { describe, expect, it } from 'vitest';
import { json, nudge } from './test-support/nudge.js';

describe('nudge --json: the course, in numbers', () => {
  it('eval', async () => {
    expect(await json('eval', 'x^2*y', '--at', 'x=1,y=2')).toMatchObject({ value: 2 });
    expect(await json('eval', '2^-2^2')).toMatchObject({ value: 1 / 16 });
    expect(await json('eval', 'x*y', '--at', '3,4')).toMatchObject({ value: 12 });
    expect(await json('eval', 'sin(x)', '--at', 'x=pi/2')).toMatchObject({ value: 1 });
  });

  it('slope: x^2+3 from (1, 4) to (3, 12) is 4', async () => {
    expect(await json('slope', 'x^2+3', '--from', '1', '--to', '3')).toMatchObject({ slope: 4, from: { value: 4 }, to: { value: 12 } });
    expect(await json('slope', 'x^2', '--from', '-1', '--to', '-3')).toMatchObject({ slope: -4 });
  });

  it('derivative: the textbook forward difference and the better methods', async () => {
    const f = await json('derivative', 'x^2', '--at', '3', '--method', 'forward');
    expect(f).toMatchObject({ value: 9, derivative: 6.000100000012054, method: 'forward', h: 0.0001, evaluations: 3 });
    expect(typeof f.errorEstimate).toBe('number');
    const c = await json('derivative', 'x^2', '--at', 'x=3', '--method', 'central', '--h', '0.01');
    expect(Math.abs(c.derivative - 6)).toBeLessThan(1e-9);
    const r = await json('derivative', 'x^2*y', '--at', 'x=3,y=2', '--wrt', 'y');
    expect(r).toMatchObject({ derivative: 9, method: 'exact', errorEstimate: 0 });
    const x2 = await json('derivative', 'x^2', '--at', 'x=3');
    expect(x2).toMatchObject({ value: 9, derivative: 6, method: 'exact', errorEstimate: 0 });
    const rich = await json('derivative', 'x^2*y', '--at', 'x=3,y=2', '--wrt', 'y', '--method', 'richardson');
    expect(Math.abs(rich.derivative - 9)).toBeLessThan(1e-9);
    const complex = await json('derivative', 'sin(x)', '--at', '1', '--method', 'complex');
    expect(Math.abs(complex.derivative - Math.cos(1))).toBeLessThan(1e-15);
    const auto = await json('derivative', 'sin(x)', '--at', '1', '--method', 'central', '--h', 'auto');
    expect(Math.abs(auto.derivative - Math.cos(1))).toBeLessThan(1e-9);
  });

  it('tangent: y = 6x - 9 for x^2 at 3', async () => {
    const t = await json('tangent', 'x^2', '--at', '3');
    expect(t.equation).toBe('y = 6x - 9');
    expect(Math.abs(t.slope - 6)).toBeLessThan(1e-9);
    expect(Math.abs(t.intercept + 9)).toBeLessThan(1e-9);
  });

  it('gradient with norm and the unit direction of steepest ascent', async () => {
    const g = await json('gradient', 'x^2*y+sin(z)', '--at', 'x=1,y=2,z=3');
    expect(Math.abs(g.gradient.x - 4)).toBeLessThan(1e-9);
    expect(Math.abs(g.gradient.y - 1)).toBeLessThan(1e-9);
    expect(Math.abs(g.gradient.z - Math.cos(3))).toBeLessThan(1e-9);
    expect(Math.abs(Math.hypot(g.ascent.x, g.ascent.y, g.ascent.z) - 1)).toBeLessThan(1e-12);
  });

  it('directional: along the unit vector, or the plain ∇f·v with --no-normalize', async () => {
    const d = await json('directional', 'x^2*y', '--at', 'x=1,y=2', '--dir', 'x=3,y=4');
    expect(Math.abs(d.directional - 16 / 5)).toBeLessThan(1e-9);
    expect(d.direction.x).toBeCloseTo(0.6, 12);
    const plain = await json('directional', 'x^2*y', '--at', 'x=1,y=2', '--dir', '3,4', '--no-normalize');
    expect(Math.abs(plain.directional - 16)).toBeLessThan(1e-9);
  });

  it('reports a result that is not a number as null with a warning, exit 0', async () => {
    const l = await json('eval', 'log(-1)');
    expect(l.value).toBeNull();
    expect(l.warning).toMatch(/not a number/);
    const s = await json('derivative', 'sqrt(x)', '--at', '0');
    expect(s.derivative).toBeNull();
    expect(s.warning).toMatch(/x = 0/);
  });

  it('accepts an expression that starts with a minus', async () => {
    expect(await json('eval', '-x^2', '--at', 'x=1')).toMatchObject({ value: -1 });
    const r = await nudge('eval', '--at', 'x=2', '--', '-x^2');
    expect(r.stdout).toMatch(/= -4/);
  });
});

describe('symbolic derivatives', () => {
  it('derivative without a point is an expression', async () => {
    expect(await json('derivative', 'x^2')).toMatchObject({ expression: '2*x', wrt: 'x' });
    expect(await json('derivative', 'x^2*y', '--wrt', 'y')).toMatchObject({ expression: 'x^2' });
    const r = await nudge('derivative', 'sin(x^2)');
    expect(r.stdout).toBe('d/dx sin(x^2) = 2*x*cos(x^2)\n');
  });

  it('gradient without a point is a vector of expressions', async () => {
    const g = await json('gradient', 'x^2*y+sin(z)');
    expect(g.gradient).toEqual({ x: '2*x*y', y: 'x^2', z: 'cos(z)' });
  });

  it('the printed derivative evaluates with nudge eval', async () => {
    const d = await json('derivative', 'exp(-x^2/2)*sin(3*x)');
    const at = await json('eval', d.expression, '--at', 'x=0.4');
    const exact = await json('derivative', 'exp(-x^2/2)*sin(3*x)', '--at', 'x=0.4');
    expect(Math.abs(at.value - exact.derivative)).toBeLessThan(1e-13);
  });
});

describe('showing the work', () => {
  it('--steps walks the chain rule: inner, outer with u, u swapped back, the product', async () => {
    const r = await json('derivative', 'sin(x^2)', '--steps');
    expect(r.expression).toBe('2*x*cos(x^2)');
    const chain = r.steps[0];
    expect(chain.rule).toBe('chain');
    expect(chain.steps.map((s: { rule: string }) => s.rule)).toEqual(['chain-inner', 'chain-outer', 'chain-substitute', 'chain-product']);
    expect(chain.steps[1].expression).toBe('sin(u)');
    const text = await nudge('derivative', 'sin(x^2)', '--steps');
    expect(text.stdout).toMatch(/Chain rule/);
    expect(text.stdout).toMatch(/du\/dx = d\/dx\[x\^2\] = 2\*x/);
  });

  it('--by-limit derives a polynomial from the limit definition, and refuses the rest', async () => {
    const r = await nudge('derivative', 'x^2', '--by-limit');
    expect(r.stdout).toMatch(/\(2\*x\*h \+ h\^2\)\/h = 2\*x \+ h/);
    expect(r.stdout).toMatch(/d\/dx x\^2 = 2\*x/);
    const bad = await nudge('derivative', 'sin(x)', '--by-limit');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/polynomial/);
  });

  it('chain composes link by link and checks the product of the factors at a point', async () => {
    const r = await json('chain', 'sin(u)', 'u=x^2', '--at', 'x=1.5');
    expect(r.composed).toBe('sin(x^2)');
    expect(r.derivative).toBe('2*x*cos(x^2)');
    expect(r.factors.map((f: { name: string }) => f.name)).toEqual(['dy/du', 'du/dx']);
    expect(r.at.factors[1]).toBe(3);
    expect(r.at.agrees).toBe(true);
    expect(Math.abs(r.at.derivative - 2 * 1.5 * Math.cos(2.25))).toBeLessThan(1e-14);
    const three = await json('chain', 'exp(u)', 'u=sin(v)', 'v=x^2');
    expect(three.factors).toHaveLength(3);
    const bad = await nudge('chain', 'sin(u)', 'u');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name=expression/);
  });

  it('gradient --steps collects the partial derivatives', async () => {
    const r = await json('gradient', 'x^2*y', '--steps');
    expect(r.gradient).toEqual({ x: '2*x*y', y: 'x^2' });
    expect(JSON.stringify(r.steps)).toMatch(/hold-constant|constant/);
  });
});

describe('second derivatives and critical points', () => {
  it('hessian: exact second partial derivatives', async () => {
    const h = await json('hessian', 'x^2*y', '--at', 'x=1,y=2');
    expect(h).toMatchObject({ variables: ['x', 'y'], hessian: [[4, 2], [2, 0]] });
  });

  it('critical: a saddle, and the Rosenbrock minimum', async () => {
    expect(await json('critical', 'x^2 - y^2', '--near', 'x=0.3,y=0.2')).toMatchObject({ kind: 'saddle', status: 'converged' });
    const r = await json('critical', '(1-x)^2 + 100*(y-x^2)^2', '--near', 'x=-1.2,y=1');
    expect(r).toMatchObject({ kind: 'minimum', status: 'converged', point: { x: 1, y: 1 } });
    expect(r.eigenvalues).toHaveLength(2);
    const none = await json('critical', 'exp(x) + y', '--near', '0,0');
    expect(none.status).toBe('not-converged');
  });
});

describe('nudge for people', () => {
  it('shows the course number 6.0001 and how it was computed', async () => {
    const r = await nudge('derivative', 'x^2', '--at', '3', '--method', 'forward');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/derivative ≈ 6\.0001\n/);
    expect(r.stdout).toMatch(/forward difference/);
  });

  it('has help for every command and a version', async () => {
    for (const cmd of ['eval', 'slope', 'derivative', 'tangent', 'gradient', 'directional', 'hessian', 'critical', 'chain']) {
      const r = await nudge(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: nudge/);
      expect(r.stdout).toMatch(/Example/);
    }
    const v = await nudge('--version');
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('bad input: exit 2, one clear message, no stack trace', () => {
  const bad = async (args: string[], pattern: RegExp) => {
    const r = await nudge(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return r;
  };

  it('points at the column of a syntax error with a caret', async () => {
    const r = await bad(['eval', 'sin(x))', '--at', 'x=1'], /unexpected '\)' at column 7/);
    expect(r.stderr).toContain('  sin(x))\n        ^');
  });

  it('names unknown functions, wrong arity, bad points, bad steps and options', async () => {
    await bad(['eval', 'sni(x)', '--at', 'x=1'], /unknown function 'sni' \(did you mean 'sin'\?\)/);
    await bad(['eval', 'pow(x)', '--at', 'x=1'], /'pow' takes 2 arguments, got 1/);
    await bad(['eval', 'x+y', '--at', 'x=abc,y=1'], /'abc'/);
    await bad(['eval', 'x+y', '--at', 'x=1'], /'y'/);
    await bad(['derivative', 'x^2', '--at', 'x=1', '--method', 'forward', '--h', '0'], /--h must be a positive number/);
    await bad(['derivative', 'x^2', '--at', '1', '--method', 'magic'], /magic/);
    await bad(['derivative', 'x^2', '--at', '1', '--frobnicate'], /unknown option '--frobnicate'/);
    await bad(['directional', 'x*y', '--at', '1,2', '--dir', '0,0'], /zero vector/);
    await bad(['integrate', 'x'], /unknown command 'integrate'/);
  });

  it('puts the error on stderr as JSON with --json', async () => {
    const r = await nudge('eval', 'x+', '--at', 'x=1', '--json');
    expect(r.code).toBe(2);
    const e = JSON.parse(r.stderr);
    expect(e.error).toMatchObject({ code: 'syntax', column: 3 });
    expect(e.error.message).toMatch(/column 3/);
  });
});
