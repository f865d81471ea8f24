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

  it('suggests what the full comparison of every candidate suggests, ties in their order', () => {
    // The plain definition the CLI uses: every distance in full, a stable sort, the first five.
    const plainDistance = (a: string, b: string): number => {
      let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++)
          current[j] = Math.min(
            previous[j]! + 1,
            current[j - 1]! + 1,
            previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
        previous = current;
      }
      return previous[b.length]!;
    };
    const plain = (input: string, candidates: string[]) =>
      candidates
        .map((candidate) => ({ candidate, distance: plainDistance(input, candidate) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, 5)
        .map((scored) => scored.candidate);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = (length: number) => Array.from({ length }, () => 'abcde-/'[Math.floor(random() * 7)]).join('');
    for (let round = 0; round < 300; round++) {
      const candidates = Array.from({ length: 1 + Math.floor(random() * 30) }, () => word(Math.floor(random() * 12)));
      const input = round % 50 === 0 ? word(2000) : word(Math.floor(random() * 12));
      assert.deepEqual(nearestMatches(input, candidates), plain(input, candidates), `input ${input.slice(0, 40)}`);
    }
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
