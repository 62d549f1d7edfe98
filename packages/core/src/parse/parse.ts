/**
 * The parser: expression text -> Ast.
 *
 * It reads like recursive descent, with one function per precedence level
 * (see precedence.ts), but it does not recurse: a parenthesis or a call
 * pushes a Group (the chains being built inside it) on an explicit stack,
 * so 1000 levels of nesting cost heap, not call stack. The main loop
 * alternates two positions:
 *
 *   operand position   unary signs, then a number, a name, `f()`, or the
 *                      opening of a `(` or `f(` group (parseOperand)
 *   operator position  the operand is handed up the levels, tightest first:
 *                        parsePowerLevel    a ^ b ^ c   right-nested `power`, with
 *                                                       the unary signs around it
 *                        parseProductLevel  a * b / c, 2x   n-ary `product`
 *                        parseSumLevel      a + b - c       n-ary `sum`
 *                        parseGroupEnd      `)`, `,`, end of text
 *                      A level that sees its own operator records the operand,
 *                      consumes the operator and asks for the next operand;
 *                      otherwise it closes its chain and passes the result on.
 *
 * Nesting of any kind (parentheses, calls, unary minus, `^`) is capped at
 * MAX_DEPTH levels, so later stages that walk the Ast recursively stay safe.
 */
import { NudgeSyntaxError } from '../errors.js';
import type { Ast, CallNode, ProductNode, SumNode } from './ast.js';
import { isOperatorOfLevel, POWER_PRECEDENCE, PRODUCT_PRECEDENCE, SUM_PRECEDENCE } from './precedence.js';
import { quote, Tokenizer, type NameToken, type Token, type TokenKind } from './tokenize.js';

/** Deepest nesting of parentheses, calls, unary minus and `^` that parses. */
export const MAX_DEPTH = 1000;

/** Parse an expression. Throws NudgeSyntaxError (code 'syntax' or 'too-deep') on bad input. */
export function parse(text: string): Ast {
  return new Parser(text).parseExpression();
}

/** One `base ^` of a power chain, with the unary minus signs written before the base. */
interface PowerLink {
  minuses: Token[] | undefined;
  base: Ast;
  baseStart: number;
}

/**
 * The whole text, one `( ... )`, or the arguments of one call: the chains
 * under construction at each level, innermost operand last. A chain is
 * `undefined` while it has no operator yet (a lone operand is not wrapped).
 */
class Group {
  /** Minus signs of the operand being read (each one a nesting level). */
  minuses: Token[] | undefined;
  /** `a ^ b ^` so far. */
  power: PowerLink[] | undefined;
  /** Nesting levels entered by the current power chain (its minuses and carets). */
  powerDepth = 0;

  product: ProductNode['items'] | undefined;
  productOp: '*' | '/' = '*';
  productStart = 0;

  sum: SumNode['items'] | undefined;
  sumOp: '+' | '-' = '+';
  sumStart = 0;

  /** Finished arguments of a call. */
  readonly args: Ast[] = [];

  constructor(
    /** The group around this one; undefined for the whole text. */
    readonly outer: Group | undefined,
    /** The `(` that opened this group. */
    readonly open: Token | undefined,
    /** The function name, when the group is a call's argument list. */
    readonly callee: NameToken | undefined,
  ) {}
}

class Parser {
  private readonly tokenizer: Tokenizer;
  /** The current token: the next one to accept. */
  private token: Token;
  /** Kind and end of the last accepted token. */
  private previousKind: TokenKind | undefined;
  private previousEnd = 0;
  /** The innermost open group. */
  private group = new Group(undefined, undefined, undefined);
  /** Where the operand just read starts (its `(` for a parenthesized one). */
  private operandStart = 0;
  /** Current nesting depth (parentheses, calls, unary minus, `^`). */
  private depth = 0;

  constructor(text: string) {
    this.tokenizer = new Tokenizer(text);
    this.token = this.tokenizer.next();
  }

