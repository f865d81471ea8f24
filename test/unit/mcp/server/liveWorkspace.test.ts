import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveWorkspace } from '../../../../src/core/mcp/server/liveWorkspace';
import { searchRequirements } from '../../../../src/core/mcp/server/requirementSearch';
import type { FileSystem } from '../../../../src/core/fs/fileSystem';
import type { OpenSpecWorkspace } from '../../../../src/core/openspec/model';
import { makeRoot } from '../../../../src/core/validation/projectRoot';
import { validateItems } from '../../../../src/core/validation/validateItems';
import { NodeFileSystem, toPosix } from '../../../../src/node/nodeFileSystem';
import { NodeFolderWatcher } from '../../../../src/node/nodeFolderWatcher';

function tasks(...items: string[]): string {
  return `## 1. Work\n${items.map((item) => `- [ ] ${item}`).join('\n')}\n`;
}

function spec(requirement: string): string {
  return `# Auth\n\n## Purpose\nSign-in.\n\n## Requirements\n\n### Requirement: ${requirement}\nThe system SHALL work.\n\n#### Scenario: It works\n- **WHEN** used\n- **THEN** it works\n`;
}

function taskTexts(workspace: OpenSpecWorkspace, id: string): string[] | undefined {
  return workspace.changes.find((change) => change.id === id)?.tasks?.tasks.map((task) => task.text);
}

