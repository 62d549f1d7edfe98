// Symbolic output size: for every expression of the SymPy reference table,
// the size of Nudge's simplified derivative next to math.js derivative()'s.
// Both texts are parsed by math.js and their nodes counted the same way, so
// the comparison is fair. Not a timing: a table of counts.
import { readFileSync } from 'node:fs';
import { derivativeExpression } from '@nudge/core';
import * as math from 'mathjs';

const table = JSON.parse(readFileSync(new URL('../../packages/core/test-data/symbolic-table.json', import.meta.url), 'utf8'));

/** Nodes of a math.js expression tree, parentheses not counted. */
function size(text) {
  let n = 0;
  math.parse(text).traverse((node) => {
    if (node.type !== 'ParenthesisNode') n++;
  });
  return n;
}

// Functions Nudge has and math.js lacks, written out for math.js.
const MATHJS_DEFINITIONS = [
  [/\bsigmoid\(/g, 'nudgeSigmoid('],
  [/\brelu\(/g, 'nudgeRelu('],
  [/\bsoftplus\(/g, 'nudgeSoftplus('],
];
const UNSUPPORTED = /nudge(Sigmoid|Relu|Softplus)|\bmin\(|\bmax\(/;

export function symbolicSizes() {
  const rows = [];
  let skipped = 0;
  for (const c of table.cases ?? table) {
    const expr = c.expr ?? c.expression;
    const wrt = c.wrt ?? 'x';
    let mathText = expr;
    for (const [re, to] of MATHJS_DEFINITIONS) mathText = mathText.replace(re, to);
    if (UNSUPPORTED.test(mathText)) {
      skipped++;
      continue;
    }
    let theirs;
    try {
      theirs = math.derivative(mathText, wrt).toString();
    } catch {
      skipped++;
      continue;
    }
    const ours = derivativeExpression(expr, { wrt }).expression;
    rows.push({ expr, wrt, nudge: size(ours), mathjs: size(theirs) });
  }
  const smallerOrEqual = rows.filter((r) => r.nudge <= r.mathjs).length;
  return { rows, skipped, smallerOrEqual, share: smallerOrEqual / rows.length };
}
