/**
 * The syntax tree of an expression, as typed. Positions are 0-based offsets
 * into the source text (`start` inclusive, `end` exclusive); errors report
 * them as 1-based columns.
 *
 * Chains of `+ -` and of `* /` are n-ary (`items`), not left-deep binary
 * nodes, so that a megabyte of `x+x+...` is one node with many items and no
 * later stage recurses a million levels deep.
 */
export interface Span {
  start: number;
  end: number;
}

export interface NumberNode extends Span {
  kind: 'number';
  value: number;
}

/** A variable or a named constant (`pi`, `e`): lowering decides which. */
export interface NameNode extends Span {
  kind: 'name';
  name: string;
}

export interface NegateNode extends Span {
  kind: 'negate';
  arg: Ast;
}

/** `a + b - c`: items [{op:'+',arg:a},{op:'+',arg:b},{op:'-',arg:c}]. */
export interface SumNode extends Span {
  kind: 'sum';
  items: { op: '+' | '-'; arg: Ast }[];
}

/** `a * b / c` and implicit `2x`: items [{op:'*',arg:a},{op:'*',arg:b},{op:'/',arg:c}]. */
export interface ProductNode extends Span {
  kind: 'product';
  items: { op: '*' | '/'; arg: Ast }[];
}

export interface PowerNode extends Span {
  kind: 'power';
  base: Ast;
  exponent: Ast;
}

export interface CallNode extends Span {
  kind: 'call';
  callee: string;
  /** Span of the function name alone. */
  calleeSpan: Span;
  args: Ast[];
}

export type Ast = NumberNode | NameNode | NegateNode | SumNode | ProductNode | PowerNode | CallNode;
