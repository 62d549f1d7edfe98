import { describe, expect, it } from 'vitest';
import { NudgeError, NudgeSyntaxError } from '../errors.js';
import type { Ast } from './ast.js';
import { MAX_DEPTH, parse } from './index.js';

/**
 * The Ast as an S-expression, without spans:
 *   number `2`, name `x`, negate `(neg x)`, power `(^ x 2)`,
 *   sum `(sum a + b - c)`, product `(product 2 * x / y)`, call `(call f a b)`.
 * The first item of a sum or product is always `+`/`*`; it is printed only if not.
 */
function sexpr(ast: Ast): string {
  switch (ast.kind) {
    case 'number':
      return String(ast.value);
    case 'name':
      return ast.name;
    case 'negate':
      return `(neg ${sexpr(ast.arg)})`;
    case 'power':
      return `(^ ${sexpr(ast.base)} ${sexpr(ast.exponent)})`;
    case 'sum':
    case 'product': {
      const first = ast.kind === 'sum' ? '+' : '*';
      const items = ast.items.map((item, i) => (i === 0 && item.op === first ? '' : `${item.op} `) + sexpr(item.arg));
      return `(${ast.kind} ${items.join(' ')})`;
    }
    case 'call':
      return `(call ${[ast.callee, ...ast.args.map(sexpr)].join(' ')})`;
  }
}

const sx = (text: string): string => sexpr(parse(text));

