#!/usr/bin/env node
// The `nudge` command. A committed launcher (npm links a workspace bin only
// when its file exists at install time); the code it runs is built into dist/.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('nudge: the CLI is not built yet: run `npm install` (or `npm run build`) at the root of the Nudge repository\n');
  process.exit(2);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
