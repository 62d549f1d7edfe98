import { it } from 'vitest';
import { Graph } from '../ir/node.js';
import { lower } from '../ir/lower.js';
import { parse } from '../parse/parse.js';
import { print } from '../ir/print.js';
import { differentiate } from './differentiate.js';
import { simplify } from './simplify.js';
import { format } from './print.js';
it('dbg', () => {
  for (const e of (process.env.EXPRS ?? '').split(';')) {
    const g = new Graph();
    const f = lower(g, parse(e), { variables: ['x', 'y'] });
    const s = simplify(g, differentiate(g, f, process.env.WRT ?? 'x'));
    const t = format(s);
    const r = simplify(g, lower(g, parse(t), { variables: ['x', 'y'] }));
    console.log(`${e}\n  s  = ${print(s)}\n  fmt= ${t}\n  re = ${print(r)}\n  same=${r === s}`);
  }
});
