import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { resolveOpenSpecRoot } from '../../../src/core/validation/projectRoot';
import { validateItems, type ValidationRun } from '../../../src/core/validation/validateItems';
import { VerdictCache, type SavedVerdicts } from '../../../src/core/validation/verdictCache';
import { authSpec } from './authSpec';

const modifiedLogin = [
  '## MODIFIED Requirements',
  '### Requirement: Login',
  'The system SHALL let users log in with a password or a passkey.',
  '',
  '#### Scenario: Valid password',
  '- **WHEN** a user submits a valid password',
  '- **THEN** the user is logged in',
  '',
].join('\n');

const addedLogout = [
  '## ADDED Requirements',
  '### Requirement: Logout',
  'The system SHALL let users log out.',
  '',
  '#### Scenario: Log out',
  '- **WHEN** a user logs out',
  '- **THEN** the session ends',
  '',
].join('\n');

function project(): MemoryFileSystem {
  return new MemoryFileSystem({
    '/p/openspec/config.yaml': 'schema: spec-driven\n',
    '/p/openspec/specs/auth/spec.md': authSpec(['Valid password']),
    '/p/openspec/specs/billing/spec.md': authSpec(['Valid password']).replace('# auth', '# billing'),
    '/p/openspec/changes/passkeys/specs/auth/spec.md': modifiedLogin,
    '/p/openspec/changes/passkeys/tasks.md': '## 1. Passkeys\n- [ ] 1.1 Add passkeys\n',
    '/p/openspec/changes/add-logout/specs/auth/spec.md': addedLogout,
    '/p/openspec/changes/add-logout/tasks.md': '## 1. Logout\n- [x] 1.1 Add logout\n',
  });
}

const PLANTED = 'answered from the saved verdict';

/** Saved verdicts whose every entry says PLANTED: wherever it shows, the saved verdict was reused. */
function planted(saved: SavedVerdicts): SavedVerdicts {
  const verdicts = Object.fromEntries(
    Object.entries(saved.verdicts).map(([item, verdict]) => [
      item,
      { ...verdict, valid: true, issues: [{ level: 'INFO' as const, path: 'file', message: PLANTED }] },
    ]),
  );
  return { ...saved, verdicts };
}

async function validate(fs: MemoryFileSystem, verdicts?: VerdictCache, strict = false): Promise<ValidationRun> {
  const root = await resolveOpenSpecRoot(fs, '/p', { allowImplicitRoot: false });
  return validateItems(
    fs,
    root,
    { kind: 'bulk', changes: true, specs: true },
    { strict, now: () => 0, ...(verdicts ? { verdicts } : {}) },
  );
}

/** A first run that saves, its verdicts planted, then `edit`: returns the run that reused them, and a fresh one. */
async function afterEdit(edit: (fs: MemoryFileSystem) => void) {
  const fs = project();
  const first = VerdictCache.restore(undefined, 'k', Date.now());
  await validate(fs, first);
  edit(fs);
  const again = VerdictCache.restore(planted(first.toSaved()), 'k', Date.now());
  return { reused: await validate(fs, again), fresh: await validate(fs), cache: again };
}

function reusedItems(run: ValidationRun): string[] {
  return run.items
    .filter((item) => item.issues.some((issue) => issue.message === PLANTED))
    .map((item) => `${item.type} ${item.id}`)
    .sort();
}

/** The reused run equals a fresh one on every item whose files changed. */
function assertFreshWhereChanged(reused: ValidationRun, fresh: ValidationRun, changed: string[]): void {
  for (const name of changed) {
    const [type, id] = name.split(' ');
    const pick = (run: ValidationRun) => run.items.find((item) => item.type === type && item.id === id);
    assert.deepEqual(pick(reused), pick(fresh), `${name} validated afresh`);
  }
}