/** The NudgeSyntaxError that parsing `text` throws. */
function syntaxError(text: string): NudgeSyntaxError {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(NudgeSyntaxError);
    expect(err).toBeInstanceOf(NudgeError);
    return err as NudgeSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe('parse: operands', () => {
  it.each([
    ['3', '3'],
    ['2.5', '2.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1e-3', '0.001'],
    ['2.5e+2', '250'],
    ['1E3', '1000'],
    ['2e3', '2000'],
    ['x', 'x'],
    ['y1', 'y1'],
    ['w_2', 'w_2'],
    ['_', '_'],
    ['pi', 'pi'],
    ['e', 'e'],
  ])('%s is %s', (text, expected) => {
    expect(sx(text)).toBe(expected);
  });

  it('reads `2e` as 2 times the name e, and `2e3` as 2000', () => {
    expect(sx('2e')).toBe('(product 2 * e)');
    expect(sx('2e+1')).toBe('20'); // digits follow the sign: an exponent
    expect(sx('2e + 1')).toBe('(sum (product 2 * e) + 1)');
    expect(sx('2e+x')).toBe('(sum (product 2 * e) + x)');
    expect(sx('2e+1x')).toBe('(product 20 * x)');
  });

  it('produces exactly the Ast of ast.ts, spans included', () => {
    expect(parse('x - 2')).toEqual({
      kind: 'sum',
      start: 0,
      end: 5,
      items: [
        { op: '+', arg: { kind: 'name', name: 'x', start: 0, end: 1 } },
        { op: '-', arg: { kind: 'number', value: 2, start: 4, end: 5 } },
      ],
    });
  });
});

describe('parse: operators and precedence', () => {
  it.each([
    ['a + b', '(sum a + b)'],
    ['a - b', '(sum a - b)'],
    ['a * b', '(product a * b)'],
    ['a / b', '(product a / b)'],
    ['a ^ b', '(^ a b)'],
    ['a ** b', '(^ a b)'],
    ['a + b * c', '(sum a + (product b * c))'],
    ['a * b + c', '(sum (product a * b) + c)'],
    ['a * b ^ c', '(product a * (^ b c))'],
    ['a ^ b * c', '(product (^ a b) * c)'],
    ['(a + b) * c', '(product (sum a + b) * c)'],
    ['a / (b * c)', '(product a / (product b * c))'],
  ])('%s is %s', (text, expected) => {
    expect(sx(text)).toBe(expected);
  });

  it('makes one n-ary sum of a chain of + and -', () => {
    expect(sx('a + b - c + d')).toBe('(sum a + b - c + d)');
    expect(sx('a - b - c')).toBe('(sum a - b - c)');
  });

  it('makes one n-ary product of a chain of * and /', () => {
    expect(sx('a * b / c * d')).toBe('(product a * b / c * d)');
    expect(sx('a / b / c')).toBe('(product a / b / c)');
  });

  it('does not merge parenthesized chains into the chain around them', () => {
    expect(sx('(a + b) + c')).toBe('(sum (sum a + b) + c)');
    expect(sx('a - (b - c)')).toBe('(sum a - (sum b - c))');
    expect(sx('(a * b) * c')).toBe('(product (product a * b) * c)');
    expect(sx('a / (b / c)')).toBe('(product a / (product b / c))');
  });

  it('does not wrap a single operand', () => {
    expect(parse('((x))').kind).toBe('name');
    expect(parse('-x').kind).toBe('negate');
  });

  it('makes power right-associative, with ** as the same operator', () => {
    expect(sx('a ^ b ^ c')).toBe('(^ a (^ b c))');
    expect(sx('a ** b ^ c ** d')).toBe('(^ a (^ b (^ c d)))');
    expect(sx('(a ^ b) ^ c')).toBe('(^ (^ a b) c)');
  });
});

describe('parse: unary minus and plus', () => {
  it.each([
    ['-x', '(neg x)'],
    ['+x', 'x'],
    ['--x', '(neg (neg x))'],
    ['-+-x', '(neg (neg x))'],
    ['-x^2', '(neg (^ x 2))'],
    ['-2^2', '(neg (^ 2 2))'],
    ['2^-2^2', '(^ 2 (neg (^ 2 2)))'],
    ['x^-1', '(^ x (neg 1))'],
    ['x^+1', '(^ x 1)'],
    ['2*-3', '(product 2 * (neg 3))'],
    ['2/-x', '(product 2 / (neg x))'],
    ['-x*y', '(product (neg x) * y)'],
    ['-x+y', '(sum (neg x) + y)'],
    ['x+-y', '(sum x + (neg y))'],
    ['x--y', '(sum x - (neg y))'],
    ['x++y', '(sum x + y)'],
    ['-(x)^2', '(neg (^ x 2))'],
    ['(-x)^2', '(^ (neg x) 2)'],
    ['-f(x)^-g(y)', '(neg (^ (call f x) (neg (call g y))))'],
  ])('%s is %s', (text, expected) => {
    expect(sx(text)).toBe(expected);
  });
});

describe('parse: calls', () => {
  it.each([
    ['sin(x)', '(call sin x)'],
    ['sin (x)', '(call sin x)'],
    ['f()', '(call f)'],
    ['f( )', '(call f)'],
    ['f(a, b)', '(call f a b)'],
    ['max(a, b, c + 1)', '(call max a b (sum c + 1))'],
    ['f(g(x), (y))', '(call f (call g x) y)'],
    ['x(y)', '(call x y)'],
    ['pi(2)', '(call pi 2)'],
    ['sin(x)^2', '(^ (call sin x) 2)'],
    ['exp(-x^2/2)', '(call exp (product (neg (^ x 2)) / 2))'],
  ])('%s is %s', (text, expected) => {
    expect(sx(text)).toBe(expected);
  });

  it('records the span of the name alone', () => {
    expect(parse('  sin (x)')).toMatchObject({ kind: 'call', start: 2, end: 9, calleeSpan: { start: 2, end: 5 } });
  });
});

describe('parse: implicit multiplication', () => {
  it.each([
    ['2x', '(product 2 * x)'],
    ['2 x', '(product 2 * x)'],
    ['3x^2', '(product 3 * (^ x 2))'],
    ['2(x+1)', '(product 2 * (sum x + 1))'],
    ['(x+1)(x-1)', '(product (sum x + 1) * (sum x - 1))'],
    ['(x+1)x', '(product (sum x + 1) * x)'],
    ['2pi', '(product 2 * pi)'],
    ['2sin(x)', '(product 2 * (call sin x))'],
    ['2sin(x)^2', '(product 2 * (^ (call sin x) 2))'],
    ['2x y', null],
    ['2x/3y', '(product 2 * x / 3 * y)'],
    ['2x(y)', '(product 2 * (call x y))'],
    ['sin(x)cos(x)', '(product (call sin x) * (call cos x))'],
    ['f(x)(y)', '(product (call f x) * y)'],
    ['x^2y', '(product (^ x 2) * y)'],
    ['-2x', '(product (neg 2) * x)'],
    ['1 + 2x', '(sum 1 + (product 2 * x))'],
    ['2 x^-1', '(product 2 * (^ x (neg 1)))'],
  ])('%s is %s', (text, expected) => {
    if (expected === null) expect(() => parse(text)).toThrow(NudgeSyntaxError);
    else expect(sx(text)).toBe(expected);
  });

  it('is not allowed between two names, or before a number', () => {
    expect(() => parse('x y')).toThrow("unexpected 'y' at column 3");
    expect(() => parse('x 2')).toThrow("unexpected '2' at column 3");
    expect(() => parse('(x)2')).toThrow("unexpected '2' at column 4");
    expect(() => parse('2 3')).toThrow("unexpected '3' at column 3");
    expect(() => parse('sin x')).toThrow("unexpected 'x' at column 5");
  });
});

describe('parse: whitespace and look-alikes', () => {
  it('skips spaces, tabs, CR and LF', () => {
    expect(sx(' \t2 *\r\n x \n')).toBe('(product 2 * x)');
  });

  it('reads pasted textbook symbols as what they mean', () => {
    expect(sx('−x²')).toBe(sx('-x^2'));
    expect(sx('2π')).toBe(sx('2*pi'));
    expect(sx('a – b')).toBe('(sum a - b)');
    expect(sx('a × b · c ⋅ d ÷ e')).toBe('(product a * b * c * d / e)');
    expect(sx('x³ + y²')).toBe('(sum (^ x 3) + (^ y 2))');
    expect(sx('3x²y')).toBe('(product 3 * (^ x 2) * y)');
  });

  it('keeps spans on the original text', () => {
    expect(parse('−x²')).toEqual({
      kind: 'negate',
      start: 0,
      end: 3,
      arg: {
        kind: 'power',
        start: 1,
        end: 3,
        base: { kind: 'name', name: 'x', start: 1, end: 2 },
        exponent: { kind: 'number', value: 2, start: 2, end: 3 },
      },
    });
    expect(parse('2π')).toMatchObject({ items: [{}, { arg: { kind: 'name', name: 'pi', start: 1, end: 2 } }] });
  });
});

describe('parse: spans', () => {
  it('spans a chain over its parenthesized operands', () => {
    const ast = parse('(x+1)*2');
    expect(ast).toMatchObject({ kind: 'product', start: 0, end: 7 });
    expect(ast.kind === 'product' && ast.items[0]?.arg).toMatchObject({ kind: 'sum', start: 1, end: 4 });
  });

  it('starts a negate at its sign and the power under it at the base', () => {
    const ast = parse('2 ^ -x ^ 3');
    expect(ast).toMatchObject({
      kind: 'power',
      start: 0,
      end: 10,
      exponent: { kind: 'negate', start: 4, end: 10, arg: { kind: 'power', start: 5, end: 10 } },
    });
  });

  it('spans a sum from its first operand to its last, signs included', () => {
    expect(parse(' -a + (b) ')).toMatchObject({ kind: 'sum', start: 1, end: 9 });
    expect(parse('2x + 1')).toMatchObject({ start: 0, end: 6, items: [{ arg: { kind: 'product', start: 0, end: 2 } }, {}] });
  });
});

describe('parse: errors', () => {
  it.each([
    // text, code, column, message (without ` at column N`)
    ['', 'syntax', 1, 'empty expression'],
    [' \t\n ', 'syntax', 1, 'empty expression'],
    ['sin(x))', 'syntax', 7, "unexpected ')'"],
    [')', 'syntax', 1, "unexpected ')'"],
    ['()', 'syntax', 2, "unexpected ')'"],
    ['x+', 'syntax', 3, 'unexpected end of expression'],
    ['x + ', 'syntax', 5, 'unexpected end of expression'],
    ['-', 'syntax', 2, 'unexpected end of expression'],
    ['2^', 'syntax', 3, 'unexpected end of expression'],
    ['(', 'syntax', 2, 'unexpected end of expression'],
    ['(x+', 'syntax', 4, 'unexpected end of expression'],
    ['f(x,', 'syntax', 5, 'unexpected end of expression'],
    ['(x+1', 'syntax', 1, "missing ')' to close '('"],
    ['2*(x+(y)', 'syntax', 3, "missing ')' to close '('"],
    ['f(x', 'syntax', 2, "missing ')' to close '('"],
    ['f(', 'syntax', 2, "missing ')' to close '('"],
    ['f(g(x)', 'syntax', 2, "missing ')' to close '('"],
    ['f(g(x', 'syntax', 4, "missing ')' to close '('"],
    ['x, y', 'syntax', 2, "unexpected ','"],
    ['(x, y)', 'syntax', 3, "unexpected ','"],
    ['f(,)', 'syntax', 3, "unexpected ','"],
    ['f(x,)', 'syntax', 5, "unexpected ')'"],
    ['x y', 'syntax', 3, "unexpected 'y'"],
    ['x 2', 'syntax', 3, "unexpected '2'"],
    ['(x)2', 'syntax', 4, "unexpected '2'"],
    ['1.2.3', 'syntax', 4, "unexpected '.3'"],
    ['*x', 'syntax', 1, "unexpected '*'"],
    ['x*/y', 'syntax', 3, "unexpected '/'"],
    ['2^^3', 'syntax', 3, "unexpected '^'"],
    ['x***y', 'syntax', 4, "unexpected '*'"],
    ['x×÷y', 'syntax', 3, "unexpected '÷'"],
    ['²', 'syntax', 1, "unexpected '²'"],
    ['x^²', 'syntax', 3, "unexpected '²'"],
    ['1e999', 'syntax', 1, "number '1e999' is too large"],
    ['x+1e999', 'syntax', 3, "number '1e999' is too large"],
    ['2 € 3', 'syntax', 3, "unexpected character '€' (U+20AC)"],
    ['x\u0007', 'syntax', 2, 'unexpected control character U+0007'],
    ['x = 2', 'syntax', 3, "unexpected character '='"],
    [`${'a'.repeat(100)} b`, 'syntax', 102, "unexpected 'b'"],
    [`b ${'a'.repeat(100)}`, 'syntax', 3, `unexpected '${'a'.repeat(24)}…'`],
  ])('%j: %s at column %i: %s', (text, code, column, message) => {
    const err = syntaxError(text);
    expect(err.code).toBe(code);
    expect(err.column).toBe(column);
    expect(err.message).toBe(`${message} at column ${column}`);
    expect(err.name).toBe('NudgeSyntaxError');
    expect(err.toJSON()).toEqual({ name: 'NudgeSyntaxError', code, message: err.message, column });
  });

  it('reports the first problem, even when a bad character follows', () => {
    expect(() => parse(')€')).toThrow("unexpected ')' at column 1");
    expect(() => parse('x y €')).toThrow("unexpected 'y' at column 3");
    expect(() => parse('(x €')).toThrow("unexpected character '€' (U+20AC) at column 4");
    expect(() => parse('x) 1e999')).toThrow("unexpected ')' at column 2");
  });
});

describe('parse: nesting depth', () => {
  const tooDeep = `expression is nested more than ${MAX_DEPTH} levels deep`;
  const nested = {
    parentheses: (n: number) => '('.repeat(n) + 'x' + ')'.repeat(n),
    calls: (n: number) => 'f('.repeat(n) + 'x' + ')'.repeat(n),
    minuses: (n: number) => '-'.repeat(n) + 'x',
    powers: (n: number) => 'x^'.repeat(n) + 'x',
    'negated exponents': (n: number) => '2^-'.repeat(n / 2) + 'x',
  };

  it.each(Object.entries(nested))('accepts %s nested 1000 levels deep', (_, make) => {
    expect(() => parse(make(MAX_DEPTH))).not.toThrow();
  });

  it.each([
    ['parentheses', nested.parentheses(MAX_DEPTH + 1), 1001],
    ['calls', nested.calls(MAX_DEPTH + 1), 2002],
    ['minuses', nested.minuses(MAX_DEPTH + 1), 1001],
    ['powers', nested.powers(MAX_DEPTH + 1), 2002],
    ['negated exponents', nested['negated exponents'](MAX_DEPTH + 2), 1502],
    ['mixed', '-('.repeat(500) + '-x', 1001],
  ])('rejects %s nested 1001 levels deep, at the token that crosses the limit', (_, text, column) => {
    const err = syntaxError(text);
    expect(err.code).toBe('too-deep');
    expect(err.column).toBe(column);
    expect(err.message).toBe(`${tooDeep} at column ${column}`);
  });

  it('counts depth, not length: long flat chains of nested things parse', () => {
    expect(parse('(x)+'.repeat(5000) + 'x')).toMatchObject({ kind: 'sum' });
    expect(parse('-x^-2*'.repeat(5000) + 'x')).toMatchObject({ kind: 'product' });
    expect(parse('f(x, -y^2)-'.repeat(5000) + 'x')).toMatchObject({ kind: 'sum' });
  });

  it('builds the nested Ast at the limit', () => {
    let ast = parse(nested.minuses(MAX_DEPTH));
    let depth = 0;
    while (ast.kind === 'negate') {
      ast = ast.arg;
      depth++;
    }
    expect(depth).toBe(MAX_DEPTH);
  });
});

describe('parse: hostile input', () => {
  it('rejects 10,000 nested parentheses with too-deep, not a stack overflow', () => {
    const err = syntaxError('('.repeat(10_000) + 'x' + ')'.repeat(10_000));
    expect(err.code).toBe('too-deep');
    expect(err.column).toBe(1001);
  });

  it('rejects 100,000 minus signs and 100,000 carets with too-deep', () => {
    expect(syntaxError('-'.repeat(100_000) + 'x').code).toBe('too-deep');
    expect(syntaxError('x^'.repeat(100_000) + 'x').code).toBe('too-deep');
  });

  it('drops a megabyte of unary plus signs', () => {
    expect(sx('+'.repeat(1_000_000) + 'x')).toBe('x');
  });

  it('parses a 1 MB `x+x+...+x` quickly into one sum', () => {
    const n = 500_000;
    const text = 'x+'.repeat(n - 1) + 'x';
    const t0 = performance.now();
    const ast = parse(text);
    const ms = performance.now() - t0;
    expect(ast.kind === 'sum' && ast.items.length).toBe(n);
    expect(ast).toMatchObject({ start: 0, end: text.length });
    // Typically ~0.3 s; the bound is loose so a busy machine does not fail the test.
    expect(ms).toBeLessThan(3000);
  });

  it('parses a 1 MB product chain into one product', () => {
    const ast = parse('2x*'.repeat(300_000) + 'y');
    expect(ast.kind === 'product' && ast.items.length).toBe(600_001);
  });

  it('names control characters by code point', () => {
    for (const code of [0, 1, 8, 11, 12, 27, 31, 127, 0x9b]) {
      const err = syntaxError(`x+${String.fromCharCode(code)}`);
      const label = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(err.message).toBe(`unexpected control character ${label} at column 3`);
    }
  });

  it('answers megabytes of random bytes with an Ast or a NudgeSyntaxError', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const alphabet = '0123456789.exy()+-*/^, \t';
    for (let round = 0; round < 4; round++) {
      const bytes = Array.from({ length: 250_000 }, () =>
        round % 2 ? String.fromCharCode(Math.floor(random() * 256)) : alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      try {
        parse(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(NudgeSyntaxError);
      }
    }
  });
});