  /** The whole text: one expression, then the end. */
  parseExpression(): Ast {
    if (this.atEnd()) throw new NudgeSyntaxError('syntax', 'empty expression', 1);
    for (;;) {
      let operand = this.parseOperand();
      // Hand the operand up the levels. A level that returns undefined has
      // consumed its operator (`^`, `*`, `+`, `,`...): read the next operand.
      for (;;) {
        const factor = this.parsePowerLevel(operand);
        if (factor === undefined) break;
        const term = this.parseProductLevel(factor);
        if (term === undefined) break;
        const expression = this.parseSumLevel(term);
        if (expression === undefined) break;
        if (this.group.outer === undefined && this.atEnd()) return expression;
        const closed = this.parseGroupEnd(expression);
        if (closed === undefined) break;
        operand = closed; // a closed group is an operand of the group around it
      }
    }
  }

  // ---- operand position ----

  /**
   * Unary signs, then a number, a name or `f()`. A `(` or `f(` opens a group
   * and reading continues inside it. Unary plus is dropped; each unary minus
   * is remembered in the group and applied when the power chain closes, so
   * `-x^2` is `-(x^2)`.
   */
  private parseOperand(): Ast {
    for (;;) {
      const group = this.group;
      const start = this.token.start;
      // A fresh operand starts the chains that are not under way yet.
      if (group.power === undefined && group.product === undefined) {
        group.productStart = start;
        if (group.sum === undefined) group.sumStart = start;
      }
      while (this.token.kind === '-' || this.token.kind === '+') {
        if (this.token.kind === '-') {
          this.enter(this.token);
          group.powerDepth++;
          (group.minuses ??= []).push(this.token);
        }
        this.advance();
      }

      const token = this.token;
      this.operandStart = token.start;
      switch (token.kind) {
        case 'number':
          this.advance();
          return { kind: 'number', value: token.value, start: token.start, end: token.end };
        case 'name': {
          this.advance();
          if (this.token.kind !== '(') return { kind: 'name', name: token.name, start: token.start, end: token.end };
          const call = this.openCall(token);
          if (call !== undefined) return call;
          break;
        }
        case '(': {
          this.enter(token);
          this.advance();
          this.group = new Group(group, token, undefined);
          break;
        }
        default:
          throw this.unexpected();
      }
    }
  }

  /** At the `(` after a function name: `f()` is returned at once, otherwise a call group is opened. */
  private openCall(name: NameToken): CallNode | undefined {
    const open = this.token;
    this.enter(open);
    this.advance();
    if (this.token.kind === 'end') throw this.missingParen(open);
    if (this.token.kind !== ')') {
      this.group = new Group(this.group, open, name);
      return undefined;
    }
    this.advance();
    this.depth--;
    return this.callNode(name, []);
  }

  // ---- operator position: one function per precedence level, tightest first ----

  /**
   * `a ^ b ^ c` is `a ^ (b ^ c)`, and each exponent is read at the unary
   * level, so `2 ^ -x ^ 2` is `2 ^ -(x ^ 2)`. On `^`: record the base and
   * ask for the exponent (returns undefined). Otherwise fold the chain from
   * the right, wrapping each base's minus signs around it, and return it.
   */
  private parsePowerLevel(operand: Ast): Ast | undefined {
    const group = this.group;
    if (isOperatorOfLevel(this.token.kind, POWER_PRECEDENCE)) {
      (group.power ??= []).push({ minuses: group.minuses, base: operand, baseStart: this.operandStart });
      group.minuses = undefined;
      this.enter(this.token);
      group.powerDepth++;
      this.advance();
      return undefined;
    }
    const end = this.previousEnd;
    let node = this.negate(group.minuses, operand, end);
    const links = group.power;
    if (links !== undefined) {
      for (let i = links.length - 1; i >= 0; i--) {
        const link = links[i]!;
        const power: Ast = { kind: 'power', base: link.base, exponent: node, start: link.baseStart, end };
        node = this.negate(link.minuses, power, end);
      }
    }
    group.minuses = undefined;
    group.power = undefined;
    this.depth -= group.powerDepth;
    group.powerDepth = 0;
    return node;
  }

