export { parse, MAX_DEPTH } from './parse.js';
export type * from './ast.js';