describe('saved validation verdicts', () => {
  it('answers every item from saved verdicts while nothing changed, with the same verdicts as a fresh run', async () => {
    const fs = project();
    const cache = VerdictCache.restore(undefined, 'k', Date.now());
    const first = await validate(fs, cache);
    assert.deepEqual(first, await validate(fs), 'a recording run reports what a plain run does');
    assert.equal(cache.changed, true);
    const saved = JSON.parse(JSON.stringify(cache.toSaved())) as SavedVerdicts;
    const again = VerdictCache.restore(saved, 'k', Date.now());
    assert.deepEqual(await validate(fs, again), first);
    assert.equal(again.changed, false, 'nothing to save when every verdict held');
    const all = first.items.map((item) => `${item.type} ${item.id}`).sort();
    assert.deepEqual(reusedItems(await validate(fs, VerdictCache.restore(planted(saved), 'k', Date.now()))), all);
  });

  it('re-validates the changes whose deltas touch an edited main spec, and the spec, but not the others', async () => {
    const { reused, fresh } = await afterEdit((fs) =>
      fs.writeFile('/p/openspec/specs/auth/spec.md', authSpec(['Valid password', 'Locked account'])),
    );
    // Both changes carry a delta for auth: one checks the scenarios it keeps, the other dry-runs its merge.
    assert.deepEqual(reusedItems(reused), ['spec billing']);
    assertFreshWhereChanged(reused, fresh, ['change passkeys', 'change add-logout', 'spec auth']);
    const passkeys = fresh.items.find((item) => item.id === 'passkeys');
    assert.ok(
      passkeys?.issues.some((issue) => issue.message.includes('Locked account')),
      'the fresh verdict sees the scenario the edit added',
    );
  });

  it('re-validates a change when a file appears in, or leaves, one of its folders', async () => {
    const added = await afterEdit((fs) => fs.writeFile('/p/openspec/changes/add-logout/specs/spec.md', addedLogout));
    assert.deepEqual(reusedItems(added.reused), ['change passkeys', 'spec auth', 'spec billing']);
    assertFreshWhereChanged(added.reused, added.fresh, ['change add-logout']);
    assert.equal(added.fresh.items.find((item) => item.id === 'add-logout')?.valid, false);

    const removed = await afterEdit((fs) => fs.delete('/p/openspec/changes/passkeys/tasks.md'));
    assert.ok(!reusedItems(removed.reused).includes('change passkeys'));
    assertFreshWhereChanged(removed.reused, removed.fresh, ['change passkeys']);
  });

  it('re-validates a change when the main spec its delta would create appears, or a file becomes a folder', async () => {
    const addSearch = (fs: MemoryFileSystem) =>
      fs.writeFile(
        '/p/openspec/changes/add-search/specs/search/spec.md',
        addedLogout.replace(/Logout|log out/g, 'Search'),
      );
    const fs = project();
    addSearch(fs);
    const first = VerdictCache.restore(undefined, 'k', Date.now());
    await validate(fs, first);
    assert.ok(
      !first
        .toSaved()
        .observations.some(([question, path]) => question === 'list' && path === '/p/openspec/specs/search'),
      "the missing folder's failed listing is not kept: the listing of specs/ shows it is missing",
    );
    fs.writeFile('/p/openspec/specs/search/spec.md', authSpec(['Log in']).replace('# auth', '# search'));
    const appeared = {
      reused: await validate(fs, VerdictCache.restore(planted(first.toSaved()), 'k', Date.now())),
      fresh: await validate(fs),
    };
    assert.ok(!reusedItems(appeared.reused).includes('change add-search'), 'the main spec that appeared is seen');
    assert.ok(reusedItems(appeared.reused).includes('spec auth'), 'the other verdicts still hold');
    assertFreshWhereChanged(appeared.reused, appeared.fresh, ['change add-search']);

    const folder = await afterEdit((fs) => {
      fs.delete('/p/openspec/changes/passkeys/tasks.md');
      fs.writeFile('/p/openspec/changes/passkeys/tasks.md/1.md', '- [ ] 1.1 Add passkeys\n');
    });
    assert.ok(!reusedItems(folder.reused).includes('change passkeys'));
    assertFreshWhereChanged(folder.reused, folder.fresh, ['change passkeys']);
  });

  it("re-validates every change when the project's config changes, since task checks read it", async () => {
    const { reused, fresh } = await afterEdit((fs) =>
      fs.writeFile('/p/openspec/config.yaml', 'schema: spec-driven\nrules:\n  tasks: [keep them small]\n'),
    );
    assert.deepEqual(
      reusedItems(reused).filter((item) => item.startsWith('change')),
      [],
    );
    assertFreshWhereChanged(reused, fresh, ['change passkeys', 'change add-logout']);
  });

  it('validates a new change afresh and forgets the verdict of a change that is gone', async () => {
    const { reused, fresh, cache } = await afterEdit((fs) => {
      fs.writeFile('/p/openspec/changes/add-audit/specs/auth/spec.md', addedLogout.replace(/Logout|log out/g, 'Audit'));
      fs.delete('/p/openspec/changes/add-logout');
    });
    assertFreshWhereChanged(reused, fresh, ['change add-audit']);
    assert.deepEqual(Object.keys(cache.toSaved().verdicts).sort(), [
      'change plain add-audit',
      'change plain passkeys',
      'spec plain auth',
      'spec plain billing',
    ]);
  });

  it('keeps strict and plain verdicts apart', async () => {
    const fs = project();
    fs.writeFile(
      '/p/openspec/specs/billing/spec.md',
      authSpec(['Valid password']).replace('SHALL', 'SHALL, sometimes,'),
    );
    const cache = VerdictCache.restore(undefined, 'k', Date.now());
    await validate(fs, cache, false);
    const strict = await validate(fs, VerdictCache.restore(planted(cache.toSaved()), 'k', Date.now()), true);
    assert.deepEqual(reusedItems(strict), []);
    assert.deepEqual(strict, await validate(fs, undefined, true));
  });

  it('reuses nothing saved under another key, and survives saved data that is damaged', async () => {
    const fs = project();
    const cache = VerdictCache.restore(undefined, 'k', Date.now());
    const fresh = await validate(fs, cache);
    const saved = planted(cache.toSaved());
    assert.deepEqual(reusedItems(await validate(fs, VerdictCache.restore(saved, 'other code', Date.now()))), []);
    const firstItem = Object.keys(saved.verdicts)[0]!;
    const damaged: unknown[] = [
      'not json at all',
      null,
      { ...saved, format: 1 },
      { ...saved, observations: [['read', 42, 'x']] },
      { ...saved, verdicts: { [firstItem]: { valid: 'yes', issues: [], uses: [] } } },
      { ...saved, verdicts: { [firstItem]: { ...saved.verdicts[firstItem]!, uses: [1e9] } } },
      { ...saved, verdicts: { [firstItem]: { ...saved.verdicts[firstItem]!, issues: [{ level: 'ERROR' }] } } },
    ];
    const nameOf = (key: string) => key.replace(' plain ', ' ');
    for (const data of damaged) {
      const run = await validate(fs, VerdictCache.restore(data, 'k', Date.now()));
      const reused = new Set(reusedItems(run));
      assert.ok(!reused.has(nameOf(firstItem)), `${JSON.stringify(data)}: the damaged entry is not reused`);
      const validatedAfresh = (items: ValidationRun['items']) =>
        items.filter((item) => !reused.has(`${item.type} ${item.id}`));
      assert.deepEqual(validatedAfresh(run.items), validatedAfresh(fresh.items));
    }
  });
});
