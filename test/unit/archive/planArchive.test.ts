import * as assert from 'node:assert/strict';
import { applyArchive, archiveResultJson } from '../../../src/core/archive/applyArchive';
import type { ArchiveOptions, ArchivePlan } from '../../../src/core/archive/archiveTypes';
import { planArchive } from '../../../src/core/archive/planArchive';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { MemoryFileWriter } from '../../../src/core/fs/memoryFileWriter';
import { makeRoot, toRootOutput } from '../../../src/core/validation/projectRoot';
import { rename, requirement, section, widgetsSpec } from './fixtures';

const root = makeRoot('/p', 'nearest');
const mainSpec = '/p/openspec/specs/widgets/spec.md';
const changeDir = '/p/openspec/changes/c';
const march15 = () => new Date(2026, 2, 15, 9, 30);

function project(files: Record<string, string>): MemoryFileSystem {
  return new MemoryFileSystem({ [mainSpec]: widgetsSpec, [`${changeDir}/proposal.md`]: '# c\n', ...files });
}

async function planned(fs: MemoryFileSystem, options: ArchiveOptions = {}, change = 'c'): Promise<ArchivePlan> {
  const planning = await planArchive(fs, root, change, { now: march15, ...options });
  assert.ok(planning.ok, JSON.stringify(planning));
  return planning.plan;
}

async function refusedWith(fs: MemoryFileSystem, options: ArchiveOptions = {}, change = 'c') {
  const planning = await planArchive(fs, root, change, { now: march15, ...options });
  assert.ok(!planning.ok, 'expected a refusal');
  return planning.status;
}

