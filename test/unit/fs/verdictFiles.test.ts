import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SavedVerdicts } from '../../../src/core/validation/verdictCache';
import { VerdictFiles, userCacheFolder } from '../../../src/node/verdictFiles';

const saved = (key: string): SavedVerdicts => ({
  format: 2,
  key,
  observations: [['read', '/p/openspec/specs/a/spec.md', 'abc']],
  verdicts: { 'spec plain a': { valid: true, issues: [], uses: [0] } },
});

describe('verdict files in the user cache folder', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'openspec-loop-verdicts-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps one file per project and reads back what it saved', async () => {
    const files = new VerdictFiles(join(folder, 'validate'));
    assert.equal(files.load('/p'), undefined, 'nothing saved yet');
    await files.save('/p', saved('one'));
    await files.save('/q', saved('two'));
    assert.deepEqual(files.load('/p'), saved('one'));
    assert.deepEqual(files.load('/q'), saved('two'));
    assert.equal(readdirSync(join(folder, 'validate')).length, 2);
  });

  it('treats a damaged file as nothing saved', async () => {
    const files = new VerdictFiles(folder);
    await files.save('/p', saved('one'));
    const [name] = readdirSync(folder);
    writeFileSync(join(folder, name!), '{"format":1,"key":');
    assert.equal(files.load('/p'), undefined);
  });

  it('keeps the 64 projects validated last', async () => {
    const files = new VerdictFiles(folder);
    for (let i = 0; i < 70; i++) {
      const before = new Set(readdirSync(folder));
      await files.save(`/project-${i}`, saved(String(i)));
      const written = readdirSync(folder).find((name) => !before.has(name));
      // Each project a second apart, so the order does not depend on the file system's clock resolution.
      utimesSync(join(folder, written!), 1_000_000 + i, 1_000_000 + i);
    }
    assert.equal(readdirSync(folder).length, 64);
    assert.deepEqual(files.load('/project-69'), saved('69'));
    assert.equal(files.load('/project-0'), undefined);
  });

  it("is $OPENSPEC_LOOP_CACHE when set, else the platform's cache folder", () => {
    assert.equal(userCacheFolder({ OPENSPEC_LOOP_CACHE: '/c' }, 'linux', '/home/u'), '/c');
    assert.equal(userCacheFolder({}, 'linux', '/home/u'), '/home/u/.cache/openspec-loop');
    assert.equal(userCacheFolder({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u'), '/x/openspec-loop');
    assert.equal(userCacheFolder({}, 'darwin', '/Users/u'), '/Users/u/Library/Caches/openspec-loop');
    assert.equal(
      userCacheFolder({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u').replace(/\\/g, '/'),
      'C:/Users/u/AppData/Local/openspec-loop/Cache',
    );
  });
});
