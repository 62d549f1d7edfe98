import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The real `nudge` command, run as a process, as a person or a script would. */
export const bin = fileURLToPath(new URL('../../bin/nudge.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function nudge(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs with --json and expects exit 0, nothing on stderr and one line of JSON. */
export async function json(...args: string[]): Promise<Record<string, any>> {
  const r = await nudge(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout);
}

/** Starts `nudge` with extra environment variables, for tests that signal it while it runs. */
export function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Runs `nudge` with a progress bar forced on, sends Ctrl-C (SIGINT) once the
 * first progress line shows the loop is running, and resolves to the exit
 * code and what was printed on stdout.
 */
export async function interrupted(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = start(args, { NUDGE_FORCE_PROGRESS: '1' });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  await new Promise<void>((resolve) => child.stderr!.once('data', () => resolve()));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout };
}
