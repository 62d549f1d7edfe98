import { NudgeError } from '../errors.js';
import type { IrNode } from '../ir/node.js';
import { format } from '../symbolic/print.js';
import * as P from './polynomial.js';

/** The highest power multiplied out by hand (x^12 + ... has 13 terms in (x + h)^12). */
export const MAX_DEGREE = 12;

/**
 * An expression as a polynomial in `x` (whole powers, number coefficients),
 * or a NudgeError ('invalid-argument') that says what is not polynomial and why.
 */
export function asPolynomial(node: IrNode, x: string): P.Polynomial {
  const refuse = (what: string, why: string): never => {
    throw new NudgeError(
      'invalid-argument',
      `the limit walk-through works for polynomials in ${x} (sums of c*${x}^n with whole n), which it multiplies out by hand: ${what} ${why}`,
    );
  };
  const visit = (n: IrNode): P.Polynomial => {
    switch (n.op) {
      case 'const':
        if (!Number.isFinite(n.value)) refuse(`the number ${format(n)}`, 'is not finite');
        return P.constant(n.value);
      case 'var':
        if (n.name !== x) refuse(`'${n.name}'`, `is another variable (only ${x} may vary)`);
        return P.X;
      case 'add':
        return P.add(...n.args.map(visit));
      case 'sub':
        return P.subtract(visit(n.args[0]!), visit(n.args[1]!));
      case 'neg':
        return P.scale(visit(n.args[0]!), -1);
      case 'mul':
        return n.args.map(visit).reduce(P.multiply);
      case 'recip':
      case 'div': {
        const divisor = n.args[n.args.length - 1]!;
        if (divisor.op !== 'const') refuse(`dividing by ${format(divisor)}`, 'does not give a polynomial');
        const top = n.op === 'div' ? visit(n.args[0]!) : P.constant(1);
        return P.scale(top, 1 / divisor.value);
      }
      case 'square':
        return P.power(visit(n.args[0]!), 2);
      case 'pow': {
        const k = n.args[1]!;
        if (k.op !== 'const') refuse(format(n), 'has a power that is not a number');
        if (!Number.isInteger(k.value) || k.value < 0) refuse(format(n), 'has a power that is not a whole number 0, 1, 2, ...');
        const base = visit(n.args[0]!);
        if (P.degree(base) * k.value > MAX_DEGREE) refuse(format(n), `has degree ${P.degree(base) * k.value}, more than ${MAX_DEGREE}`);
        return P.power(base, k.value);
      }
      default:
        return refuse(format(n), `is not a polynomial (${n.op} is not a sum, product or whole power)`);
    }
  };
  const p = visit(node);
  if (P.degree(p) > MAX_DEGREE) refuse(format(node), `has degree ${P.degree(p)}, more than ${MAX_DEGREE}`);
  return p;
}
