import { spawn } from 'node:child_process';

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Set when the process could not start or was killed for running too long. */
  failure?: string;
}

export interface CliCall {
  script: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Runs `node <script> ...args` and collects its output; never rejects. */
export function runCli(call: CliCall): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [call.script, ...call.args], {
      cwd: call.cwd,
      env: call.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `timed out after ${call.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, call.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      failure = `could not start: ${error.message}`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        exitCode: code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Date.now() - started,
        ...(failure === undefined ? {} : { failure }),
      });
    });
  });
}

/** Runs async jobs with at most `limit` in flight, keeping results in input order. */
export async function runPool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (job) results[index] = await job();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, () => worker()));
  return results;
}
