/**
 * Simplification rules as data, written in the expression language (math.js
 * style `{ l, r }`). The normal form in simplify.ts does the always-on work in
 * code (constants folded, like terms and like factors collected, canonical
 * order); these rules are the identities of particular functions on top of it.
 *
 * Pattern names: `u`, `v` match any expression; a name starting with `c`
 * matches a number. Two forms match more than their literal shape: `-u`
 * matches any expression with a negative sign (`-x`, `-2*x`, `-x - 1`), binding
 * u to its negation; `c*u` matches any product with a numeric coefficient
 * (other than 1), binding c to the coefficient and u to the rest.
 *
 * Every rule keeps the value wherever the left side is defined; the few that
 * also define a value where the left side is not (a domain extension) say so.
 */
export interface Rule {
  /** The pattern. */
  l: string;
  /** The replacement. */
  r: string;
  /** A condition on the numbers bound by the pattern (`c`). */
  where?: (numbers: Readonly<Record<string, number>>) => boolean;
}

const even = ({ c }: Readonly<Record<string, number>>): boolean => Number.isInteger(c! / 2);

export const RULES: readonly Rule[] = [
  // ln(e^u) = u
  { l: 'log(exp(u))', r: 'u' },
  // sqrt(u^2) = |u|
  { l: 'sqrt(u^2)', r: 'abs(u)' },
  // |u|^c = u^c for an even c
  { l: 'abs(u)^c', r: 'u^c', where: even },
  // ||u|| = |u|
  { l: 'abs(abs(u))', r: 'abs(u)' },
  // |-u| = |u|
  { l: 'abs(-u)', r: 'abs(u)' },
  // |c u| = |c| |u|
  { l: 'abs(c*u)', r: 'abs(c)*abs(u)' },
  // cbrt(u^3) = u
  { l: 'cbrt(u^3)', r: 'u' },
  // cbrt(u)^3 = u
  { l: 'cbrt(u)^3', r: 'u' },
  // relu(relu(u)) = relu(u)
  { l: 'relu(relu(u))', r: 'relu(u)' },
  // cos(-u) = cos(u), cosh(-u) = cosh(u): even functions
  { l: 'cos(-u)', r: 'cos(u)' },
  { l: 'cosh(-u)', r: 'cosh(u)' },
  // f(-u) = -f(u) for the odd functions
  { l: 'sin(-u)', r: '-sin(u)' },
  { l: 'tan(-u)', r: '-tan(u)' },
  { l: 'sinh(-u)', r: '-sinh(u)' },
  { l: 'tanh(-u)', r: '-tanh(u)' },
  { l: 'asin(-u)', r: '-asin(u)' },
  { l: 'atan(-u)', r: '-atan(u)' },
  { l: 'asinh(-u)', r: '-asinh(u)' },
  { l: 'atanh(-u)', r: '-atanh(u)' },
  { l: 'cbrt(-u)', r: '-cbrt(u)' },
];

/**
 * Rules on the factors of a product: the left side is a product of powers of
 * functions of one argument `u` (and of u itself); wherever a product holds k whole copies of
 * it (k >= 1), they are replaced by k copies of the right side. So
 * sin(x)^3/cos(x)^2 becomes tan(x)^2 sin(x).
 */
export const FACTOR_RULES: readonly Rule[] = [
  // sin(u)/cos(u) = tan(u)
  { l: 'sin(u)/cos(u)', r: 'tan(u)' },
  // sinh(u)/cosh(u) = tanh(u)
  { l: 'sinh(u)/cosh(u)', r: 'tanh(u)' },
  // tan(u) cos(u) = sin(u) (also where cos(u) = 0, where the left side is undefined: a domain extension)
  { l: 'tan(u)*cos(u)', r: 'sin(u)' },
  // 1/(tan(u) cos(u)) = 1/sin(u) (likewise)
  { l: '1/(tan(u)*cos(u))', r: '1/sin(u)' },
  // u/cbrt(u)^2 = cbrt(u) (also at u = 0: a domain extension)
  { l: 'u/cbrt(u)^2', r: 'cbrt(u)' },
  // 1/tan(u) = cos(u)/sin(u) (also where cos(u) = 0: a domain extension); printed cot(u)
  { l: '1/tan(u)', r: 'cos(u)/sin(u)' },
];
