/**
 * The tokenizer: expression text -> tokens, one at a time.
 *
 * Tokens keep their place in the original text (`start` inclusive, `end`
 * exclusive, 0-based) and their original spelling (`text`), while `kind`
 * is already normalized: `**`, `×`, `·`, `⋅`, `÷`, `−`, `–` become the
 * ASCII operators, `π` becomes the name `pi`, and a run of superscripts
 * `²`/`³` becomes the two tokens `^` and a number.
 *
 * The parser pulls tokens lazily (`Tokenizer.next`), so that a bad
 * character is only reported once everything before it has been accepted:
 * the error a user sees is always the first problem in the text.
 */
import { NudgeSyntaxError } from '../errors.js';

export type SymbolKind = '+' | '-' | '*' | '/' | '^' | '(' | ')' | ',';
export type TokenKind = 'number' | 'name' | SymbolKind | 'end';

interface TokenBase {
  /** The token as written in the source text (`'×'`, `'**'`, `'π'`, `'2.5e3'`). */
  text: string;
  start: number;
  end: number;
}

export interface NumberToken extends TokenBase {
  kind: 'number';
  value: number;
}

export interface NameToken extends TokenBase {
  kind: 'name';
  /** The name as the AST spells it (`'pi'` for `π`). */
  name: string;
}

export interface SymbolToken extends TokenBase {
  kind: SymbolKind;
}

/** After the last token: `start = end = text.length`, `text = ''`. */
export interface EndToken extends TokenBase {
  kind: 'end';
}

export type Token = NumberToken | NameToken | SymbolToken | EndToken;

/** Non-ASCII characters accepted as the ASCII symbol they look like. */
const LOOK_ALIKES: ReadonlyMap<string, SymbolKind> = new Map<string, SymbolKind>([
  ['\u2212', '-'], // − minus sign
  ['\u2013', '-'], // – en dash
  ['\u00D7', '*'], // × multiplication sign
  ['\u00B7', '*'], // · middle dot
  ['\u22C5', '*'], // ⋅ dot operator
  ['\u00F7', '/'], // ÷ division sign
]);

/** Superscript digits accepted as `^digits`. */
const SUPERSCRIPTS: ReadonlyMap<string, string> = new Map([
  ['\u00B2', '2'], // ²
  ['\u00B3', '3'], // ³
]);

const PI = '\u03C0'; // π

const SINGLE_CHAR_SYMBOLS: ReadonlyMap<string, SymbolKind> = new Map<string, SymbolKind>([
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['^', '^'],
  ['(', '('],
  [')', ')'],
  [',', ','],
]);

/** Longest source text quoted in an error message. */
const MAX_QUOTED = 24;

/** `'text'`, shortened with `…` when long (a 1 MB name must not become a 1 MB message). */
export function quote(text: string): string {
  return text.length > MAX_QUOTED ? `'${text.slice(0, MAX_QUOTED)}…'` : `'${text}'`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57; // 0-9
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13; // space, tab, LF, CR
}

function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Characters that cannot be shown in quotes (they print as nothing or as a space). */
const INVISIBLE = /^[\p{Z}\p{Cf}\p{Cs}\p{Co}\p{Cn}]$/u;
const CONTROL = /^\p{Cc}$/u;

export class Tokenizer {
  private pos = 0;
  /** The number token of a superscript run, returned right after its `^`. */
  private pending: Token | undefined;

  constructor(readonly text: string) {}

