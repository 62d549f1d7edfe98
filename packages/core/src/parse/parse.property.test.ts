import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NudgeError, NudgeSyntaxError } from '../errors.js';
import type { Ast } from './ast.js';
import { parse } from './index.js';

// ---- test support: span-free ASTs, a generator, and two printers ----

/** An Ast without positions: what the text means, not where it is. */
type Bare =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'negate'; arg: Bare }
  | { kind: 'sum'; items: { op: '+' | '-'; arg: Bare }[] }
  | { kind: 'product'; items: { op: '*' | '/'; arg: Bare }[] }
  | { kind: 'power'; base: Bare; exponent: Bare }
  | { kind: 'call'; callee: string; args: Bare[] };

function strip(ast: Ast): Bare {
  switch (ast.kind) {
    case 'number':
      return { kind: 'number', value: ast.value };
    case 'name':
      return { kind: 'name', name: ast.name };
    case 'negate':
      return { kind: 'negate', arg: strip(ast.arg) };
    case 'sum':
      return { kind: 'sum', items: ast.items.map(({ op, arg }) => ({ op, arg: strip(arg) })) };
    case 'product':
      return { kind: 'product', items: ast.items.map(({ op, arg }) => ({ op, arg: strip(arg) })) };
    case 'power':
      return { kind: 'power', base: strip(ast.base), exponent: strip(ast.exponent) };
    case 'call':
      return { kind: 'call', callee: ast.callee, args: ast.args.map(strip) };
  }
}

// Mostly short, familiar names (`e` and `E` to test the exponent marker), sometimes any name.
const nameArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('x', 'y', 'e', 'E', 'pi', 'e1', 'sin') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,4}$/) },
);
// Mostly small integers and decimals, sometimes any finite double >= 0.
const numberArb = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 10 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }).filter((v) => !Object.is(v, -0)) },
);

/** Random well-formed ASTs, as the parser builds them (n-ary chains of 2+ items, first op `+`/`*`). */
const { bare: bareArb } = fc.letrec<{ bare: Bare }>((tie) => ({
  bare: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberArb.map((value): Bare => ({ kind: 'number', value })),
    nameArb.map((name): Bare => ({ kind: 'name', name })),
    tie('bare').map((arg): Bare => ({ kind: 'negate', arg })),
    fc
      .tuple(tie('bare'), fc.array(fc.tuple(fc.constantFrom('+' as const, '-' as const), tie('bare')), { minLength: 1, maxLength: 3 }))
      .map(([first, rest]): Bare => ({ kind: 'sum', items: [{ op: '+', arg: first }, ...rest.map(([op, arg]) => ({ op, arg }))] })),
    fc
      .tuple(tie('bare'), fc.array(fc.tuple(fc.constantFrom('*' as const, '/' as const), tie('bare')), { minLength: 1, maxLength: 3 }))
      .map(([first, rest]): Bare => ({ kind: 'product', items: [{ op: '*', arg: first }, ...rest.map(([op, arg]) => ({ op, arg }))] })),
    fc.tuple(tie('bare'), tie('bare')).map(([base, exponent]): Bare => ({ kind: 'power', base, exponent })),
    fc.tuple(nameArb, fc.array(tie('bare'), { maxLength: 3 })).map(([callee, args]): Bare => ({ kind: 'call', callee, args })),
  ),
}));

