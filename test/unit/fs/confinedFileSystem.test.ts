import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfinedFileSystem, ConfinementError } from '../../../src/core/fs/confinedFileSystem';
import { FsError } from '../../../src/core/fs/fileSystem';
import { NodeFileSystem, toPosix } from '../../../src/node/nodeFileSystem';

/** Real files and real symbolic links in a temporary folder: `project/openspec/` and `outside/` beside it. */
describe('confined file system over the disk', () => {
  let scratch: string;
  let openspec: string;
  let outside: string;
  const node = new NodeFileSystem();

  beforeEach(() => {
    scratch = toPosix(mkdtempSync(join(tmpdir(), 'openspec-loop-confined-')));
    openspec = `${scratch}/project/openspec`;
    outside = `${scratch}/outside`;
    mkdirSync(`${openspec}/changes/a`, { recursive: true });
    mkdirSync(`${outside}/folder`, { recursive: true });
    writeFileSync(`${openspec}/changes/a/proposal.md`, 'inside');
    writeFileSync(`${outside}/secret.md`, 'secret');
    writeFileSync(`${outside}/folder/spec.md`, 'secret spec');
    symlinkSync(`${outside}/secret.md`, `${openspec}/changes/a/design.md`);
    symlinkSync(`${outside}/folder`, `${openspec}/changes/a/specs`);
    symlinkSync('proposal.md', `${openspec}/changes/a/tasks.md`);
  });

  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads what is inside, links that stay inside included', async () => {
    const fs = new ConfinedFileSystem(node, openspec);
    assert.equal(await fs.readFile(`${openspec}/changes/a/proposal.md`), 'inside');
    assert.equal(await fs.readFile(`${openspec}/changes/a/tasks.md`), 'inside');
    assert.equal(await fs.stat(`${openspec}/changes/a/tasks.md`), 'file');
    const names = (await fs.readDirectory(`${openspec}/changes/a`)).map((entry) => entry.name).sort();
    assert.deepEqual(names, ['design.md', 'proposal.md', 'specs', 'tasks.md']);
  });

  it('refuses a file or folder a link puts outside: reads reject, stat and mtime see nothing there', async () => {
    for (const fs of [new ConfinedFileSystem(node, openspec), ConfinedFileSystem.forRun(node, openspec)])
      await assertRefusesOutside(fs);
  });

  async function assertRefusesOutside(fs: ConfinedFileSystem): Promise<void> {
    for (const target of [`${openspec}/changes/a/design.md`, `${openspec}/changes/a/specs/spec.md`]) {
      await assert.rejects(fs.readFile(target), (error) => error instanceof ConfinementError, target);
    }
    await assert.rejects(fs.readDirectory(`${openspec}/changes/a/specs`), /leads outside .* through a symbolic link/);
    assert.equal(await fs.stat(`${openspec}/changes/a/design.md`), undefined);
    assert.equal(await fs.mtime(`${openspec}/changes/a/specs`), undefined);
    await assert.rejects(fs.readFile(`${scratch}/outside/secret.md`), (error) => error instanceof ConfinementError);
    await assert.rejects(
      fs.readFile(`${openspec}/../../outside/secret.md`),
      (error) => error instanceof ConfinementError,
    );
  }

  it('a missing file is missing, not refused, also when openspec/ itself is a link (a monorepo)', async () => {
    const linkedRoot = `${scratch}/linked-project`;
    mkdirSync(linkedRoot);
    symlinkSync(openspec, `${linkedRoot}/openspec`);
    const folder = `${linkedRoot}/openspec`;
    for (const fs of [new ConfinedFileSystem(node, folder), ConfinedFileSystem.forRun(node, folder)]) {
      assert.equal(await fs.readFile(`${folder}/changes/a/proposal.md`), 'inside');
      await assert.rejects(fs.readFile(`${folder}/changes/a/missing.md`), (error) => FsError.is(error, 'ENOENT'));
      await assert.rejects(fs.readFile(`${folder}/changes/a/design.md`), (error) => error instanceof ConfinementError);
    }
  });

  it('for a run, resolves each path once, asking for real paths only of links', async () => {
    const resolved: string[] = [];
    const counting = Object.assign(Object.create(node) as NodeFileSystem, {
      realPath: (file: string) => {
        resolved.push(file);
        return node.realPath(file);
      },
    });
    const fs = ConfinedFileSystem.forRun(counting, openspec);
    for (let round = 0; round < 3; round++) {
      for (const name of ['proposal.md', 'tasks.md', 'design.md']) {
        const file = `${openspec}/changes/a/${name}`;
        await fs.stat(file);
        await fs.mtime(file);
        await fs.readFile(file).catch(() => undefined);
      }
    }
    assert.deepEqual(resolved.sort(), [openspec, `${openspec}/changes/a/design.md`, `${openspec}/changes/a/tasks.md`]);
    assert.equal(await fs.readFile(`${openspec}/changes/a/tasks.md`), 'inside');
    await assert.rejects(fs.readFile(`${openspec}/changes/a/design.md`), (error) => error instanceof ConfinementError);
  });
});
