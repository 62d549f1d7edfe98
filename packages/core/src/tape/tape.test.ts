import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/node.js';
import { lower } from '../ir/lower.js';
import { parse } from '../parse/parse.js';
import { compileTape, opcodeOf } from './tape.js';

const scalars = (names: string[]) => names.map((name) => ({ name, length: 1, vector: false }));
const tapeOf = (text: string, variables: string[]) => compileTape(lower(new Graph(), parse(text)), scalars(variables));
const ops = (code: Int32Array) => Array.from({ length: code.length / 4 }, (_, i) => code[i * 4]!);

describe('compileTape', () => {
  it('puts variables first, then constants, then results', () => {
    const t = tapeOf('x*y + 3', ['x', 'y']);
    expect(t.nVars).toBe(2);
    expect(Array.from(t.consts)).toEqual([3]);
    expect(ops(t.code)).toEqual([opcodeOf('mul'), opcodeOf('add')]);
    // mul reads x (slot 0) and y (slot 1); add reads the product and the constant (slot 2).
    expect(Array.from(t.code.slice(0, 4))).toEqual([opcodeOf('mul'), 3, 0, 1]);
    expect(Array.from(t.code.slice(4, 8))).toEqual([opcodeOf('add'), 4, 3, 2]);
    expect(t.result).toBe(4);
  });

  it('runs a - b as sub and a / b as div, and x^2 as square', () => {
    expect(ops(tapeOf('a - b', ['a', 'b']).code)).toEqual([opcodeOf('sub')]);
    expect(ops(tapeOf('a / b', ['a', 'b']).code)).toEqual([opcodeOf('div')]);
    expect(ops(tapeOf('x^2', ['x']).code)).toEqual([opcodeOf('square')]);
    expect(ops(tapeOf('x^-1', ['x']).code)).toEqual([opcodeOf('recip')]);
    expect(tapeOf('x^2', ['x']).consts).toHaveLength(0);
  });

  it('has no instructions for a variable or a constant alone', () => {
    expect(tapeOf('y', ['x', 'y'])).toMatchObject({ result: 1, nSlots: 2 });
    const c = tapeOf('2^-2^2', ['x']);
    expect(c.code).toHaveLength(0);
    expect(c.result).toBe(1);
    expect(c.consts[0]).toBe(1 / 16);
  });

  it('reuses dead result slots, and never writes an operand of the same instruction', () => {
    const text = Array.from({ length: 50 }, (_, i) => `sin(x + ${i})`).join(' + ');
    const t = tapeOf(text, ['x']);
    expect(t.nSlots).toBeLessThan(60); // 1 variable, 50 constants, a handful of temps
    for (let i = 0; i < t.code.length; i += 4) {
      expect(t.code[i + 1]).not.toBe(t.code[i + 2]);
      if (t.code[i] !== opcodeOf('sin')) expect(t.code[i + 1]).not.toBe(t.code[i + 3]);
    }
  });

  it('computes a shared subexpression once', () => {
    const t = tapeOf('exp(x*y) * exp(x*y) + exp(x*y)', ['x', 'y']);
    expect(ops(t.code).filter((o) => o === opcodeOf('exp'))).toHaveLength(1);
  });
});
