// Types of scripts/gen-opcodes.mjs for the tests.
export interface OpcodeRow {
  name: string;
  code: number;
  arity: number;
  /** b is an integer immediate, not a slot (slice). */
  immediate?: boolean;
}
export function readOpcodes(file?: string): OpcodeRow[];
export function readOpcodeGroups(file?: string): { ops: OpcodeRow[]; vector: OpcodeRow[] };
export function assemblyScriptSource(ops: OpcodeRow[], vector?: OpcodeRow[]): string;
export function typeScriptSource(ops: OpcodeRow[], vector?: OpcodeRow[]): string;
export function dispatchSource(ops: OpcodeRow[], vector?: OpcodeRow[]): string;
export function rowName(name: string): string;
export function genOpcodes(): OpcodeRow[];
/** One op export: `op_<op>_<rule>`, its parameters' names (all f64; it returns an f64). */
export interface OpExportRow {
  name: string;
  op: string;
  rule: 'ev' | 'd' | 'da' | 'db' | 'jvp';
  params: string[];
}
export function rowsWithJvp(source?: string): Set<string>;
export function opExportList(ops: OpcodeRow[], jvpRows?: Set<string>): OpExportRow[];
export function opExportsAssemblyScript(list: OpExportRow[]): string;
export function opExportsTypeScript(list: OpExportRow[]): string;
