import * as assert from 'node:assert/strict';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryEntry, FileSystem } from '../../../src/core/fs/fileSystem';
import { resolveOpenSpecRoot } from '../../../src/core/validation/projectRoot';
import { validateItems, type ValidationRun } from '../../../src/core/validation/validateItems';
import { VerdictCache } from '../../../src/core/validation/verdictCache';
import { NodeFileSystem, NodeSyncFileSystem, toPosix } from '../../../src/node/nodeFileSystem';
import { REPO_ROOT } from '../../harness/repoPaths';

/** The disk's file system, counting the texts it is asked to read and the folders it is asked to list. */
/** Node's file system, keeping the path of every file read, through the port or its synchronous answers. */
class CountingFileSystem extends NodeFileSystem implements FileSystem {
  readonly reads: string[] = [];
  readonly lists: string[] = [];
  override readonly sync = new CountingSyncFileSystem(this.reads, this.lists);
}

class CountingSyncFileSystem extends NodeSyncFileSystem {
  constructor(
    private readonly reads: string[],
    private readonly lists: string[],
  ) {
    super();
  }

  override readFile(path: string): string {
    this.reads.push(path);
    return super.readFile(path);
  }

  override readDirectory(path: string): DirectoryEntry[] {
    this.lists.push(path);
    return super.readDirectory(path);
  }
}

const SETTLED = 60_000;

/**
 * Waits until the disk's clock has moved past `mtimeMs`. A folder changed within the same tick keeps its time:
 * a real run then lists it (its time has not settled), but these runs pass for older than they are.
 */
