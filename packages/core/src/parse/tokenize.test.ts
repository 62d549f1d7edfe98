import { describe, expect, it } from 'vitest';
import { NudgeSyntaxError } from '../errors.js';
import { Tokenizer, tokenize, type Token } from './tokenize.js';

/** `kind:text@start-end` per token, `=value` for numbers, `->name` when the name differs from the text. */
function show(tokens: Token[]): string[] {
  return tokens.map((t) => {
    let s = `${t.kind}:${t.text}@${t.start}-${t.end}`;
    if (t.kind === 'number') s += `=${t.value}`;
    if (t.kind === 'name' && t.name !== t.text) s += `->${t.name}`;
    return s;
  });
}

function tokenError(text: string): NudgeSyntaxError {
  try {
    tokenize(text);
  } catch (err) {
    expect(err).toBeInstanceOf(NudgeSyntaxError);
    return err as NudgeSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to tokenize`);
}

describe('tokenize', () => {
  it('splits operators, names, numbers and parentheses, skipping whitespace', () => {
    expect(show(tokenize(' sin(x1) +\t2.5*\r\ny_2 '))).toEqual([
      'name:sin@1-4',
      '(:(@4-5',
      'name:x1@5-7',
      '):)@7-8',
      '+:+@9-10',
      'number:2.5@11-14=2.5',
      '*:*@14-15',
      'name:y_2@17-20',
      'end:@21-21',
    ]);
  });

  it('ends with one end token at the length of the text', () => {
    expect(show(tokenize(''))).toEqual(['end:@0-0']);
    expect(show(tokenize('   '))).toEqual(['end:@3-3']);
    const tokenizer = new Tokenizer('x');
    tokenizer.next();
    expect(tokenizer.next().kind).toBe('end');
    expect(tokenizer.next().kind).toBe('end');
  });

  it.each([
    ['3', 3],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e-3', 0.001],
    ['2.5e+2', 250],
    ['1E3', 1000],
    ['0.1', 0.1],
    ['007', 7],
    ['1e-999', 0],
    ['1.7976931348623157e308', Number.MAX_VALUE],
  ])('reads the number %s as %d', (text, value) => {
    const [token, end] = tokenize(text);
    expect(token).toEqual({ kind: 'number', text, start: 0, end: text.length, value });
    expect(end?.kind).toBe('end');
  });

  it('takes an exponent marker into the number only when digits follow', () => {
    expect(show(tokenize('2e'))).toEqual(['number:2@0-1=2', 'name:e@1-2', 'end:@2-2']);
    expect(show(tokenize('2e3'))).toEqual(['number:2e3@0-3=2000', 'end:@3-3']);
    expect(show(tokenize('2e+'))).toEqual(['number:2@0-1=2', 'name:e@1-2', '+:+@2-3', 'end:@3-3']);
    expect(show(tokenize('2ex'))).toEqual(['number:2@0-1=2', 'name:ex@1-3', 'end:@3-3']);
    expect(show(tokenize('2E-1x'))).toEqual(['number:2E-1@0-4=0.2', 'name:x@4-5', 'end:@5-5']);
  });

  it('reads a second dot as the start of a new number', () => {
    expect(show(tokenize('1.2.3'))).toEqual(['number:1.2@0-3=1.2', 'number:.3@3-5=0.3', 'end:@5-5']);
  });

  it('reads `**` as the power operator', () => {
    expect(show(tokenize('x**2'))).toEqual(['name:x@0-1', '^:**@1-3', 'number:2@3-4=2', 'end:@4-4']);
    expect(show(tokenize('x* *2')).slice(1, 3)).toEqual(['*:*@1-2', '*:*@3-4']);
  });

  it('accepts look-alikes as the ASCII operator, keeping the original text and span', () => {
    expect(show(tokenize('a−b–c×d·e⋅f÷g'))).toEqual([
      'name:a@0-1',
      '-:−@1-2',
      'name:b@2-3',
      '-:–@3-4',
      'name:c@4-5',
      '*:×@5-6',
      'name:d@6-7',
      '*:·@7-8',
      'name:e@8-9',
      '*:⋅@9-10',
      'name:f@10-11',
      '/:÷@11-12',
      'name:g@12-13',
      'end:@13-13',
    ]);
  });

  it('reads π as the name pi', () => {
    expect(show(tokenize('2π'))).toEqual(['number:2@0-1=2', 'name:π@1-2->pi', 'end:@2-2']);
  });

  it('reads superscripts as `^` and a number, both spanning the superscripts', () => {
    expect(show(tokenize('x²'))).toEqual(['name:x@0-1', '^:²@1-2', 'number:²@1-2=2', 'end:@2-2']);
    expect(show(tokenize('y³+1'))).toEqual(['name:y@0-1', '^:³@1-2', 'number:³@1-2=3', '+:+@2-3', 'number:1@3-4=1', 'end:@4-4']);
    expect(show(tokenize('x²³'))).toEqual(['name:x@0-1', '^:²³@1-3', 'number:²³@1-3=23', 'end:@3-3']);
  });

  it('rejects a number that overflows to Infinity, naming it', () => {
    const err = tokenError('x+1e999');
    expect(err.code).toBe('syntax');
    expect(err.column).toBe(3);
    expect(err.message).toBe("number '1e999' is too large at column 3");
    expect(tokenError('9'.repeat(400)).message).toBe(`number '${'9'.repeat(24)}…' is too large at column 1`);
    expect(tokenError('x' + '²'.repeat(400)).message).toBe(`number '${'²'.repeat(24)}…' is too large at column 2`);
  });

  it.each([
    ['x€', "unexpected character '€' (U+20AC) at column 2", 2],
    ['a\u0007', 'unexpected control character U+0007 at column 2', 2],
    ['\u0000', 'unexpected control character U+0000 at column 1', 1],
    ['x\u007F', 'unexpected control character U+007F at column 2', 2],
    ['x\u0085', 'unexpected control character U+0085 at column 2', 2],
    ['x\u00A0y', 'unexpected invisible character U+00A0 at column 2', 2],
    ['\u200Bx', 'unexpected invisible character U+200B at column 1', 1],
    ['\uFEFFx', 'unexpected invisible character U+FEFF at column 1', 1],
    ['x\uD800', 'unexpected invisible character U+D800 at column 2', 2],
    ['1+😀', "unexpected character '😀' (U+1F600) at column 3", 3],
    ['é', "unexpected character 'é' (U+00E9) at column 1", 1],
    ['x = 1', "unexpected character '=' at column 3", 3],
    ['[x]', "unexpected character '[' at column 1", 1],
    ['x.y', "unexpected character '.' at column 2", 2],
  ])('rejects the character in %j', (text, message, column) => {
    const err = tokenError(text);
    expect(err.code).toBe('syntax');
    expect(err.column).toBe(column);
    expect(err.message).toBe(message);
  });

  it('is lazy: tokens before a bad character are returned before the error', () => {
    const tokenizer = new Tokenizer('x + €');
    expect(tokenizer.next().kind).toBe('name');
    expect(tokenizer.next().kind).toBe('+');
    expect(() => tokenizer.next()).toThrow("unexpected character '€' (U+20AC) at column 5");
  });
});
