import * as assert from 'node:assert/strict';
import { FsError, type FileSystem } from '../../../src/core/fs/fileSystem';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { findArchiveBlockers, findScenarioLossIssues } from '../../../src/core/validation/archiveChecks';
import { parseDeltaSpec } from '../../../src/core/validation/deltaSpecParser';
import { rename, requirement, section, widgetsSpec } from './fixtures';

const mainSpecs = '/p/openspec/specs';
const mainSpec = `${mainSpecs}/widgets/spec.md`;
const changeDir = '/p/openspec/changes/c';
const copyHint =
  'Copy the omitted scenarios into the MODIFIED block (a MODIFIED requirement replaces the whole block, so archive refuses to drop them).';

function withOverrides(fs: FileSystem, overrides: Partial<FileSystem>): FileSystem {
  return {
    readFile: (p) => fs.readFile(p),
    readDirectory: (p) => fs.readDirectory(p),
    stat: (p) => fs.stat(p),
    mtime: (p) => fs.mtime(p),
    realPath: (p) => fs.realPath(p),
    ...overrides,
  };
}

async function scenarioLoss(
  delta: string,
  fs: FileSystem = new MemoryFileSystem({ [mainSpec]: widgetsSpec }),
): Promise<string[]> {
  const plan = parseDeltaSpec(delta);
  const issues = await findScenarioLossIssues(fs, plan.modified, plan.renamed, mainSpec, 'widgets/spec.md');
  for (const issue of issues) assert.deepEqual([issue.level, issue.path], ['ERROR', 'widgets/spec.md']);
  return issues.map((issue) => issue.message);
}

describe('findScenarioLossIssues', () => {
  it('reports each MODIFIED that omits scenarios, with the balance of both blocks', async () => {
    const delta = section(
      'MODIFIED',
      requirement('Spin', 'A', 'B', 'C', 'D'),
      requirement('Color', 'Blue'),
      requirement('Size', 'Big'),
    );
    assert.deepEqual(await scenarioLoss(delta), [
      'MODIFIED "Spin" omits scenario(s) the current spec still has: "Spins fast", "Stops". The modified block has 4 scenarios; ' +
        `the current spec has 2 scenarios. It adds 4 scenarios not in the current spec: "A", "B", "C" and 1 more. ${copyHint}`,
      'MODIFIED "Color" omits scenario(s) the current spec still has: "Red". The modified block has 1 scenario; ' +
        `the current spec has 1 scenario. It adds 1 scenario not in the current spec: "Blue". ${copyHint}`,
    ]);
  });

  it('compares a MODIFIED naming a renamed header with the block the renames carry over', async () => {
    const delta =
      section('RENAMED', rename('Spin', 'Rotate'), rename('Rotate', 'Turn')) +
      section('MODIFIED', requirement('Turn', 'Stops'));
    assert.deepEqual(await scenarioLoss(delta), [
      'MODIFIED "Turn" omits scenario(s) the current spec still has: "Spins fast". The modified block has 1 scenario; ' +
        `the current spec has 2 scenarios. It adds none. ${copyHint}`,
    ]);
  });

  it('stays silent for a renamed-away header, an unknown requirement, a closed heading and a missing spec', async () => {
    const renamedAway =
      section('RENAMED', rename('Spin', 'Rotate')) + section('MODIFIED', requirement('Spin', 'Stops'));
    assert.deepEqual(await scenarioLoss(renamedAway), []);
    assert.deepEqual(await scenarioLoss(section('MODIFIED', requirement('Nope', 'S'))), []);
    assert.deepEqual(await scenarioLoss(section('MODIFIED', requirement('Spin', 'Spins fast', 'Stops ###'))), []);
    assert.deepEqual(await scenarioLoss(section('MODIFIED', requirement('Spin', 'S')), new MemoryFileSystem()), []);
  });

  it('reports a main spec that exists but cannot be read', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir(mainSpec);
    assert.deepEqual(await scenarioLoss(section('MODIFIED', requirement('Spin', 'S')), fs), [
      `Could not read ${mainSpec} to check the MODIFIED requirements against it (EISDIR). Archive reads the same file, so fix the file before archiving.`,
    ]);
  });
});

describe('findArchiveBlockers', () => {
  function project(deltas: Record<string, string>): MemoryFileSystem {
    const files: Record<string, string> = { [mainSpec]: widgetsSpec };
    for (const [id, text] of Object.entries(deltas)) files[`${changeDir}/specs/${id}/spec.md`] = text;
    return new MemoryFileSystem(files);
  }

  it('reports each delta archive would refuse as INFO, in archive wording', async () => {
    const fs = project({
      widgets: section('ADDED', requirement('Fine', 'S')),
      'audit/log': section('MODIFIED', requirement('Missing', 'S')),
      ghost: section('RENAMED', rename('A', 'B')),
    });
    assert.deepEqual(await findArchiveBlockers(fs, changeDir, mainSpecs, []), [
      {
        level: 'INFO',
        path: 'audit/log/spec.md',
        message:
          'Archive would refuse this delta: audit/log: target spec does not exist; only ADDED requirements are allowed for new specs. MODIFIED and RENAMED operations require an existing spec.',
      },
      {
        level: 'INFO',
        path: 'ghost/spec.md',
        message:
          'Archive would refuse this delta: ghost: target spec does not exist; only ADDED requirements are allowed for new specs. MODIFIED and RENAMED operations require an existing spec.',
      },
    ]);
  });

  it('names the requirement a refused MODIFIED cannot find', async () => {
    const fs = project({ widgets: section('MODIFIED', requirement('Nope', 'S')) });
    assert.deepEqual(await findArchiveBlockers(fs, changeDir, mainSpecs, []), [
      {
        level: 'INFO',
        path: 'widgets/spec.md',
        message:
          'Archive would refuse this delta: widgets MODIFIED failed for header "### Requirement: Nope" - not found',
      },
    ]);
  });

  it('skips deltas that already have an ERROR', async () => {
    const fs = project({ widgets: section('ADDED', requirement('Dup', 'S'), requirement('Dup', 'S')) });
    assert.deepEqual(await findArchiveBlockers(fs, changeDir, mainSpecs, ['widgets/spec.md']), []);
  });

  it('skips file-system failures, which say nothing about the delta', async () => {
    const fs = project({ widgets: section('MODIFIED', requirement('Nope', 'S')) });
    const failing = withOverrides(fs, {
      readFile: (p) => (p === mainSpec ? Promise.reject(new FsError('EMFILE', p)) : fs.readFile(p)),
    });
    assert.deepEqual(await findArchiveBlockers(failing, changeDir, mainSpecs, []), []);
  });

  it('reports a discovery failure once instead of dropping the report', async () => {
    const fs = project({ widgets: section('ADDED', requirement('Fine', 'S')) });
    const failing = withOverrides(fs, {
      readDirectory: (p) => Promise.reject(new FsError('EACCES', p, `EACCES: permission denied, scandir '${p}'`)),
    });
    assert.deepEqual(await findArchiveBlockers(failing, changeDir, mainSpecs, []), [
      {
        level: 'INFO',
        path: 'specs',
        message: `Could not check archive merge conflicts: EACCES: permission denied, scandir '${changeDir}/specs'`,
      },
    ]);
  });
});
