import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { SpecMergeError, type SpecMergeRefusal } from '../../../src/core/validation/specMergeError';
import {
  buildUpdatedSpecText,
  checkSpecMerge,
  checkUpdatedSpec,
  findSpecUpdates,
  type SpecMergeInput,
  type SpecMergeResult,
} from '../../../src/core/validation/specsApply';
import { rename, requirement, section, widgetsSpec } from './fixtures';

const target = '/p/openspec/specs/widgets/spec.md';

/** `main` null stands for a capability without a main spec. */
function mergeInput(delta: string, main: string | null = widgetsSpec): SpecMergeInput {
  return {
    specId: 'widgets',
    changeName: 'my-change',
    deltaContent: delta,
    mainContent: main ?? undefined,
    targetFile: target,
  };
}

function merge(delta: string, main: string | null = widgetsSpec): SpecMergeResult {
  return buildUpdatedSpecText(mergeInput(delta, main));
}

/** The refusal, which validate's archive dry run (checkSpecMerge) must make in the same words as archive. */
function refusal(delta: string, main: string | null = widgetsSpec): { reason: SpecMergeRefusal; message: string } {
  const refused = (attempt: () => unknown): { reason: SpecMergeRefusal; message: string } => {
    try {
      attempt();
    } catch (error) {
      assert.ok(SpecMergeError.is(error), `expected a SpecMergeError, got ${String(error)}`);
      return { reason: error.reason, message: error.message };
    }
    assert.fail('expected the merge to be refused');
  };
  const archived = refused(() => merge(delta, main));
  assert.deepEqual(
    refused(() => checkSpecMerge(mergeInput(delta, main))),
    archived,
    'the dry run refuses alike',
  );
  return archived;
}