  /** The next token; `kind: 'end'` (repeatedly) once the text is used up. Throws NudgeSyntaxError. */
  next(): Token {
    const pending = this.pending;
    if (pending !== undefined) {
      this.pending = undefined;
      return pending;
    }
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length && isWhitespace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
    if (pos >= text.length) return { kind: 'end', text: '', start: text.length, end: text.length };

    const c = text.charCodeAt(pos);
    if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(pos + 1)))) return this.number(pos);
    if (isNameStart(c)) return this.name(pos);

    const ch = text.charAt(pos);
    if (ch === '*' && text.charAt(pos + 1) === '*') return this.symbol('^', pos, pos + 2);
    const symbol = SINGLE_CHAR_SYMBOLS.get(ch) ?? LOOK_ALIKES.get(ch);
    if (symbol !== undefined) return this.symbol(symbol, pos, pos + 1);
    if (ch === PI) {
      this.pos = pos + 1;
      return { kind: 'name', text: ch, start: pos, end: pos + 1, name: 'pi' };
    }
    if (SUPERSCRIPTS.has(ch)) return this.superscripts(pos);
    throw this.badCharacter(pos);
  }

  private symbol(kind: SymbolKind, start: number, end: number): SymbolToken {
    this.pos = end;
    return { kind, text: this.text.slice(start, end), start, end };
  }

  /** `3`, `2.5`, `.5`, `5.`, `1e-3`; `2e` is the number 2 (the `e` is a name). */
  private number(start: number): NumberToken {
    const text = this.text;
    let pos = start;
    while (isDigit(text.charCodeAt(pos))) pos++;
    if (text.charCodeAt(pos) === 46 /* . */) {
      pos++;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69 /* e E */) {
      let p = pos + 1;
      const sign = text.charCodeAt(p);
      if (sign === 43 || sign === 45 /* + - */) p++;
      if (isDigit(text.charCodeAt(p))) {
        while (isDigit(text.charCodeAt(p))) p++;
        pos = p;
      }
    }
    const source = text.slice(start, pos);
    const value = Number(source);
    if (value === Infinity) {
      throw new NudgeSyntaxError('syntax', `number ${quote(source)} is too large`, start + 1);
    }
    this.pos = pos;
    return { kind: 'number', text: source, start, end: pos, value };
  }

  private name(start: number): NameToken {
    const text = this.text;
    let pos = start + 1;
    while (isNamePart(text.charCodeAt(pos))) pos++;
    this.pos = pos;
    const source = text.slice(start, pos);
    return { kind: 'name', text: source, start, end: pos, name: source };
  }

  /** `x²` is `x^2`, `x²³` is `x^23`: a `^` token, then (pending) the number. */
  private superscripts(start: number): SymbolToken {
    const text = this.text;
    let pos = start;
    let digits = '';
    for (let d = SUPERSCRIPTS.get(text.charAt(pos)); d !== undefined; d = SUPERSCRIPTS.get(text.charAt(pos))) {
      digits += d;
      pos++;
    }
    const source = text.slice(start, pos);
    const value = Number(digits);
    if (value === Infinity) {
      throw new NudgeSyntaxError('syntax', `number ${quote(source)} is too large`, start + 1);
    }
    this.pos = pos;
    this.pending = { kind: 'number', text: source, start, end: pos, value };
    return { kind: '^', text: source, start, end: pos };
  }

  private badCharacter(pos: number): NudgeSyntaxError {
    const cp = this.text.codePointAt(pos) ?? 0;
    const ch = String.fromCodePoint(cp);
    const column = pos + 1;
    if (CONTROL.test(ch)) {
      return new NudgeSyntaxError('syntax', `unexpected control character ${codePointLabel(cp)}`, column);
    }
    if (INVISIBLE.test(ch)) {
      return new NudgeSyntaxError('syntax', `unexpected invisible character ${codePointLabel(cp)}`, column);
    }
    if (cp < 128) return new NudgeSyntaxError('syntax', `unexpected character '${ch}'`, column);
    return new NudgeSyntaxError('syntax', `unexpected character '${ch}' (${codePointLabel(cp)})`, column);
  }
}

/** All tokens of `text`, ending with the `end` token. Throws NudgeSyntaxError at the first bad character. */
export function tokenize(text: string): Token[] {
  const tokenizer = new Tokenizer(text);
  const tokens: Token[] = [];
  for (;;) {
    const token = tokenizer.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}
