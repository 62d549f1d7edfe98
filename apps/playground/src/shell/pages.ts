import type { PageDefinition } from './page.js';

/**
 * The six pages of issue 7, in its order. A new page is a folder under
 * src/pages/ with an index.ts exporting `mount`, and a `load` here.
 */
export const PAGES: readonly PageDefinition[] = [
  {
    id: 'slope',
    title: 'Slope and the derivative',
    summary: 'Rise over run between two points, the secant turning into the tangent as h shrinks, and the error of each way to compute a derivative.',
    load: () => import('../pages/slope/index.js'),
  },
  {
    id: 'expression',
    title: 'The derivative as an expression',
    summary: 'The simplified derivative in mathematical notation, with the rules applied step by step: the chain rule, partial derivatives and the limit definition.',
    load: () => import('../pages/expression/index.js'),
  },
  {
    id: 'gradient',
    title: 'Gradients and directional derivatives',
    summary: 'f(x, y) as a contour map with gradient arrows, the directional derivative as a dot product, and the critical points labelled.',
    load: () => import('../pages/gradient/index.js'),
  },
  {
    id: 'descent',
    title: 'Gradient descent',
    summary: 'Optimisers racing downhill from a point you choose, their paths on the contour map and their losses on a log scale.',
    load: () => import('../pages/descent/index.js'),
  },
  {
    id: 'backprop',
    title: 'The chain rule and backpropagation',
    summary: 'The computational graph of an expression, values flowing forward and adjoints flowing back, step by step.',
    load: () => import('../pages/backprop/index.js'),
  },
  {
    id: 'training',
    title: 'Training',
    summary: 'A line, a logistic regression or a small network fitted to 2-D data, with the fitted curve or decision boundary and the loss redrawn live.',
    load: () => import('../pages/training/index.js'),
  },
];

export const DEFAULT_PAGE = PAGES[0]!;

export function findPage(id: string | undefined): PageDefinition | undefined {
  return PAGES.find((p) => p.id === id);
}
