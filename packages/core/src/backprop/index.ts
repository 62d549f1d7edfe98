/**
 * Backpropagation, shown: `backprop(f, at)` gives the computational graph
 * with forward values, adjoints and the chain rule edge by edge, as data;
 * `backpropDot(result)` writes it as Graphviz DOT.
 */
export { backprop, MAX_BACKPROP_NODES, MAX_BACKPROP_PRINTED, type BackpropOptions } from './backprop.js';
export { backpropDot } from './dot.js';
export type { BackpropEdge, BackpropNode, BackpropNodeKind, BackpropResult } from './types.js';