describe('buildUpdatedSpecText: refusals in archive wording', () => {
  const cases: Array<[string, string, SpecMergeRefusal, string]> = [
    [
      'unpaired FROM',
      section('RENAMED', '- FROM: `### Requirement: Spin`'),
      'unpaired-rename',
      'widgets validation failed - RENAMED entry on line 2 has no matching TO: for header "### Requirement: Spin". Write each rename as a FROM: line followed immediately by its TO: line.',
    ],
    [
      'duplicate ADDED',
      section('ADDED', requirement('Dup', 'S'), requirement('Dup', 'S')),
      'duplicate',
      'widgets validation failed - duplicate requirement in ADDED for header "### Requirement: Dup"',
    ],
    [
      'duplicate REMOVED',
      section('REMOVED', '### Requirement: Spin', '- `### Requirement: Spin`'),
      'duplicate',
      'widgets validation failed - duplicate requirement in REMOVED for header "### Requirement: Spin"',
    ],
    [
      'duplicate FROM',
      section('RENAMED', rename('Spin', 'A'), rename('Spin', 'B')),
      'duplicate',
      'widgets validation failed - duplicate FROM in RENAMED for header "### Requirement: Spin"',
    ],
    [
      'duplicate TO',
      section('RENAMED', rename('Spin', 'A'), rename('Color', 'A')),
      'duplicate',
      'widgets validation failed - duplicate TO in RENAMED for header "### Requirement: A"',
    ],
    [
      'MODIFIED and REMOVED',
      section('MODIFIED', requirement('Spin', 'Spins fast', 'Stops')) + section('REMOVED', '### Requirement: Spin'),
      'conflict',
      'widgets validation failed - requirement present in multiple sections (MODIFIED and REMOVED) for header "### Requirement: Spin"',
    ],
    [
      'RENAMED and REMOVED spelled differently',
      section('RENAMED', rename('Spin', 'Rotate')) + section('REMOVED', '### Requirement: spin'),
      'conflict',
      'widgets validation failed - requirement present in multiple sections (RENAMED and REMOVED) for header "### Requirement: Spin" (REMOVED spells it "spin")',
    ],
    [
      'MODIFIED names the old header',
      section('RENAMED', rename('Spin', 'Rotate')) + section('MODIFIED', requirement('Spin', 'Spins fast', 'Stops')),
      'conflict',
      'widgets validation failed - when a rename exists, MODIFIED must reference the NEW header "### Requirement: Rotate"',
    ],
    [
      'RENAMED TO collides with ADDED',
      section('RENAMED', rename('Spin', 'Rotate')) + section('ADDED', requirement('Rotate', 'S')),
      'conflict',
      'widgets validation failed - RENAMED TO header collides with ADDED for "### Requirement: Rotate"',
    ],
    [
      'no operations',
      '## ADDED Requirements\n\nNothing here.\n',
      'no-operations',
      'Delta parsing found no operations for widgets. Provide ADDED/MODIFIED/REMOVED/RENAMED sections in change spec.',
    ],
    [
      'rename source missing',
      section('RENAMED', rename('Ghost', 'Phantom')),
      'rename-failed',
      'widgets RENAMED failed for header "### Requirement: Ghost" - source not found',
    ],
    [
      'rename source misspelled though the target exists',
      section('RENAMED', rename('SPIN', 'Color')),
      'rename-failed',
      'widgets RENAMED failed for header "### Requirement: SPIN" - source not found, but "### Requirement: Spin" exists; fix the header to match it exactly',
    ],
    [
      'rename target exists',
      section('RENAMED', rename('Spin', 'Color')),
      'rename-failed',
      'widgets RENAMED failed for header "### Requirement: Color" - target already exists',
    ],
    [
      'rename target differs only in case',
      section('RENAMED', rename('Spin', 'color')),
      'rename-failed',
      'widgets RENAMED failed for header "### Requirement: color" - "### Requirement: Color" already exists and differs only in case or spacing; choose a distinct name',
    ],
    [
      'REMOVED misspelled',
      section('REMOVED', '### Requirement: spin'),
      'remove-failed',
      'widgets REMOVED failed for header "### Requirement: spin" - not found, but "### Requirement: Spin" exists; fix the header to match it exactly',
    ],
    [
      'MODIFIED target missing',
      section('MODIFIED', requirement('Nope', 'S')),
      'modify-failed',
      'widgets MODIFIED failed for header "### Requirement: Nope" - not found',
    ],
    [
      'MODIFIED drops a scenario',
      section('MODIFIED', requirement('Spin', 'Spins fast', 'Wobbles')),
      'modify-failed',
      'widgets MODIFIED failed for header "### Requirement: Spin" - current spec contains scenario(s) not present in the modified block: "Stops". ' +
        'The modified block has 2 scenarios; the current spec has 2 scenarios. It adds 1 scenario not in the current spec: "Wobbles". ' +
        'Refresh the change spec before archiving to avoid dropping scenarios.',
    ],
    [
      'ADDED exists with other content',
      section('ADDED', requirement('Color', 'S')),
      'add-failed',
      'widgets ADDED failed for header "### Requirement: Color" - already exists',
    ],
    [
      'ADDED differs only in case',
      section('ADDED', requirement('COLOR', 'S')),
      'add-failed',
      'widgets ADDED failed for header "### Requirement: COLOR" - "### Requirement: Color" already exists and differs only in case or spacing; use MODIFIED with that exact header to change it, or choose a distinct name',
    ],
  ];
  for (const [title, delta, reason, message] of cases) {
    it(title, () => assert.deepEqual(refusal(delta), { reason, message }));
  }

  it('refuses MODIFIED and RENAMED when the main spec does not exist', () => {
    const message =
      'widgets: target spec does not exist; only ADDED requirements are allowed for new specs. MODIFIED and RENAMED operations require an existing spec.';
    assert.deepEqual(refusal(section('MODIFIED', requirement('X', 'S')), null), {
      reason: 'missing-main-spec',
      message,
    });
    assert.deepEqual(refusal(section('RENAMED', rename('A', 'B')), null), { reason: 'missing-main-spec', message });
  });

  it('refuses a structurally invalid main spec, listing every issue with its line', () => {
    const broken = widgetsSpec + '\n### Requirement: Color\nThe widget SHALL be here again.\n';
    assert.deepEqual(refusal(section('ADDED', requirement('Extra', 'S')), broken), {
      reason: 'invalid-main-spec',
      message:
        'widgets: target spec is structurally invalid and cannot be updated until fixed:\n' +
        'line 32: Requirement header "### Requirement: Color" duplicates the requirement declared on line 18. ' +
        'Requirement names must be unique so spec updates cannot discard one block while updating another.',
    });
  });

  it('applies RENAMED before MODIFIED, so the first failing step is the one reported', () => {
    const delta = section('RENAMED', rename('Ghost', 'Phantom')) + section('MODIFIED', requirement('Nope', 'S'));
    assert.equal(refusal(delta).reason, 'rename-failed');
  });
});

