import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { readSkipSpecsMarker, resolveSchemaForChange } from '../../../src/core/validation/changeMetadata';

const change = '/p/openspec/changes/c1';
const meta = `${change}/.openspec.yaml`;

describe('change metadata', () => {
  it('is not declared without a metadata file or with skip_specs false', async () => {
    assert.deepEqual(await readSkipSpecsMarker(new MemoryFileSystem(), change), { declared: false });
    const fs = new MemoryFileSystem({ [meta]: 'schema: spec-driven\nskip_specs: false\n' });
    assert.deepEqual(await readSkipSpecsMarker(fs, change), { declared: false });
  });

  it('honors skip_specs only with valid metadata naming a known schema', async () => {
    const ok = new MemoryFileSystem({ [meta]: 'schema: spec-driven\nskip_specs: true\n' });
    assert.deepEqual(await readSkipSpecsMarker(ok, change), { declared: true });
    const unknown = new MemoryFileSystem({ [meta]: 'schema: nope\nskip_specs: true\n' });
    assert.deepEqual(await readSkipSpecsMarker(unknown, change), {
      declared: false,
      invalidReason: "schema: unknown schema 'nope'",
    });
    const missing = new MemoryFileSystem({ [meta]: 'skip_specs: true\n' });
    assert.deepEqual(await readSkipSpecsMarker(missing, change), {
      declared: false,
      invalidReason: 'schema: Invalid input: expected string, received undefined',
    });
    const notBoolean = new MemoryFileSystem({ [meta]: 'schema: spec-driven\nskip_specs: "yes"\n' });
    assert.deepEqual(await readSkipSpecsMarker(notBoolean, change), {
      declared: false,
      invalidReason: 'skip_specs: Invalid input: expected boolean, received string',
    });
  });

  it('reports broken YAML only when it mentions the marker', async () => {
    const mentioned = new MemoryFileSystem({ [meta]: 'skip_specs: true\nschema: [unclosed\n' });
    assert.deepEqual(await readSkipSpecsMarker(mentioned, change), {
      declared: false,
      invalidReason: 'the file is not valid YAML',
    });
    const silent = new MemoryFileSystem({ [meta]: '# skip_specs: maybe\nschema: [unclosed\n' });
    assert.deepEqual(await readSkipSpecsMarker(silent, change), { declared: false });
  });

  it('accepts a project-local schema and reports one that does not load', async () => {
    const good =
      'name: mine\nversion: 1\nartifacts:\n  - id: tasks\n    generates: todo.md\n    description: d\n    template: t.md\n';
    const fs = new MemoryFileSystem({
      [meta]: 'schema: mine\nskip_specs: true\n',
      '/p/openspec/schemas/mine/schema.yaml': good,
    });
    assert.deepEqual(await readSkipSpecsMarker(fs, change), { declared: true });
    fs.writeFile('/p/openspec/schemas/mine/schema.yaml', 'name: mine\nversion: 0\nartifacts: []\n');
    const result = await readSkipSpecsMarker(fs, change);
    assert.equal(result.declared, false);
    assert.match(
      result.invalidReason ?? '',
      /^Invalid schema at '\/p\/openspec\/schemas\/mine\/schema.yaml': Invalid schema: version: /,
    );
  });

  it('resolves the schema from metadata, then project config, then the default', async () => {
    const fs = new MemoryFileSystem({ '/p/openspec/config.yaml': 'schema: from-config\n' });
    fs.mkdir(change);
    assert.equal(await resolveSchemaForChange(fs, change, '/p'), 'from-config');
    fs.writeFile(meta, 'schema: spec-driven\n');
    assert.equal(await resolveSchemaForChange(fs, change, '/p'), 'spec-driven');
    assert.equal(await resolveSchemaForChange(new MemoryFileSystem(), change, '/p'), 'spec-driven');
    const invalid = new MemoryFileSystem({ [meta]: 'schema: unknown-one\n' });
    await assert.rejects(resolveSchemaForChange(invalid, change, '/p'), /Unknown schema 'unknown-one'/);
  });
});
