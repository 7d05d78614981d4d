/** `node bin/linka.js ARGS` as a child process, its output collected; killed after `timeoutMs` (the caller sees signal-less code null). */
import { spawn } from 'node:child_process';
import { BIN } from './child-linka.js';

export interface LinkaRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runLinka(args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<LinkaRun> {
  return runProcess(process.execPath, [BIN, ...args], opts);
}

/** Any command (`bash -c ...`) as a child process, the same way. */
export function runProcess(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<LinkaRun> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 25_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
