import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FolderChangeListener, FolderWatch, FolderWatcher } from '../../../src/core/openspec/folderWatcher';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { FolderModelSource, type ModelUpdates } from '../../../src/extension/mcp/folderModelSource';
import type { FolderModel } from '../../../src/extension/model/openSpecModels';
import { NodeFileSystem, toPosix } from '../../../src/node/nodeFileSystem';
import { NodeFolderWatcher } from '../../../src/node/nodeFolderWatcher';
import { RecordingLogger } from '../../harness/recordingLogger';

/** What the live model answers: recognisable, so a test can tell it from a scan of the disk. */
const LIVE_MODEL = { live: true } as unknown as OpenSpecWorkspace;

/** A watcher standing in for one that cannot watch, or whose barrier never arrives. */
class BrokenWatcher implements FolderWatcher {
  closed = 0;
  constructor(private readonly broken: 'watch' | 'settle') {}
  watch(_folder: string, _listener: FolderChangeListener): FolderWatch {
    if (this.broken === 'watch') throw new Error('ENOSPC: inotify limit reached');
    return {
      settle: () => Promise.reject(new Error('the file watcher did not report its barrier')),
      close: () => void this.closed++,
    };
  }
}

describe('FolderModelSource', function () {
  let root: string;
  let openspec: string;
  let updates: ModelUpdates & { reported: string[]; refreshes: number; settles: number };
  let logger: RecordingLogger;
  let folder: FolderModel;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'folder-model-source-'));
    openspec = join(root, 'openspec');
    mkdirSync(join(openspec, 'changes', 'first', 'specs', 'auth'), { recursive: true });
    writeFileSync(join(openspec, 'changes', 'first', 'tasks.md'), '## 1. Work\n- [ ] one\n');
    const recorded = { reported: [] as string[], refreshes: 0, settles: 0 };
    updates = Object.assign(recorded, {
      settled: async () => void recorded.settles++,
      diskChanged: (file: string) => void recorded.reported.push(file),
      refresh: async () => void recorded.refreshes++,
    });
    logger = new RecordingLogger();
    folder = {
      folder: undefined as never,
      root: toPosix(root),
      fs: new NodeFileSystem(),
      workspace: LIVE_MODEL,
      toUri: () => undefined as never,
    };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('starts no watcher before the first call, then answers from the live model, read once in full', async () => {
    let watches = 0;
    const watcher = new NodeFolderWatcher();
    const counting: FolderWatcher = { watch: (dir, listener) => (watches++, watcher.watch(dir, listener)) };
    const source = new FolderModelSource(folder, updates, counting, logger);
    try {
      assert.equal(watches, 0);
      assert.equal(await source.scan(), LIVE_MODEL);
      assert.deepEqual([watches, updates.refreshes, updates.settles], [1, 1, 1]);
      assert.equal(await source.scan(), LIVE_MODEL);
      assert.deepEqual([watches, updates.refreshes, updates.settles], [1, 1, 2]);
    } finally {
      source.dispose();
    }
  });

  it('reports a file written just before a call to the models before the call answers', async () => {
    const source = new FolderModelSource(folder, updates, new NodeFolderWatcher(), logger);
    try {
      await source.scan();
      const tasks = join(openspec, 'changes', 'first', 'tasks.md');
      // In a folder the watch found below the root when it started, listing in the background.
      const delta = join(openspec, 'changes', 'first', 'specs', 'auth', 'spec.md');
      writeFileSync(tasks, '## 1. Work\n- [x] one\n');
      writeFileSync(delta, '## ADDED Requirements\n');
      await source.scan();
      assert.ok(updates.reported.includes(toPosix(tasks)), updates.reported.join(', '));
      assert.ok(updates.reported.includes(toPosix(delta)), updates.reported.join(', '));
    } finally {
      source.dispose();
    }
  });

  it('reads the disk per call while openspec/ holds a symbolic link, and the live model once it is gone', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'folder-model-source-outside-'));
    writeFileSync(join(outside, 'design.md'), '## Context\nSecret.\n');
    const link = join(openspec, 'changes', 'first', 'design.md');
    const source = new FolderModelSource(folder, updates, new NodeFolderWatcher(), logger);
    try {
      assert.equal(await source.scan(), LIVE_MODEL);
      symlinkSync(join(outside, 'design.md'), link);
      const scanned = await source.scan();
      assert.notEqual(scanned, LIVE_MODEL);
      assert.deepEqual(
        scanned.changes.map((change) => change.id),
        ['first'],
      );
      rmSync(link);
      assert.equal(await source.scan(), LIVE_MODEL);
    } finally {
      source.dispose();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('finds a link that was there before the first call', async () => {
    symlinkSync(join(openspec, 'changes', 'first', 'tasks.md'), join(openspec, 'changes', 'first', 'design.md'));
    const source = new FolderModelSource(folder, updates, new NodeFolderWatcher(), logger);
    try {
      assert.notEqual(await source.scan(), LIVE_MODEL);
      assert.equal(source.live, false);
    } finally {
      source.dispose();
    }
  });

  for (const broken of ['watch', 'settle'] as const) {
    it(`reads the disk per call, fresh each time, when the watcher's ${broken} fails`, async () => {
      const watcher = new BrokenWatcher(broken);
      const source = new FolderModelSource(folder, updates, watcher, logger);
      try {
        assert.deepEqual(
          (await source.scan()).changes.map((change) => change.id),
          ['first'],
        );
        mkdirSync(join(openspec, 'changes', 'second'));
        writeFileSync(join(openspec, 'changes', 'second', 'tasks.md'), '- [ ] two\n');
        assert.deepEqual(
          (await source.scan()).changes.map((change) => change.id),
          ['first', 'second'],
        );
        assert.equal(source.live, false);
        assert.match(logger.text(), /file watcher of .* is off/);
        assert.equal(watcher.closed, broken === 'settle' ? 1 : 0, 'a watch whose barrier failed is closed');
      } finally {
        source.dispose();
      }
    });
  }
});