/** Random choices for a printer: spellings of operators and numbers, whitespace. */
class Style {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  private random(): number {
    // mulberry32
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  pick<T>(...options: T[]): T {
    return options[Math.floor(this.random() * options.length)]!;
  }
  /** Optional whitespace between two tokens. */
  ws(): string {
    return this.pick('', '', '', '', '', '', ' ', ' ', '  ', '\t', '\n', '\r\n');
  }
  minus(): string {
    return this.pick('-', '-', '−', '–');
  }
  times(): string {
    return this.pick('*', '*', '×', '·', '⋅');
  }
  divide(): string {
    return this.pick('/', '/', '÷');
  }
  caret(): string {
    return this.pick('^', '^', '**');
  }
  name(name: string): string {
    return name === 'pi' ? this.pick('pi', 'π') : name;
  }
  /** A spelling of a non-negative number that reads back as exactly `value`. */
  number(value: number): string {
    let text = String(value);
    if (Number.isInteger(value) && !text.includes('e')) text = this.pick(text, `${text}.`, `${text}.0`);
    if (/^0\.\d/.test(text)) text = this.pick(text, text.slice(1));
    if (text.includes('e')) text = this.pick(text, text.replace('e', 'E'), text.replace('e+', 'e'));
    return text;
  }
}

/** Print with parentheses around every compound node. */
function printFull(ast: Bare, s: Style): string {
  const p = (node: Bare) => printFull(node, s);
  const w = () => s.ws();
  switch (ast.kind) {
    case 'number':
      return s.number(ast.value);
    case 'name':
      return s.name(ast.name);
    case 'negate':
      return `(${w()}${s.minus()}${w()}${p(ast.arg)}${w()})`;
    case 'sum':
      return `(${ast.items.map(({ op, arg }, i) => (i === 0 ? '' : w() + (op === '+' ? '+' : s.minus()) + w()) + p(arg)).join('')})`;
    case 'product':
      return `(${ast.items.map(({ op, arg }, i) => (i === 0 ? '' : w() + (op === '*' ? s.times() : s.divide()) + w()) + p(arg)).join('')})`;
    case 'power':
      return `(${p(ast.base)}${w()}${s.caret()}${w()}${p(ast.exponent)})`;
    case 'call':
      return `${s.name(ast.callee)}${w()}(${w()}${ast.args.map(p).join(`${w()},${w()}`)}${w()})`;
  }
}

/** Printed text with the kinds of its first and last tokens. */
interface Printed {
  text: string;
  first: 'number' | 'name' | '(' | '-';
  last: 'number' | 'name' | ')';
}

/**
 * Print with as few parentheses as the grammar allows, using implicit
 * multiplication where the parser accepts it, and `²`/`³` for small
 * exponents: a test of precedence, associativity and implicit products.
 */
function printMinimal(ast: Bare, s: Style): Printed {
  const w = () => s.ws();
  const paren = (inner: Printed): Printed => ({ text: `(${w()}${inner.text}${w()})`, first: '(', last: ')' });
  const sub = (node: Bare, needsParens: boolean) => (needsParens ? paren(printMinimal(node, s)) : printMinimal(node, s));
  const isChain = (node: Bare) => node.kind === 'sum' || node.kind === 'product';
  switch (ast.kind) {
    case 'number':
      return { text: s.number(ast.value), first: 'number', last: 'number' };
    case 'name':
      return { text: s.name(ast.name), first: 'name', last: 'name' };
    case 'call': {
      const args = ast.args.map((arg) => printMinimal(arg, s).text).join(`${w()},${w()}`);
      return { text: `${s.name(ast.callee)}${w()}(${w()}${args}${w()})`, first: 'name', last: ')' };
    }
    case 'negate': {
      const arg = sub(ast.arg, isChain(ast.arg));
      return { text: `${s.minus()}${w()}${arg.text}`, first: '-', last: arg.last };
    }
    case 'power': {
      const atom = ast.base.kind === 'number' || ast.base.kind === 'name' || ast.base.kind === 'call';
      const base = sub(ast.base, !atom);
      const { exponent } = ast;
      if (exponent.kind === 'number' && (exponent.value === 2 || exponent.value === 3) && s.pick(true, false)) {
        return { text: `${base.text}${w()}${exponent.value === 2 ? '²' : '³'}`, first: base.first, last: 'number' };
      }
      const exp = sub(exponent, isChain(exponent));
      return { text: `${base.text}${w()}${s.caret()}${w()}${exp.text}`, first: base.first, last: exp.last };
    }
    case 'sum': {
      const items = ast.items.map(({ arg }) => sub(arg, arg.kind === 'sum'));
      const text = items.map((item, i) => (i === 0 ? '' : w() + (ast.items[i]!.op === '+' ? '+' : s.minus()) + w()) + item.text).join('');
      return { text, first: items[0]!.first, last: items[items.length - 1]!.last };
    }
    case 'product': {
      const items = ast.items.map(({ arg }) => sub(arg, isChain(arg)));
      let text = items[0]!.text;
      for (let i = 1; i < items.length; i++) {
        const item = items[i]!;
        const implicit =
          ast.items[i]!.op === '*' &&
          (items[i - 1]!.last === 'number' || items[i - 1]!.last === ')') &&
          (item.first === 'name' || item.first === '(');
        // A space keeps `2` and `e5` apart (`2e5` would be one number).
        if (implicit && s.pick(true, false)) text += ` ${w()}${item.text}`;
        else text += w() + (ast.items[i]!.op === '*' ? s.times() : s.divide()) + w() + item.text;
      }
      return { text, first: items[0]!.first, last: items[items.length - 1]!.last };
    }
  }
}

/** Structural checks every parsed Ast must pass, against the text it came from. */
function checkAst(ast: Ast, text: string, outer: { start: number; end: number } = { start: 0, end: text.length }): void {
  expect(ast.start).toBeGreaterThanOrEqual(outer.start);
  expect(ast.end).toBeLessThanOrEqual(outer.end);
  expect(ast.start).toBeLessThan(ast.end);
  const source = text.slice(ast.start, ast.end);
  switch (ast.kind) {
    case 'number':
      expect(Number.isFinite(ast.value) && ast.value >= 0).toBe(true);
      if (!/^[²³]+$/.test(source)) expect(Number(source)).toBe(ast.value);
      break;
    case 'name':
      expect(source === ast.name || (source === 'π' && ast.name === 'pi')).toBe(true);
      break;
    case 'negate':
      expect(source).toMatch(/^[-−–]/);
      checkAst(ast.arg, text, ast);
      break;
    case 'sum':
    case 'product': {
      expect(ast.items.length).toBeGreaterThanOrEqual(2);
      expect(ast.items[0]!.op).toBe(ast.kind === 'sum' ? '+' : '*');
      let previousEnd = ast.start;
      for (const { arg } of ast.items) {
        expect(arg.start).toBeGreaterThanOrEqual(previousEnd);
        checkAst(arg, text, ast);
        previousEnd = arg.end;
      }
      break;
    }
    case 'power':
      checkAst(ast.base, text, ast);
      checkAst(ast.exponent, text, { start: ast.base.end, end: ast.end });
      break;
    case 'call': {
      const callee = text.slice(ast.calleeSpan.start, ast.calleeSpan.end);
      expect(callee === ast.callee || (callee === 'π' && ast.callee === 'pi')).toBe(true);
      expect(ast.calleeSpan.start).toBe(ast.start);
      expect(source.endsWith(')')).toBe(true);
      for (const arg of ast.args) checkAst(arg, text, { start: ast.calleeSpan.end, end: ast.end });
      break;
    }
  }
}

/** Parse must return a well-formed Ast or throw a NudgeSyntaxError with a column inside the text. */
function parseOrSyntaxError(text: string): void {
  let ast: Ast;
  try {
    ast = parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(NudgeError);
    expect(err).toBeInstanceOf(NudgeSyntaxError);
    const { code, column, message } = err as NudgeSyntaxError;
    expect(['syntax', 'too-deep']).toContain(code);
    expect(column).toBeGreaterThanOrEqual(1);
    expect(column).toBeLessThanOrEqual(text.length + 1);
    expect(message.endsWith(` at column ${column}`)).toBe(true);
    return;
  }
  checkAst(ast, text);
}

// Pieces of the language, and some that are not, to build near-miss strings from.
const alphabetArb = fc
  .array(
    fc.constantFrom(
      ...['0', '1', '2', '9', '.', 'e', 'E', '1e3', '2.5', 'x', 'y', 'pi', 'sin', 'f', '_'],
      ...['(', ')', ',', '+', '-', '*', '/', '^', '**', ' ', '\t', '\n'],
      ...['−', '–', '×', '·', '⋅', '÷', 'π', '²', '³', '€', '\u0007', '=', '1e999'],
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

// ---- properties ----

describe('parse: properties', () => {
  it('returns a well-formed Ast or throws a NudgeSyntaxError, for any ASCII string', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), parseOrSyntaxError), { numRuns: 2000 });
  });