describe('buildUpdatedSpecText: the merged spec', () => {
  it('renames in place, removes, modifies in place and appends additions', () => {
    const delta =
      section('RENAMED', rename('Spin', 'Rotate')) +
      section('REMOVED', '### Requirement: Size') +
      section('MODIFIED', requirement('Color', 'Red', 'Blue')) +
      section('ADDED', requirement('Weight', 'Heavy'));
    const result = merge(delta);
    assert.deepEqual(result.counts, { added: 1, modified: 1, removed: 1, renamed: 1 });
    assert.deepEqual(result.warnings, []);
    assert.equal(result.isNewSpec, false);
    assert.equal(
      result.rebuilt,
      [
        '# widgets Specification',
        '',
        '## Purpose',
        'Widgets spin, have colors, and sizes; this purpose is long enough to pass.',
        '',
        '## Requirements',
        '',
        '### Requirement: Rotate',
        'The widget SHALL spin.',
        '',
        '#### Scenario: Spins fast',
        '- **WHEN** started',
        '- **THEN** it spins',
        '',
        '#### Scenario: Stops',
        '- **WHEN** stopped',
        '- **THEN** it stops',
        '',
        requirement('Color', 'Red', 'Blue').trimEnd(),
        '',
        requirement('Weight', 'Heavy'),
      ].join('\n'),
    );
  });

  it('treats an already-synced delta as a no-op rather than a conflict', () => {
    const size = widgetsSpec.slice(widgetsSpec.indexOf('### Requirement: Size'));
    const delta =
      section('RENAMED', rename('Old name', 'Spin')) +
      section('REMOVED', '### Requirement: Ghost') +
      section('ADDED', size);
    const result = merge(delta);
    assert.deepEqual(result.counts, { added: 0, modified: 0, removed: 0, renamed: 0 });
    assert.deepEqual(result.warnings, [
      'widgets - REMOVED requirement "Ghost" is not in the current spec; treating it as already removed.',
    ]);
  });

  it('creates a new spec with the placeholder Purpose, ignoring REMOVED', () => {
    const result = merge(section('ADDED', requirement('X', 'S')) + section('REMOVED', '### Requirement: Y'), null);
    assert.equal(result.isNewSpec, true);
    assert.deepEqual(result.warnings, ['widgets - 1 REMOVED requirement(s) ignored for new spec (nothing to remove).']);
    assert.equal(
      result.rebuilt,
      '# widgets Specification\n\n## Purpose\nTBD - created by archiving change my-change. Update Purpose after archive.\n\n## Requirements\n\n' +
        requirement('X', 'S'),
    );
  });

  it("carries a new capability's delta Purpose over, and warns when it is short", () => {
    const result = merge('## Purpose\nTiny purpose.\n\n' + section('ADDED', requirement('X', 'S')), null);
    assert.ok(result.rebuilt.startsWith('# widgets Specification\n\n## Purpose\nTiny purpose.\n\n## Requirements\n'));
    assert.deepEqual(result.warnings, [
      'widgets - carried Purpose is under 50 characters; openspec validate --strict reports it as too brief.',
    ]);
  });

  it('keeps the placeholder when the delta Purpose would make the new spec unreadable', () => {
    const result = merge('## Purpose\nSee <!-- later -->\n\n' + section('ADDED', requirement('X', 'S')), null);
    assert.ok(result.rebuilt.includes('TBD - created by archiving change my-change.'));
    assert.deepEqual(result.warnings, [
      'widgets - delta Purpose ignored (it would leave the new spec unreadable); wrote the placeholder Purpose instead.',
    ]);
  });

  it('warns that a delta Purpose is ignored for an existing spec, and about a note lost with a replaced block', () => {
    const main = widgetsSpec.replace('### Requirement: Color', '### Notes\nKeep me.\n\n### Requirement: Color');
    const result = merge(
      '## Purpose\nSomething else entirely.\n\n' + section('REMOVED', '### Requirement: Spin'),
      main,
    );
    assert.deepEqual(result.warnings, [
      `widgets - delta Purpose ignored; widgets already has one. Edit ${target} directly to change it.`,
      'widgets - "### Notes" sits inside requirement "Spin" and goes with it. Move it under its own requirement, or above `## Requirements`, to keep it.',
    ]);
  });

  it('reports a requirement outside every delta section', () => {
    const result = merge('## Notes\n' + requirement('Lost', 'S') + '\n' + section('REMOVED', '### Requirement: Size'));
    assert.deepEqual(result.warnings, [
      'widgets - requirement "Lost" (line 2) is under "## Notes", which is not a delta section, so it was not applied. Move it under ADDED/MODIFIED/REMOVED/RENAMED Requirements.',
    ]);
  });

  it('marks a spec left without requirements', () => {
    const delta = section('REMOVED', '### Requirement: Spin', '### Requirement: Color', '### Requirement: Size');
    assert.equal(merge(delta).noRequirementBlocks, true);
  });
});

describe('findSpecUpdates and checkUpdatedSpec', () => {
  it('pairs every delta spec, nested ones included, with its main spec', async () => {
    const fs = new MemoryFileSystem({
      [target]: widgetsSpec,
      '/p/openspec/changes/c/specs/widgets/spec.md': section('ADDED', requirement('X', 'S')),
      '/p/openspec/changes/c/specs/audit/log/spec.md': section('ADDED', requirement('Y', 'S')),
    });
    assert.deepEqual(await findSpecUpdates(fs, '/p/openspec/changes/c', '/p/openspec/specs'), [
      {
        id: 'audit/log',
        source: '/p/openspec/changes/c/specs/audit/log/spec.md',
        target: '/p/openspec/specs/audit/log/spec.md',
        exists: false,
      },
      { id: 'widgets', source: '/p/openspec/changes/c/specs/widgets/spec.md', target, exists: true },
    ]);
  });

  it('reads a missing main spec as a new capability, but rejects an unreadable one with its FsError', async () => {
    const fs = new MemoryFileSystem({
      '/p/openspec/changes/c/specs/widgets/spec.md': section('ADDED', requirement('X', 'S')),
    });
    const update = { id: 'widgets', source: '/p/openspec/changes/c/specs/widgets/spec.md', target, exists: false };
    await checkUpdatedSpec(fs, update, 'c');
    fs.mkdir(target);
    await assert.rejects(checkUpdatedSpec(fs, update, 'c'), { code: 'EISDIR' });
  });
});
