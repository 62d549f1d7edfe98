import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, evaluate, NudgeError } from '../index.js';

/** Whatever a person types, compile ends in a function or a typed error: never a crash. */
describe('compile on any input', () => {
  const alphabet = fc.constantFrom(...'0123456789.e xyz()+-*/^,'.split(''), 'sin', 'pow(', 'log', 'max(', 'pi', '**', '−', 'π', '\u0007');

  it('returns a function or throws a NudgeError for random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join(''))), (text) => {
        try {
          const f = compile(text);
          const at = Object.fromEntries(f.variables.map((v) => [v, 0.5]));
          expect(typeof evaluate(f, at).value).toBe('number');
          f.dispose();
        } catch (e) {
          expect(e).toBeInstanceOf(NudgeError);
          expect((e as NudgeError).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('survives hostile input with a clear error or a right result', () => {
    const deep = `${'('.repeat(10_000)}x${')'.repeat(10_000)}`;
    expect(() => compile(deep)).toThrow(NudgeError);
    const big = Array.from({ length: 250_000 }, () => 'x').join('+'); // ~500 KB
    const f = compile(`${big}+${big}`); // ~1 MB
    expect(evaluate(f, { x: 1 }).value).toBe(500_000);
    f.dispose();
    expect(evaluate('−x^2 + 2π', { x: 3 }).value).toBeCloseTo(-9 + 2 * Math.PI, 12);
    expect(() => compile('x\u0007')).toThrow(/U\+0007/);
  });
});
