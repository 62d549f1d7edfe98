import { describe, expect, it } from 'vitest';
import { opcodes } from '@nudge/kernel-as';
import { compile, evaluateMany } from '../index.js';
import { OPS, OP_NAMES } from './table.js';

/** The op table, the shared opcode list and the kernel agree, op by op. */
describe('the op table', () => {
  it('has exactly one row per opcode of the kernel, with the same arity', () => {
    expect([...OP_NAMES].sort()).toEqual(opcodes.map((o) => o.name).sort());
    for (const o of opcodes) expect(OPS[o.name as keyof typeof OPS].arity, o.name).toBe(o.arity);
  });

  // Inputs spread over each op's domain and beyond it, with the IEEE specials.
  const inputs = [-800, -30, -3.5, -1, -0.75, -0.5, -1e-300, -0, 0, 1e-300, 0.3, 0.5, 0.999, 1, 1.5, 2, 3.7, 10, 30, 800, Infinity, -Infinity, NaN];
  const ulps = (a: number, b: number): number => {
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
    return Math.abs(a - b) / (Number.EPSILON * Math.max(Math.abs(b), Number.MIN_VALUE / Number.EPSILON));
  };

  // The kernel's transcendental functions are musl ports: within a couple of ulp of V8's.
  const exact = new Set(['add', 'sub', 'mul', 'div', 'neg', 'square', 'recip', 'abs', 'sqrt', 'min', 'max', 'relu']);

  it.each(OP_NAMES.filter((n) => !['sub', 'div', 'square'].includes(n)))('%s evaluates in the kernel as in the table', (name) => {
    const row = OPS[name];
    const variables = row.arity === 1 ? ['a'] : ['a', 'b'];
    const text = name === 'add' ? 'a + b' : name === 'mul' ? 'a*b' : name === 'neg' ? '-a' : name === 'recip' ? '1/a' : name === 'pow' ? 'a^b' : `${name}(${variables.join(', ')})`;
    const f = compile(text, { variables });
    const as: number[] = [];
    const bs: number[] = [];
    for (const a of inputs) for (const b of row.arity === 1 ? [0] : inputs) as.push(a), bs.push(b);
    const got = evaluateMany(f, row.arity === 1 ? { a: as } : { a: as, b: bs });
    f.dispose();
    as.forEach((a, i) => {
      const want = row.eval(a, bs[i]!);
      const tolerance = exact.has(name) ? 0 : 4;
      expect(ulps(got[i]!, want), `${name}(${a}, ${bs[i]}) = ${got[i]}, want ${want}`).toBeLessThanOrEqual(tolerance);
    });
  });

  it('runs the tape-only ops the compiler emits (sub, div, square) like the table', () => {
    const f = compile('a - b + a/b + a^2', { variables: ['a', 'b'] });
    const v = evaluateMany(f, { a: [3, -2, 0.1], b: [7, 0.5, -3] });
    f.dispose();
    [[3, 7], [-2, 0.5], [0.1, -3]].forEach(([a, b], i) => {
      const want = OPS.add.eval(OPS.add.eval(OPS.sub.eval(a!, b!), OPS.div.eval(a!, b!)), OPS.square.eval(a!, 0));
      expect(v[i]).toBe(want);
    });
  });
});
