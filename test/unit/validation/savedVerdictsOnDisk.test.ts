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
import type { FileSystem } from '../../../src/core/fs/fileSystem';
import { resolveOpenSpecRoot } from '../../../src/core/validation/projectRoot';
import { validateItems, type ValidationRun } from '../../../src/core/validation/validateItems';
import { VerdictCache } from '../../../src/core/validation/verdictCache';
import { NodeFileSystem, NodeSyncFileSystem, toPosix } from '../../../src/node/nodeFileSystem';
import { REPO_ROOT } from '../../harness/repoPaths';

/** The disk's file system, counting the texts it is asked to read. */
/** Node's file system, keeping the path of every file read, through the port or its synchronous answers. */
class CountingFileSystem extends NodeFileSystem implements FileSystem {
  readonly reads: string[] = [];
  override readonly sync = new CountingSyncFileSystem(this.reads);
}

class CountingSyncFileSystem extends NodeSyncFileSystem {
  constructor(private readonly reads: string[]) {
    super();
  }

  override readFile(path: string): string {
    this.reads.push(path);
    return super.readFile(path);
  }
}

const SETTLED = 60_000;

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
