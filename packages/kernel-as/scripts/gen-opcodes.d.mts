// Types of scripts/gen-opcodes.mjs for the tests.
export interface OpcodeRow {
  name: string;
  code: number;
  arity: number;
}
export function readOpcodes(file?: string): OpcodeRow[];
export function assemblyScriptSource(ops: OpcodeRow[]): string;
export function typeScriptSource(ops: OpcodeRow[]): string;
export function genOpcodes(): OpcodeRow[];
