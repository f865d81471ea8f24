import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import {
  describeNestedChange,
  findNestedChangesIn,
  itemNameProblem,
  listChangeIds,
  listSpecIds,
  nearestMatches,
} from '../../../src/core/validation/itemDiscovery';

const changes = '/p/openspec/changes';

describe('item discovery', () => {
  it('lists change folders except archive and dot folders, sorted', async () => {
    const fs = new MemoryFileSystem({ [`${changes}/stray.md`]: '' });
    for (const dir of ['b-change', 'a-change', 'archive', '.hidden']) fs.mkdir(`${changes}/${dir}`);
    assert.deepEqual(await listChangeIds(fs, changes), ['a-change', 'b-change']);
    assert.deepEqual(await listChangeIds(new MemoryFileSystem(), changes), []);
  });

  it('lists nested spec ids', async () => {
    const fs = new MemoryFileSystem({
      '/p/openspec/specs/audit/log/spec.md': '',
      '/p/openspec/specs/auth/spec.md': '',
    });
    assert.deepEqual(await listSpecIds(fs, '/p/openspec/specs'), ['audit/log', 'auth']);
  });

  it('suggests the nearest names, closest first, at most five', () => {
    assert.deepEqual(nearestMatches('auht', ['zzzzzz', 'auth', 'audit/log', 'a', 'b', 'c', 'd']), [
      'auth',
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('checks change names whole and spec ids per segment', () => {
    assert.equal(itemNameProblem('change', 'a/b'), 'Change name must not contain path separators');
    assert.equal(itemNameProblem('spec', 'audit/log'), null);
    assert.equal(itemNameProblem('spec', 'audit/..'), "Spec id must not be '..'");
    assert.equal(itemNameProblem('change', ''), 'Change name must not be empty');
  });

  it('detects a namespace folder wrapping nested changes', async () => {
    const fs = new MemoryFileSystem({
      [`${changes}/mobile/refresh-token/proposal.md`]: '# p',
      [`${changes}/mobile/ios/login/specs/auth/spec.md`]: '## ADDED Requirements',
      [`${changes}/ordinary/tasks.md`]: '',
      [`${changes}/with-file/README`]: '',
      [`${changes}/with-file/inner/proposal.md`]: '',
    });
    fs.mkdir(`${changes}/empty`);
    const finding = await findNestedChangesIn(fs, changes, 'mobile');
    assert.deepEqual(finding, { name: 'mobile', nested: ['mobile/ios/login', 'mobile/refresh-token'] });
    assert.match(
      describeNestedChange(finding),
      /^"mobile" is not a change: it is a folder wrapping openspec\/changes\/mobile\/ios\/login\/, /,
    );
    assert.match(describeNestedChange(finding), /\(for example "mobile-ios-login"\)\.$/);
    assert.equal(await findNestedChangesIn(fs, changes, 'ordinary'), undefined);
    assert.equal(await findNestedChangesIn(fs, changes, 'with-file'), undefined);
    assert.equal(await findNestedChangesIn(fs, changes, 'empty'), undefined);
  });
});
