import { describe, expect, it } from 'vitest';
import { parse } from '../parse/parse.js';
import { evaluateIr } from './evaluate.js';
import { lower } from './lower.js';
import { Graph } from './node.js';

describe('the reference interpreter', () => {
  it('evaluates several roots at one point, sharing subexpressions', () => {
    const g = new Graph();
    const f = lower(g, parse('x^2*y + sin(z)'));
    const h = lower(g, parse('x - y/2'));
    expect(evaluateIr([f, h], { x: 1, y: 2, z: 3 })).toEqual([2 + Math.sin(3), 0]);
  });

  it('follows IEEE: NaN and infinities are values', () => {
    const g = new Graph();
    expect(evaluateIr([lower(g, parse('log(x)'))], { x: -1 })[0]).toBeNaN();
    expect(evaluateIr([lower(g, parse('1/x'))], { x: 0 })[0]).toBe(Infinity);
  });
});
