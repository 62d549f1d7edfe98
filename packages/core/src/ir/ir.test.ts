import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../parse/parse.js';
import { NudgeError } from '../errors.js';
import { lower } from './lower.js';
import { Graph, reachable, variablesOf } from './node.js';
import { print } from './print.js';
import { naturalOrder } from './variables.js';

const ir = (text: string, g = new Graph()) => lower(g, parse(text));
const roundTrip = (text: string) => print(ir(text));

describe('lowering to a hash-consed IR', () => {
  it('makes one node of each repeated subexpression', () => {
    const g = new Graph();
    const f = ir('sin(x*y) + sin(x*y)^2', g);
    const sins = reachable([f]).filter((n) => n.op === 'sin');
    expect(sins).toHaveLength(1);
    expect(ir('x*y', g)).toBe(sins[0]!.args[0]);
  });

  it('folds constant subexpressions', () => {
    expect(ir('2^-2^2')).toMatchObject({ op: 'const', value: 1 / 16 });
    expect(ir('2*pi')).toMatchObject({ op: 'const', value: 2 * Math.PI });
    expect(ir('e')).toMatchObject({ op: 'const', value: Math.E });
    expect(print(ir('x + 2*3'))).toBe('x + 6');
  });

  it('lowers sugar to primitives', () => {
    expect(print(ir('sec(x)'))).toBe('1/cos(x)');
    expect(print(ir('ln(x)'))).toBe('log(x)');
    expect(ir('a - b')).toMatchObject({ op: 'add', args: [{ op: 'var' }, { op: 'neg' }] });
    expect(ir('a / b')).toMatchObject({ op: 'mul', args: [{ op: 'var' }, { op: 'recip' }] });
  });

  it('keeps the precedence of unary minus below power', () => {
    expect(ir('-x^2')).toMatchObject({ op: 'neg', args: [{ op: 'pow' }] });
  });

  it('collects variables, in natural order when asked', () => {
    expect(naturalOrder(variablesOf(ir('x10 + x2 + x1')))).toEqual(['x1', 'x2', 'x10']);
    expect(naturalOrder(variablesOf(ir('z + y*x')))).toEqual(['x', 'y', 'z']);
  });
});

describe('errors with columns', () => {
  const error = (text: string, variables?: string[]): NudgeError => {
    try {
      lower(new Graph(), parse(text), variables ? { variables } : {});
    } catch (e) {
      if (e instanceof NudgeError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('suggests the closest function for a typo', () => {
    const e = error('2 + sni(x)');
    expect(e.code).toBe('unknown-function');
    expect(e.column).toBe(5);
    expect(e.message).toBe("unknown function 'sni' (did you mean 'sin'?) at column 5");
  });

  it('says how many arguments a function takes', () => {
    const e = error('pow(x)');
    expect(e.code).toBe('arity');
    expect(e.message).toBe("'pow' takes 2 arguments, got 1 at column 1");
    expect(error('sin(x, y)').message).toBe("'sin' takes 1 argument, got 2 at column 1");
  });

  it('rejects undeclared variables where variables are declared', () => {
    const e = error('x + q', ['x']);
    expect(e.code).toBe('unknown-variable');
    expect(e.column).toBe(5);
    expect(e.message).toMatch(/^unknown variable 'q'/);
  });

  it('rejects a function name used as a variable', () => {
    expect(error('sin + 1').message).toMatch(/'sin' is a function/);
  });
});

describe('printing', () => {
  it.each([
    ['x^2*y + sin(z)', 'x^2*y + sin(z)'],
    ['-x^2', '-x^2'],
    ['(-x)^2', '(-x)^2'],
    ['a - b - c', 'a - b - c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a/(b*c)', 'a/(b*c)'],
    ['1/x', '1/x'],
    ['x^-1', 'x^-1'],
    ['2x', '2*x'],
    ['(x+1)(x-1)', '(x + 1)*(x - 1)'],
    ['x^y^z', 'x^y^z'],
    ['(x^y)^z', '(x^y)^z'],
    ['2*pi*x', '2*pi*x'],
    ['pi*x', 'pi*x'],
    ['max(x, -y)', 'max(x, -y)'],
  ])('%s prints as %s', (text, printed) => {
    expect(roundTrip(text)).toBe(printed);
  });

  it('prints text that parses back to the same IR (property)', () => {
    const leaf = fc.oneof(
      fc.constantFrom('x', 'y', 'z', '2', '0.5', '3', 'pi'),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => `(${String(v)})`),
    );
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
        fc.tuple(fc.constantFrom('sin', 'exp', 'log', 'sqrt', 'abs', 'sigmoid', 'sec', '-'), tie('e')).map(([f, a]) => `${f}(${a})`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `max(${a}, ${b})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (text) => {
        const g = new Graph();
        const node = lower(g, parse(text));
        const printed = print(node);
        expect(lower(g, parse(printed))).toBe(node); // hash-consing: the same IR is the same node
      }),
      { numRuns: Number(process.env.NUDGE_PROPERTY_RUNS ?? 300) },
    );
  });
});