async function clockPast(mtimeMs: number): Promise<void> {
  const probeFolder = mkdtempSync(join(tmpdir(), 'openspec-loop-clock-'));
  try {
    for (;;) {
      writeFileSync(join(probeFolder, 'probe'), '');
      if (statSync(join(probeFolder, 'probe')).mtimeMs > mtimeMs) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    rmSync(probeFolder, { recursive: true, force: true });
  }
}

describe('saved validation verdicts on a disk', () => {
  let project: string;
  beforeEach(() => {
    project = toPosix(realpathSync(mkdtempSync(join(tmpdir(), 'openspec-loop-verdicts-disk-'))));
    cpSync(join(REPO_ROOT, 'examples', 'sample-project', 'openspec'), join(project, 'openspec'), { recursive: true });
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  async function validate(fs: FileSystem, verdicts?: VerdictCache): Promise<ValidationRun> {
    const root = await resolveOpenSpecRoot(fs, project, { allowImplicitRoot: false });
    return validateItems(
      fs,
      root,
      { kind: 'bulk', changes: true, specs: true },
      { now: () => 0, ...(verdicts ? { verdicts } : {}) },
    );
  }

  /** A first run that saves, as if it began `age` ms after the files were last written. */
  async function saveRunAged(age: number) {
    const first = VerdictCache.restore(undefined, 'k', Date.now() + age);
    const run = await validate(new NodeFileSystem(), first);
    return { saved: first.toSaved(), run };
  }

  it('trusts the signature of a settled file and does not read it again', async () => {
    const { saved, run } = await saveRunAged(SETTLED);
    const fs = new CountingFileSystem();
    const again = await validate(fs, VerdictCache.restore(saved, 'k', Date.now() + SETTLED));
    assert.deepEqual(again, run);
    const specTexts = fs.reads.filter((file) => file.endsWith('.md'));
    assert.deepEqual(specTexts, [], 'no markdown file was read: every signature held');
  });

  it('sees a rewrite that keeps the size and puts the old modification time back', async () => {
    const { saved } = await saveRunAged(SETTLED);
    const spec = join(project, 'openspec', 'specs', 'notes', 'spec.md');
    const before = statSync(spec);
    const text = readFileSync(spec, 'utf8');
    const rewritten = text.replace('## Requirements', '## Requirement!');
    assert.equal(rewritten.length, text.length);
    writeFileSync(spec, rewritten);
    utimesSync(spec, before.atime, before.mtime);
    const fs = new CountingFileSystem();
    const again = await validate(fs, VerdictCache.restore(saved, 'k', Date.now() + SETTLED));
    assert.deepEqual(again, await validate(new NodeFileSystem()), 'the same verdicts as a fresh run');
    assert.ok(fs.reads.includes(toPosix(spec)), 'the rewritten spec was read');
    assert.equal(again.items.find((item) => item.type === 'spec' && item.id === 'notes')?.valid, false);
  });

  it('sees a spec replaced by a link to another text', async () => {
    const { saved } = await saveRunAged(SETTLED);
    const spec = join(project, 'openspec', 'specs', 'notes', 'spec.md');
    const elsewhere = join(project, 'openspec', 'specs', 'notes', 'draft.txt');
    writeFileSync(elsewhere, readFileSync(spec, 'utf8').replace('## Requirements', '## Requirement!'));
    rmSync(spec);
    symlinkSync(elsewhere, spec);
    const again = await validate(new NodeFileSystem(), VerdictCache.restore(saved, 'k', Date.now() + SETTLED));
    assert.deepEqual(again, await validate(new NodeFileSystem()), 'the same verdicts as a fresh run');
    assert.equal(again.items.find((item) => item.type === 'spec' && item.id === 'notes')?.valid, false);
  });

  it("trusts a settled folder's times for its listing where the disk keeps them, and lists it otherwise", async () => {
    const { saved, run } = await saveRunAged(SETTLED);
    const fs = new CountingFileSystem();
    assert.deepEqual(await validate(fs, VerdictCache.restore(saved, 'k', Date.now() + SETTLED)), run);
    const changes = `${project}/openspec/changes/`;
    const insideChanges = fs.lists.filter((folder) => folder.startsWith(changes));
    // Linux's local file systems move a folder's times on every change of its names; elsewhere, folders are listed.
    if (new NodeSyncFileSystem().folderSignature(project) !== undefined) assert.deepEqual(insideChanges, []);
    else assert.ok(insideChanges.length > 0, 'the folders of the changes are listed');
  });

  it('sees a delta spec added to a settled folder', async () => {
    const { saved, run } = await saveRunAged(SETTLED);
    const specs = join(project, 'openspec', 'changes', 'expire-shared-links', 'specs');
    await clockPast(statSync(specs).mtimeMs);
    cpSync(join(specs, 'sharing'), join(specs, 'sharing-copy'), { recursive: true });
    const again = await validate(new NodeFileSystem(), VerdictCache.restore(saved, 'k', Date.now() + SETTLED));
    const fresh = await validate(new NodeFileSystem());
    assert.deepEqual(again, fresh, 'the same verdicts as a fresh run');
    const change = (result: ValidationRun) =>
      result.items.find((item) => item.type === 'change' && item.id === 'expire-shared-links');
    assert.notDeepEqual(change(fresh), change(run), 'the copy changes the verdict');
  });

  it('keeps no signature of a file written just before the run, and compares it by content next time', async () => {
    const { saved } = await saveRunAged(0);
    const fs = new CountingFileSystem();
    const verdicts = VerdictCache.restore(saved, 'k', Date.now() + SETTLED);
    assert.deepEqual(await validate(fs, verdicts), await validate(new NodeFileSystem()));
    assert.ok(
      fs.reads.some((file) => file.endsWith('/specs/notes/spec.md')),
      'compared by content',
    );
    assert.equal(verdicts.changed, true, 'the settled signatures are kept for the run after');
    const settled = new CountingFileSystem();
    await validate(settled, VerdictCache.restore(verdicts.toSaved(), 'k', Date.now() + SETTLED));
    assert.deepEqual(
      settled.reads.filter((file) => file.endsWith('.md')),
      [],
    );
  });
});