  /**
   * `a * b / c` and implicit multiplication: one n-ary product. An implicit
   * factor needs no operator and can't start with a sign, so it binds like
   * an explicit `*` factor: `3x^2` is `3 * (x^2)`.
   */
  private parseProductLevel(factor: Ast): Ast | undefined {
    const group = this.group;
    const kind = this.token.kind;
    const explicit = isOperatorOfLevel(kind, PRODUCT_PRECEDENCE);
    const continues = explicit || this.atImplicitFactor();
    if (group.product === undefined && !continues) return factor;
    const items = (group.product ??= []);
    items.push({ op: group.productOp, arg: factor });
    if (continues) {
      group.productOp = explicit ? (kind as '*' | '/') : '*';
      if (explicit) this.advance();
      return undefined;
    }
    group.product = undefined;
    group.productOp = '*';
    return { kind: 'product', items, start: group.productStart, end: this.previousEnd };
  }

  /**
   * Implicit multiplication only where it cannot mean anything else: after a
   * number or a `)`, before a name or a `(`. So `2x`, `2 pi`, `(a)(b)`,
   * `(a)b` multiply, while `x y`, `x 2` and `(a)2` are errors and `f(x)` is
   * a call.
   */
  private atImplicitFactor(): boolean {
    const next = this.token.kind;
    const previous = this.previousKind;
    return (next === 'name' || next === '(') && (previous === 'number' || previous === ')');
  }

  /** `a + b - c`: one n-ary sum. */
  private parseSumLevel(term: Ast): Ast | undefined {
    const group = this.group;
    const kind = this.token.kind;
    const continues = isOperatorOfLevel(kind, SUM_PRECEDENCE);
    if (group.sum === undefined && !continues) return term;
    const items = (group.sum ??= []);
    items.push({ op: group.sumOp, arg: term });
    if (continues) {
      group.sumOp = kind as '+' | '-';
      this.advance();
      return undefined;
    }
    group.sum = undefined;
    group.sumOp = '+';
    return { kind: 'sum', items, start: group.sumStart, end: this.previousEnd };
  }

  /**
   * The expression of a group is complete. `)` closes the group and returns
   * its value (a call node for a call), to be used as an operand of the
   * group around it. `,` in a call records an argument and returns undefined
   * (the next argument follows). Anything else is an error.
   */
  private parseGroupEnd(expression: Ast): Ast | undefined {
    const group = this.group;
    const { open, callee } = group;
    const kind = this.token.kind;
    if (open !== undefined && (kind === ')' || (kind === ',' && callee !== undefined))) {
      if (callee !== undefined) group.args.push(expression);
      this.advance();
      if (kind === ',') return undefined;
      this.group = group.outer!;
      this.depth--;
      if (callee === undefined) {
        this.operandStart = open.start;
        return expression;
      }
      this.operandStart = callee.start;
      return this.callNode(callee, group.args);
    }
    if (kind === 'end' && open !== undefined) throw this.missingParen(open);
    throw this.unexpected();
  }

  // ---- helpers ----

  private advance(): void {
    this.previousKind = this.token.kind;
    this.previousEnd = this.token.end;
    this.token = this.tokenizer.next();
  }

  private atEnd(): boolean {
    return this.token.kind === 'end';
  }

  /** The call just closed by the last token. */
  private callNode(callee: NameToken, args: Ast[]): CallNode {
    return {
      kind: 'call',
      callee: callee.name,
      calleeSpan: { start: callee.start, end: callee.end },
      args,
      start: callee.start,
      end: this.previousEnd,
    };
  }

  /** `operand` wrapped in one negate per minus sign (the first sign outermost). */
  private negate(minuses: Token[] | undefined, operand: Ast, end: number): Ast {
    let node = operand;
    if (minuses !== undefined) {
      for (let i = minuses.length - 1; i >= 0; i--) {
        node = { kind: 'negate', arg: node, start: minuses[i]!.start, end };
      }
    }
    return node;
  }

  /** Enter one nesting level at `token`. */
  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) {
      throw new NudgeSyntaxError('too-deep', `expression is nested more than ${MAX_DEPTH} levels deep`, token.start + 1);
    }
  }

  private missingParen(open: Token): NudgeSyntaxError {
    return new NudgeSyntaxError('syntax', "missing ')' to close '('", open.start + 1);
  }

  /** The error for a current token that does not fit here. */
  private unexpected(): NudgeSyntaxError {
    const token = this.token;
    if (token.kind === 'end') return new NudgeSyntaxError('syntax', 'unexpected end of expression', token.start + 1);
    return new NudgeSyntaxError('syntax', `unexpected ${quote(token.text)}`, token.start + 1);
  }
}
