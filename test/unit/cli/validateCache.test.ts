import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/repoPaths';
import { runCli } from './builtCli';

/** The reports of two runs, times aside. */
const report = (stdout: string) => stdout.replace(/"durationMs":\s*[0-9.]+/g, '"durationMs":0');

describe('openspec-loop validate --all keeps verdicts between runs (built CLI)', function () {
  this.timeout(60_000);
  let scratch: string;
  let project: string;
  let cache: string;
  beforeEach(() => {
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'openspec-loop-validate-cache-')));
    project = join(scratch, 'project');
    cache = join(scratch, 'cache');
    cpSync(join(REPO_ROOT, 'examples', 'sample-project'), project, { recursive: true });
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const validate = (...extra: string[]) =>
    runCli(['validate', '--all', '--json', ...extra], project, { env: { OPENSPEC_LOOP_CACHE: cache } });

  it('saves them in the cache folder and prints the same report from them', async () => {
    const first = await validate();
    assert.deepEqual(readdirSync(join(cache, 'validate')).length, 1, 'one file for the project');
    const second = await validate();
    assert.equal(second.code, first.code);
    assert.equal(report(second.stdout), report(first.stdout));
    assert.equal(second.stderr, '');
  });

  it('reports an edit made after the run that saved them, as a run without them does', async () => {
    await validate();
    const spec = join(project, 'openspec', 'specs', 'notes', 'spec.md');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('## Requirements', '## Requirement list'));
    const edited = await validate();
    const fresh = await validate('--no-cache');
    assert.equal(edited.code, 1);
    assert.equal(report(edited.stdout), report(fresh.stdout));
    assert.match(edited.stdout, /"id": "notes",\s*"type": "spec",\s*"valid": false/);
  });

  it('still reports when the cache folder cannot be written, with one warning', async () => {
    writeFileSync(cache, 'a file where the folder should be');
    const run = await validate();
    const fresh = await validate('--no-cache');
    assert.equal(run.code, fresh.code);
    assert.equal(report(run.stdout), report(fresh.stdout));
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^Warning: could not save the validation cache \(.+\); pass --no-cache to skip it\.$/);
  });
});