/** Answers from the watched model must show every edit on disk finished before the call, with no wait in between. */
describe('LiveWorkspace on a real folder', function () {
  let root: string;
  let changes: string;
  let live: LiveWorkspace;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'live-workspace-'));
    changes = join(root, 'openspec', 'changes');
    mkdirSync(join(changes, 'archive'), { recursive: true });
    mkdirSync(join(root, 'openspec', 'specs', 'auth'), { recursive: true });
    writeFileSync(join(root, 'openspec', 'specs', 'auth', 'spec.md'), spec('Start'));
    mkdirSync(join(changes, 'steady'));
    writeFileSync(join(changes, 'steady', 'tasks.md'), tasks('first'));
    live = new LiveWorkspace(new NodeFileSystem(), toPosix(root), new NodeFolderWatcher());
    assert.equal(live.watching, true, 'Linux watches the folder');
    await live.scan();
  });

  afterEach(() => {
    live.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows edits, new folders, deletions and renames made right before each of 200 calls', async () => {
    let moving = 'moving-0';
    mkdirSync(join(changes, moving));
    writeFileSync(join(changes, moving, 'tasks.md'), tasks('moved'));
    for (let i = 0; i < 200; i++) {
      const fresh = `fresh-${i}`;
      switch (i % 6) {
        case 0: {
          writeFileSync(join(changes, 'steady', 'tasks.md'), tasks(`edit ${i}`));
          const answer = await live.scan();
          assert.deepEqual(taskTexts(answer, 'steady'), [`edit ${i}`], `iteration ${i}`);
          break;
        }
        case 1: {
          // A folder created and its file written, then written again, in the same burst.
          mkdirSync(join(changes, fresh, 'specs', 'auth'), { recursive: true });
          writeFileSync(join(changes, fresh, 'tasks.md'), tasks('draft'));
          writeFileSync(join(changes, fresh, 'tasks.md'), tasks(`final ${i}`));
          writeFileSync(
            join(changes, fresh, 'specs', 'auth', 'spec.md'),
            `## ADDED Requirements\n\n### Requirement: R${i}\nThe system SHALL x.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n`,
          );
          const answer = await live.scan();
          assert.deepEqual(taskTexts(answer, fresh), [`final ${i}`], `iteration ${i}`);
          const change = answer.changes.find((candidate) => candidate.id === fresh);
          assert.deepEqual(
            change?.deltas.map((delta) => delta.capability),
            ['auth'],
            `iteration ${i}`,
          );
          break;
        }
        case 2: {
          rmSync(join(changes, `fresh-${i - 1}`, 'tasks.md'));
          const answer = await live.scan();
          const change = answer.changes.find((candidate) => candidate.id === `fresh-${i - 1}`);
          assert.ok(change, `iteration ${i}`);
          assert.equal(change.tasks, undefined, `iteration ${i}: the deleted tasks.md is gone`);
          break;
        }
        case 3: {
          const renamed = `moving-${i}`;
          renameSync(join(changes, moving), join(changes, renamed));
          moving = renamed;
          const answer = await live.scan();
          const ids = answer.changes.map((change) => change.id);
          assert.ok(ids.includes(renamed) && !ids.some((id) => id.startsWith('moving-') && id !== renamed), `${i}`);
          assert.deepEqual(taskTexts(answer, renamed), ['moved'], `iteration ${i}`);
          break;
        }
        case 4: {
          writeFileSync(join(root, 'openspec', 'specs', 'auth', 'spec.md'), spec(`Edit ${i}`));
          const answer = await live.scan();
          const auth = answer.specs.find((candidate) => candidate.capability === 'auth');
          assert.deepEqual(
            auth?.requirements.map((requirement) => requirement.name),
            [`Edit ${i}`],
            `${i}`,
          );
          break;
        }
        default: {
          rmSync(join(changes, `fresh-${i - 4}`), { recursive: true });
          const answer = await live.scan();
          assert.ok(!answer.changes.some((change) => change.id === `fresh-${i - 4}`), `iteration ${i}`);
          break;
        }
      }
    }
    assert.equal(live.watching, true, 'still watching: the answers came from the live model');
  });

  it('answers a call during an edit from before or after it, and the next call from after', async () => {
    for (let i = 0; i < 50; i++) {
      const before = [`edit ${i - 1}`];
      writeFileSync(join(changes, 'steady', 'tasks.md'), tasks(...before));
      await live.scan();
      const during = live.scan();
      writeFileSync(join(changes, 'steady', 'tasks.md'), tasks(`edit ${i}`));
      const seen = taskTexts(await during, 'steady');
      assert.ok(
        JSON.stringify(seen) === JSON.stringify(before) || JSON.stringify(seen) === JSON.stringify([`edit ${i}`]),
        `iteration ${i}: ${JSON.stringify(seen)}`,
      );
      assert.deepEqual(taskTexts(await live.scan(), 'steady'), [`edit ${i}`], `iteration ${i}`);
    }
  });

  it('validates from what it remembers as a fresh read of the disk does, after each of 60 edits', async () => {
    const specFile = join(root, 'openspec', 'specs', 'auth', 'spec.md');
    const deltaDir = join(changes, 'steady', 'specs', 'auth');
    const modified = (name: string) =>
      `## MODIFIED Requirements\n\n### Requirement: ${name}\nThe system SHALL still work.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n`;
    writeFileSync(
      join(changes, 'steady', 'proposal.md'),
      '## Why\nBecause users ask for it often enough.\n\n## What Changes\n- x\n',
    );
    mkdirSync(deltaDir, { recursive: true });
    writeFileSync(join(deltaDir, 'spec.md'), modified('Start'));
    const validated = async (fs: FileSystem, names: string[]) =>
      JSON.stringify(
        await validateItems(fs, makeRoot(toPosix(root), 'nearest'), { kind: 'items', names }, { now: () => 0 }),
      );
    const verdicts = new Set<string>();
    for (let i = 0; i < 60; i++) {
      switch (i % 5) {
        case 0: // the main spec renames the requirement the delta modifies: the delta no longer matches
          writeFileSync(specFile, spec(i % 10 === 0 ? `Renamed ${i}` : 'Start'));
          break;
        case 1: // the delta loses its scenario
          writeFileSync(join(deltaDir, 'spec.md'), modified('Start').replace(/#### Scenario[^]*$/, ''));
          break;
        case 2:
          writeFileSync(join(deltaDir, 'spec.md'), modified('Start'));
          break;
        case 3: // a new capability appears, then goes again
          mkdirSync(join(root, 'openspec', 'specs', `extra-${i}`));
          writeFileSync(
            join(root, 'openspec', 'specs', `extra-${i}`, 'spec.md'),
            spec(`Extra ${i}`).replace('## Purpose\nSign-in.', ''),
          );
          break;
        default:
          rmSync(join(root, 'openspec', 'specs', `extra-${i - 1}`), { recursive: true });
      }
      const names = i % 5 === 3 ? ['steady', `extra-${i}`] : ['steady'];
      const fresh = await validated(new NodeFileSystem(), names);
      assert.equal(await validated(await live.files(), names), fresh, `edit ${i}`);
      verdicts.add(fresh);
    }
    assert.ok(verdicts.size >= 3, 'the edits changed the verdicts');
    assert.equal(live.watching, true);
  });

  it('finds what the last edit wrote, and no longer what it replaced, in each of 40 searches', async () => {
    const specFile = join(root, 'openspec', 'specs', 'auth', 'spec.md');
    const search = async (query: string) =>
      searchRequirements(await live.scan(), query, { limit: 20, mode: 'all', relative: (file) => file }).map(
        (hit) => hit.requirement,
      );
    for (let i = 0; i < 40; i++) {
      writeFileSync(specFile, spec(`Quota v${i}`));
      assert.deepEqual(await search(`quota v${i}`), [`Quota v${i}`], `edit ${i}`);
      if (i > 0) assert.deepEqual(await search(`quota v${i - 1}`), [], `edit ${i}: the old name is gone`);
    }
  });

  it('leaves out links leading outside openspec/ swapped in between calls, as a scan does', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'live-outside-'));
    try {
      writeFileSync(join(outside, 'tasks.md'), tasks('secret'));
      symlinkSync(outside, join(changes, 'linked'));
      rmSync(join(changes, 'steady', 'tasks.md'));
      symlinkSync(join(outside, 'tasks.md'), join(changes, 'steady', 'tasks.md'));
      const answer = await live.scan();
      assert.ok(!answer.changes.some((change) => change.id === 'linked'), 'the linked folder is left out');
      const steady = answer.changes.find((change) => change.id === 'steady');
      assert.equal(steady?.tasks, undefined, 'the linked file is not read');
      assert.deepEqual(
        steady?.unreadable?.map((entry) => entry.reason),
        ['a symbolic link leading outside openspec/'],
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('LiveWorkspace without a watcher', () => {
  it('reads the project per call when the folder cannot be watched', async () => {
    const root = mkdtempSync(join(tmpdir(), 'live-unwatched-'));
    try {
      mkdirSync(join(root, 'openspec', 'changes', 'one'), { recursive: true });
      const refusing = {
        watch: () => {
          throw Object.assign(new Error('ENOSPC: inotify watch limit reached'), { code: 'ENOSPC' });
        },
      };
      const live = new LiveWorkspace(new NodeFileSystem(), toPosix(root), refusing);
      assert.equal(live.watching, false);
      assert.deepEqual(
        (await live.scan()).changes.map((change) => change.id),
        ['one'],
      );
      mkdirSync(join(root, 'openspec', 'changes', 'two'));
      assert.deepEqual(
        (await live.scan()).changes.map((change) => change.id),
        ['one', 'two'],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
