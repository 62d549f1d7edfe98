import type { BackpropResult } from '@nudge/core';

/** Where each node of the graph sits: a layered layout, inputs on the left, the output on the right. */
export interface Layout {
  width: number;
  height: number;
  /** Node centres, by node id. */
  x: number[];
  y: number[];
}

export const NODE_W = 150;
export const NODE_H = 66;
const COLUMN = 270;
const ROW = 96;
const MARGIN = 16;

/** A node's column is its depth (the longest path from an input); within a column, nodes keep the forward order. */
export function layout(r: BackpropResult): Layout {
  const depth: number[] = [];
  for (const id of r.forward) {
    const n = r.nodes[id]!;
    depth[id] = n.inputs.length === 0 ? 0 : 1 + Math.max(...n.inputs.map((i) => depth[i] ?? 0));
  }
  const columns: number[][] = [];
  for (const id of r.forward) (columns[depth[id]!] ??= []).push(id);
  const rows = Math.max(...columns.map((c) => c.length));
  const height = rows * ROW + 2 * MARGIN;
  const x: number[] = [];
  const y: number[] = [];
  columns.forEach((ids, c) => {
    const top = MARGIN + ((rows - ids.length) * ROW) / 2;
    ids.forEach((id, i) => {
      x[id] = MARGIN + NODE_W / 2 + c * COLUMN;
      y[id] = top + ROW / 2 + i * ROW;
    });
  });
  return { width: (columns.length - 1) * COLUMN + NODE_W + 2 * MARGIN, height, x, y };
}

/**
 * The walk through the graph: first the forward pass (node by node, in
 * topological order: each value computed), then the backward pass (each
 * adjoint, the output first). Step 0 shows nothing computed; the last step
 * shows everything.
 */
export interface Walk {
  total: number;
  /** At step k (1-based): which node is computed, in which pass. */
  at(k: number): { pass: 'forward' | 'backward'; node: number } | undefined;
  /** Whether at step k the node's value, or its adjoint, is known. */
  hasValue(k: number, node: number): boolean;
  hasAdjoint(k: number, node: number): boolean;
}

export function walk(r: BackpropResult): Walk {
  const F = r.forward.length;
  const forwardAt = new Map(r.forward.map((id, i) => [id, i + 1]));
  const backwardAt = new Map(r.backward.map((id, i) => [id, F + i + 1]));
  return {
    total: F + r.backward.length,
    at: (k) => (k >= 1 && k <= F ? { pass: 'forward', node: r.forward[k - 1]! } : k > F && k <= F + r.backward.length ? { pass: 'backward', node: r.backward[k - F - 1]! } : undefined),
    hasValue: (k, node) => k >= (forwardAt.get(node) ?? Infinity),
    hasAdjoint: (k, node) => k >= (backwardAt.get(node) ?? Infinity),
  };
}
