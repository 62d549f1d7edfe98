/**
 * The binary operators, as data. Higher `precedence` binds tighter.
 *
 *   level 1  `+ -`   left,  n-ary `sum`
 *   level 2  `* /`   left,  n-ary `product` (implicit `2x` included)
 *   level 3  unary `-` (and `+`, which is dropped): see UNARY_PRECEDENCE
 *   level 4  `^`     right, binary `power` (`**` is tokenized as `^`)
 *
 * Unary minus sits between `* /` and `^`: `-x^2` is `-(x^2)`, `2*-x` is
 * allowed, and the exponent of `^` is parsed at the unary level, so
 * `2^-x` is allowed too.
 *
 * The tokenizer already maps look-alikes (`×`, `−`, `**`, ...) to these
 * symbols, so the parser only ever sees the ASCII keys below.
 */
export type BinarySymbol = '+' | '-' | '*' | '/' | '^';

export interface BinaryOperator {
  readonly precedence: number;
  readonly associativity: 'left' | 'right';
  /** The AST node the operator builds. */
  readonly node: 'sum' | 'product' | 'power';
}

export const SUM_PRECEDENCE = 1;
export const PRODUCT_PRECEDENCE = 2;
export const UNARY_PRECEDENCE = 3;
export const POWER_PRECEDENCE = 4;

export const BINARY_OPERATORS: Readonly<Record<BinarySymbol, BinaryOperator>> = {
  '+': { precedence: SUM_PRECEDENCE, associativity: 'left', node: 'sum' },
  '-': { precedence: SUM_PRECEDENCE, associativity: 'left', node: 'sum' },
  '*': { precedence: PRODUCT_PRECEDENCE, associativity: 'left', node: 'product' },
  '/': { precedence: PRODUCT_PRECEDENCE, associativity: 'left', node: 'product' },
  '^': { precedence: POWER_PRECEDENCE, associativity: 'right', node: 'power' },
};

/** The operator a token kind stands for, if it is a binary operator. */
export function binaryOperator(kind: string): BinaryOperator | undefined {
  return Object.hasOwn(BINARY_OPERATORS, kind) ? BINARY_OPERATORS[kind as BinarySymbol] : undefined;
}

/** True when `kind` is a binary operator of exactly this precedence level. */
export function isOperatorOfLevel(kind: string, precedence: number): kind is BinarySymbol {
  return binaryOperator(kind)?.precedence === precedence;
}
