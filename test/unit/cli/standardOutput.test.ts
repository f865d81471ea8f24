import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixtureWorkspace, REPO_ROOT, type WorkspaceCopy } from '../../harness/repoPaths';
import { CLI, runCli } from './builtCli';

/**
 * What the CLI prints reaches a pipe whole, however the reader behaves: one that waits, one that has gone. The
 * CLI writes to its descriptors directly where it can (src/cli/output.ts), so these run it in child processes
 * on real pipes.
 */
interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  args: readonly string[],
  cwd: string,
  onStart: (child: ReturnType<typeof spawn>) => void = () => undefined,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onStart(child);
  });
}

const OUTPUT_MODULE = join(REPO_ROOT, 'out', 'src', 'cli', 'output.js');

describe('the CLI on its standard output', function () {
  this.timeout(30000);
  let workspace: WorkspaceCopy;

  before(() => assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`));
  beforeEach(() => (workspace = copyFixtureWorkspace('basic')));
  afterEach(() => workspace.dispose());

  it('hands a reader that waits every line in order, even on a pipe left non-blocking', async () => {
    // Creating process.stdout makes the pipe non-blocking, as a Node parent sharing it does: 2 MB then cannot
    // go in one write while the reader waits, and the rest has to follow through the stream.
    const script = `
      void process.stdout.writable;
      const { StandardDescriptor } = require(${JSON.stringify(OUTPUT_MODULE)});
      const out = new StandardDescriptor(1, () => process.stdout);
      for (let i = 0; i < 4000; i++) out.write('line ' + i + ' ' + 'x'.repeat(500) + '\\n');`;
    const result = await run(['-e', script], workspace.path, (child) => {
      child.stdout?.pause();
      setTimeout(() => child.stdout?.resume(), 300);
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 4000);
    lines.forEach((line, i) => assert.equal(line, `line ${i} ${'x'.repeat(500)}`));
  });

  it('ends as it would have, without an error, when the reader has gone (as with "| head")', async () => {
    const withReader = await runCli(['validate', '--all', '--json'], workspace.path);
    assert.ok(withReader.stdout.includes('"items"'), withReader.stderr);
    const withoutReader = await run([CLI, 'validate', '--all', '--json'], workspace.path, (child) =>
      child.stdout?.destroy(),
    );
    assert.equal(withoutReader.code, withReader.code);
    assert.equal(withoutReader.stderr, '');
  });
});