  it('... for any string of code points, control characters included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), parseOrSyntaxError), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), parseOrSyntaxError), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), parseOrSyntaxError), { numRuns: 500 });
  });

  it('... for any string with lone surrogates', () => {
    const unit = fc.oneof(fc.constantFrom('\uD800', '\uDFFF', 'x', '+', '('), fc.string({ unit: 'grapheme-ascii', maxLength: 1 }));
    fc.assert(fc.property(fc.string({ unit, maxLength: 20 }), parseOrSyntaxError), { numRuns: 500 });
  });

  it('... for any string over the alphabet of the language', () => {
    fc.assert(fc.property(alphabetArb, parseOrSyntaxError), { numRuns: 5000 });
  });

  it('parses a fully parenthesized print of a random Ast back to that Ast', () => {
    fc.assert(
      fc.property(bareArb, fc.integer(), (bare, seed) => {
        const text = printFull(bare, new Style(seed));
        const ast = parse(text);
        expect(strip(ast)).toEqual(bare);
        checkAst(ast, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses a minimally parenthesized print (implicit products, superscripts) back to the same Ast', () => {
    fc.assert(
      fc.property(bareArb, fc.integer(), (bare, seed) => {
        const text = printMinimal(bare, new Style(seed)).text;
        const ast = parse(text);
        expect(strip(ast)).toEqual(bare);
        checkAst(ast, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('reports garbage after a complete expression at the garbage', () => {
    fc.assert(
      fc.property(bareArb, fc.integer(), fc.constantFrom(')', ',', '€', '=', '\u0007', '1e999', '.'), (bare, seed, garbage) => {
        const text = printMinimal(bare, new Style(seed)).text;
        const err = (() => {
          try {
            parse(`${text} ${garbage}`);
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(err).toBeInstanceOf(NudgeSyntaxError);
        expect((err as NudgeSyntaxError).column).toBe(text.length + 2);
      }),
      { numRuns: 500 },
    );
  });
});