function requirementNames(text: string): string[] {
  return [...text.matchAll(/^### Requirement: (.+)$/gm)].map((match) => match[1] ?? '');
}

describe('planArchive and applyArchive', () => {
  it('renames, then removes, then modifies, then adds, and moves the change under a dated name', async () => {
    const delta = [
      section('RENAMED', rename('Spin', 'Rotate')),
      section('REMOVED', '### Requirement: Size\n**Reason**: gone\n'),
      // MODIFIED names the new header: the rename has already happened when it applies.
      section('MODIFIED', requirement('Rotate', 'Spins fast', 'Stops', 'Reverses')),
      section('ADDED', requirement('Weight', 'Heavy')),
    ].join('\n');
    const fs = project({ [`${changeDir}/specs/widgets/spec.md`]: delta });
    const plan = await planned(fs);
    assert.equal(plan.archivedAs, '2026-03-15-c');
    assert.equal(plan.archivePath, '/p/openspec/changes/archive/2026-03-15-c');
    assert.deepEqual(plan.totals, { added: 1, modified: 1, removed: 1, renamed: 1 });
    const [spec] = plan.specs;
    assert.ok(spec);
    assert.deepEqual(requirementNames(spec.after), ['Rotate', 'Color', 'Weight']);
    assert.match(spec.after, /#### Scenario: Reverses/);

    const applied = await applyArchive(new MemoryFileWriter(fs), plan);
    assert.ok(applied.ok);
    assert.equal(await fs.readFile(mainSpec), spec.after);
    assert.equal(await fs.stat(changeDir), undefined);
    assert.equal(await fs.readFile(`${plan.archivePath}/specs/widgets/spec.md`), delta);
  });

  it('creates a new capability from the skeleton, with the placeholder Purpose', async () => {
    const fs = project({ [`${changeDir}/specs/gadgets/spec.md`]: section('ADDED', requirement('Blink', 'Blinks')) });
    const plan = await planned(fs);
    const [spec] = plan.specs;
    assert.ok(spec);
    assert.equal(spec.before, undefined);
    assert.ok(
      spec.after.startsWith(
        '# gadgets Specification\n\n## Purpose\nTBD - created by archiving change c. Update Purpose after archive.\n\n## Requirements\n\n### Requirement: Blink\n',
      ),
      spec.after,
    );
    assert.ok((await applyArchive(new MemoryFileWriter(fs), plan)).ok);
    assert.equal(await fs.readFile('/p/openspec/specs/gadgets/spec.md'), spec.after);
  });

  it('writes a CRLF main spec back with CRLF', async () => {
    const fs = project({
      [mainSpec]: widgetsSpec.replace(/\n/g, '\r\n'),
      [`${changeDir}/specs/widgets/spec.md`]: section('ADDED', requirement('Weight', 'Heavy')),
    });
    const [spec] = (await planned(fs)).specs;
    assert.ok(spec);
    assert.ok(spec.after.includes('### Requirement: Weight\r\n'));
    assert.ok(!/[^\r]\n/.test(spec.after), 'every line ends with CRLF');
  });

  it('keeps a date the change name already starts with', async () => {
    const fs = new MemoryFileSystem({ '/p/openspec/changes/2025-01-02-fix/proposal.md': '# fix\n' });
    const plan = await planned(fs, {}, '2025-01-02-fix');
    assert.equal(plan.archivedAs, '2025-01-02-fix');
  });

  it('moves the change without touching the specs with --skip-specs', async () => {
    const fs = project({ [`${changeDir}/specs/widgets/spec.md`]: section('ADDED', requirement('Weight', 'Heavy')) });
    const plan = await planned(fs, { skipSpecs: true });
    assert.deepEqual([plan.specs, plan.specsUpdated, plan.totals], [[], false, undefined]);
    assert.ok((await applyArchive(new MemoryFileWriter(fs), plan)).ok);
    assert.equal(await fs.readFile(mainSpec), widgetsSpec);
    assert.equal(await fs.stat('/p/openspec/changes/archive/2026-03-15-c'), 'directory');
    assert.deepEqual(archiveResultJson(plan, toRootOutput(root)), {
      archive: {
        change: 'c',
        archivedAs: '2026-03-15-c',
        path: '/p/openspec/changes/archive/2026-03-15-c',
        specsUpdated: false,
      },
      root: { path: '/p', source: 'nearest' },
    });
  });

  it('writes nothing when a main spec changed after the plan was made', async () => {
    const fs = project({
      [`${changeDir}/specs/widgets/spec.md`]: section('ADDED', requirement('Weight', 'Heavy')),
      [`${changeDir}/specs/gadgets/spec.md`]: section('ADDED', requirement('Blink', 'Blinks')),
    });
    const plan = await planned(fs);
    const edited = widgetsSpec + '\n<!-- edited meanwhile -->\n';
    fs.writeFile(mainSpec, edited);
    const applied = await applyArchive(new MemoryFileWriter(fs), plan);
    assert.ok(!applied.ok);
    assert.equal(applied.status[0]?.code, 'archive_spec_changed');
    assert.match(applied.status[0]?.message ?? '', /Main spec 'widgets' changed after the archive was planned/);
    assert.equal(await fs.readFile(mainSpec), edited);
    assert.equal(await fs.stat('/p/openspec/specs/gadgets/spec.md'), undefined);
    assert.equal(await fs.stat(`${changeDir}/proposal.md`), 'file');
    assert.equal(await fs.stat('/p/openspec/changes/archive'), undefined);
  });

  describe('refusals', () => {
    it('names the active changes when the change is not found', async () => {
      const [status] = await refusedWith(project({}), {}, 'missing');
      assert.deepEqual(status, {
        severity: 'error',
        code: 'archive_change_not_found',
        message: "Change 'missing' not found. Available changes: c",
      });
    });

    it('blocks a change whose deltas fail validation, unless validation is skipped', async () => {
      const fs = project({ [`${changeDir}/specs/widgets/spec.md`]: section('ADDED', requirement('Weight')) });
      const [status] = await refusedWith(fs);
      assert.equal(status?.code, 'archive_validation_failed');
      assert.equal(status?.fix, 'Run openspec validate c for details, fix the errors, or rerun with --no-validate.');
      assert.ok((await planArchive(fs, root, 'c', { validate: false, now: march15 })).ok);
      assert.equal(
        (await refusedWith(fs, { validate: false, confirmed: false }))[0]?.code,
        'archive_confirmation_required',
      );
    });

    it('refuses a delta the merge cannot apply, in the merge’s words', async () => {
      const fs = project({ [`${changeDir}/specs/widgets/spec.md`]: section('MODIFIED', requirement('Nope', 'A')) });
      const [status] = await refusedWith(fs);
      assert.deepEqual(status, {
        severity: 'error',
        code: 'archive_spec_update_failed',
        message: 'widgets MODIFIED failed for header "### Requirement: Nope" - not found',
        fix: 'Fix the change delta specs and rerun. No files were changed.',
      });
    });

    it('refuses an archive folder that already exists', async () => {
      const fs = project({ '/p/openspec/changes/archive/2026-03-15-c/proposal.md': '# old\n' });
      const [status] = await refusedWith(fs);
      assert.deepEqual(
        [status?.code, status?.message],
        ['archive_target_exists', "Archive '2026-03-15-c' already exists."],
      );
    });

    it('archives with open tasks, and refuses them only when asked to', async () => {
      const fs = project({ [`${changeDir}/tasks.md`]: '## 1. Work\n- [x] 1.1 Done\n- [ ] 1.2 Open\n' });
      assert.deepEqual((await planned(fs)).tasks, { completed: 1, total: 2 });
      const [status] = await refusedWith(fs, { allowIncompleteTasks: false });
      assert.deepEqual(
        [status?.code, status?.message],
        ['archive_tasks_incomplete', "1 incomplete task(s) found for change 'c'."],
      );
    });

    it('asks for confirmation before updating specs', async () => {
      const fs = project({ [`${changeDir}/specs/widgets/spec.md`]: section('ADDED', requirement('Weight', 'Heavy')) });
      const [status] = await refusedWith(fs, { confirmed: false });
      assert.deepEqual(
        [status?.code, status?.message],
        ['archive_confirmation_required', 'Updating 1 spec(s) requires confirmation: rerun with --yes.'],
      );
    });

    it('leaves retiring a capability to openspec archive', async () => {
      const removeAll = section(
        'REMOVED',
        '### Requirement: Spin\n**Reason**: r\n',
        '### Requirement: Color\n**Reason**: r\n',
        '### Requirement: Size\n**Reason**: r\n',
      );
      const fs = project({ [`${changeDir}/specs/widgets/spec.md`]: removeAll });
      const withoutMarker = await refusedWith(fs);
      assert.equal(withoutMarker[0]?.code, 'archive_spec_validation_failed');
      assert.match(withoutMarker[0]?.fix ?? '', /add `retire_capabilities: true`/);
      fs.writeFile(`${changeDir}/.openspec.yaml`, 'schema: spec-driven\nretire_capabilities: true\n');
      const [status] = await refusedWith(fs);
      assert.equal(status?.code, 'archive_retirement_unsupported');
      assert.match(status?.fix ?? '', /openspec archive/);
    });
  });
});
