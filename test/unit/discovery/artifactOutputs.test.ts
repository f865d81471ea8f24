import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { expandBraces, isGlobPattern, resolveArtifactOutputs } from '../../../src/core/validation/artifactOutputs';
import { listSchemas, resolveSchema } from '../../../src/core/validation/workflowSchemas';

const change = '/p/openspec/changes/c1';

describe('artifact outputs', () => {
  it('tells globs from plain names and expands braces', () => {
    assert.equal(isGlobPattern('tasks.md'), false);
    assert.equal(isGlobPattern('specs/**/*.md'), true);
    assert.equal(isGlobPattern('{a,b}.md'), true);
    assert.equal(isGlobPattern('{a}.md'), false);
    assert.deepEqual(expandBraces('x/{a,b/{c,d}}.md'), ['x/a.md', 'x/b/c.md', 'x/b/d.md']);
  });

  it('matches files the way the glob library does (dot names excluded, ** may be empty)', async () => {
    const fs = new MemoryFileSystem({
      [`${change}/specs/a/spec.md`]: '',
      [`${change}/specs/top.md`]: '',
      [`${change}/specs/.hidden/spec.md`]: '',
      [`${change}/specs/b/.note.md`]: '',
      [`${change}/specs/b/c/x.txt`]: '',
      [`${change}/tasks.md`]: '',
    });
    assert.deepEqual(await resolveArtifactOutputs(fs, change, 'specs/**/*.md'), [
      `${change}/specs/a/spec.md`,
      `${change}/specs/top.md`,
    ]);
    assert.deepEqual(await resolveArtifactOutputs(fs, change, 'tasks.md'), [`${change}/tasks.md`]);
    assert.deepEqual(await resolveArtifactOutputs(fs, change, 'design.md'), []);
    assert.deepEqual(await resolveArtifactOutputs(fs, change, 'specs/[ab]/*'), [`${change}/specs/a/spec.md`]);
  });
});

describe('workflow schemas', () => {
  it('lists the built-in and project schemas, skipping transient folders', async () => {
    const fs = new MemoryFileSystem({
      '/p/openspec/schemas/mine/schema.yaml': '',
      '/p/openspec/schemas/.fork-staging-1/schema.yaml': '',
      '/p/openspec/schemas/no-file/readme.md': '',
    });
    assert.deepEqual(await listSchemas(fs, '/p'), ['mine', 'spec-driven']);
  });

  it('loads the built-in schema and reports a missing one with the available names', async () => {
    const fs = new MemoryFileSystem();
    const builtIn = await resolveSchema(fs, 'spec-driven.yaml', '/p');
    assert.equal(builtIn.apply?.tracks, 'tasks.md');
    await assert.rejects(
      resolveSchema(fs, 'other', '/p'),
      /^Error: Schema 'other' not found\. Available schemas: spec-driven$/,
    );
  });
});
