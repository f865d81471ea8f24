import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveWorkspace } from '../../../../src/core/mcp/server/liveWorkspace';
import type { OpenSpecWorkspace } from '../../../../src/core/openspec/model';
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
