import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runArchive } from '../../src/cli/archiveCommand';
import { NodeFileSystem, toPosix } from '../../src/node/nodeFileSystem';
import { NodeFileWriter } from '../../src/node/nodeFileWriter';
import { ReferenceArchivers } from './archiveReference';
import type { ReferenceAnswer } from './archiveReferenceWorker';
import { runCli, runPool } from './cliRunner';
import { planCorpus } from './invocationPlan';
import { diffTrees, snapshotTree, type TreeSnapshot } from './treeSnapshot';
import { loadCorpus, parseManifest, type FixtureWorkspace } from './workspaceManifest';
import { findEnclosingOpenSpecFolder, materializeWorkspaces } from './workspaceMaterializer';

/*
 * `openspec archive <id> --yes --json` (the pinned reference, 1.13.2) against `openspec-loop archive` on two
 * copies of the same workspace, for every active change of every fixture workspace (CRLF twins included), the
 * basic workspace and the sample project, with and without --skip-specs. Afterwards both trees must be
 * byte-identical (every file, folder and link), and the exit code and the JSON (absolute paths aside) equal.
 *
 * Speed: the reference runs in two warm workers that load its archive module once (a CLI start costs about a
 * second, 20 times the archive itself); ours runs in-process. A spot check compares the warm worker with
 * bin/openspec.js on a few cases, so the shortcut cannot drift from the real command.
 *
 *   DIFFERENTIAL_ONLY=name,name   only these workspaces (a fixture name also selects its ~crlf twin)
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const fixturesRoot = path.join(repoRoot, 'test', 'fixtures', 'differential');
const referencePackage = path.join(repoRoot, 'node_modules', '@fission-ai', 'openspec');
const referenceBin = path.join(referencePackage, 'bin', 'openspec.js');
const referenceArchiveModule = path.join(referencePackage, 'dist', 'core', 'archive.js');
const only = process.env['DIFFERENTIAL_ONLY']
  ? new Set(process.env['DIFFERENTIAL_ONLY'].split(',').map((name) => name.trim()))
  : undefined;

/** Both sides archive on this local day, whenever the test runs. */
const PINNED_DATE = '2026-03-15';
const pinnedNow = (): Date => new Date(2026, 2, 15, 12);

interface ArchiveCase {
  label: string;
  workspace: string;
  change: string;
  skipSpecs: boolean;
}

interface CaseOutcome {
  reference: ReferenceAnswer;
  ours: { stdout: string; exitCode: number };
  referenceTree: TreeSnapshot;
  oursTree: TreeSnapshot;
}

function extraWorkspace(name: string, sourceDir: string): { name: string; fixture: FixtureWorkspace } {
  const manifest = parseManifest(JSON.stringify({ description: name }), sourceDir);
  return { name, fixture: { name, sourceDir, manifest } };
}

/** Every folder archive could be asked for: real folders and links, but not archive/ itself. */
function activeChanges(workspaceDir: string): string[] {
  const changesDir = path.join(workspaceDir, 'openspec', 'changes');
  if (!fs.existsSync(changesDir)) return [];
  return fs
    .readdirSync(changesDir, { withFileTypes: true })
    .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && entry.name !== 'archive')
    .map((entry) => entry.name)
    .sort();
}

function archiveArgs(testCase: ArchiveCase): string[] {
  return [testCase.change, '--yes', '--json', ...(testCase.skipSpecs ? ['--skip-specs'] : [])];
}

/**
 * The one difference we keep: after its destination check the CLI creates changes/archive/ before it merges, and
 * a refusal after that leaves the folder behind, empty. Planning writes nothing, so ours leaves no trace.
 */
function withoutEmptyArchiveFolderLeftByRefusal(reference: TreeSnapshot, ours: TreeSnapshot, refused: boolean) {
  const folder = 'openspec/changes/archive';
  const emptyInReference =
    reference.get(folder) === 'folder' && ![...reference.keys()].some((entry) => entry.startsWith(`${folder}/`));
  if (!refused || !emptyInReference || ours.has(folder)) return reference;
  const trimmed = new Map(reference);
  trimmed.delete(folder);
  return trimmed;
}

function statusCodes(stdout: string): string[] {
  try {
    const parsed = JSON.parse(stdout) as { status?: Array<{ code: string }> };
    return (parsed.status ?? []).map((status) => status.code);
  } catch {
    return [`unparseable output: ${stdout.slice(0, 200)}`];
  }
}

describe('differential: openspec-loop archive against openspec archive 1.13.2', function () {
  const scratchRoot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'openspec-archive-differential-')));
  const stray = findEnclosingOpenSpecFolder(scratchRoot);
  const planned: Array<{ name: string; fixture: FixtureWorkspace }> = [
    ...planCorpus(loadCorpus(fixturesRoot)),
    extraWorkspace('basic', path.join(repoRoot, 'test', 'fixtures', 'workspaces', 'basic')),
    extraWorkspace('sample-project', path.join(repoRoot, 'examples', 'sample-project')),
  ].filter((workspace) => !only || only.has(workspace.name) || only.has(workspace.name.replace(/~crlf$/, '')));
  const pristine = materializeWorkspaces(planned, path.join(scratchRoot, 'pristine'));
  const cases: ArchiveCase[] = [...pristine].flatMap(([workspace, dir]) =>
    activeChanges(dir).flatMap((change) =>
      [false, true].map((skipSpecs) => ({
        label: `${workspace}: archive ${change} --yes --json${skipSpecs ? ' --skip-specs' : ''}`,
        workspace,
        change,
        skipSpecs,
      })),
    ),
  );
  const outcomes = new Map<string, CaseOutcome>();
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    OPENSPEC_TELEMETRY: '0',
    DO_NOT_TRACK: '1',
    NO_COLOR: '1',
    XDG_CONFIG_HOME: path.join(scratchRoot, '.global', 'config'),
    XDG_DATA_HOME: path.join(scratchRoot, '.global', 'data'),
    OPENSPEC_PINNED_DATE: PINNED_DATE,
  };
  let copies = 0;

  /** A fresh copy of a workspace, in a folder of its own, named like the workspace (the JSON names it). */
  function freshCopy(workspace: string): string {
    const dir = path.join(scratchRoot, 'runs', String(copies++), workspace);
    fs.cpSync(pristine.get(workspace) as string, dir, { recursive: true, verbatimSymlinks: true });
    return dir;
  }

  async function runOurs(testCase: ArchiveCase, dir: string): Promise<{ stdout: string; exitCode: number }> {
    const lines: string[] = [];
    const exitCode = await runArchive(archiveArgs(testCase), {
      fs: new NodeFileSystem(),
      writer: new NodeFileWriter(),
      cwd: toPosix(dir),
      output: { out: (line) => lines.push(line), err: () => {} },
      now: pinnedNow,
    });
    return { stdout: lines.map((line) => line + '\n').join(''), exitCode };
  }

  let archivers: ReferenceArchivers | undefined;

  before(async function () {
    this.timeout(600_000);
    assert.equal(stray, undefined, `${stray} sits above the scratch folder and would be taken as the project root`);
    assert.ok(fs.existsSync(referenceArchiveModule), `reference CLI missing at ${referencePackage}: run npm install`);
    const started = Date.now();
    archivers = new ReferenceArchivers(2, referenceArchiveModule, environment);
    const pool = archivers;
    await runPool(
      cases.map((testCase) => async () => {
        const referenceDir = freshCopy(testCase.workspace);
        const oursDir = freshCopy(testCase.workspace);
        const reference = await pool.archive({
          cwd: referenceDir,
          change: testCase.change,
          options: { yes: true, json: true, ...(testCase.skipSpecs ? { skipSpecs: true } : {}) },
        });
        const ours = await runOurs(testCase, oursDir);
        outcomes.set(testCase.label, {
          reference: { ...reference, stdout: reference.stdout.split(referenceDir).join('<workspace>') },
          ours: { ...ours, stdout: ours.stdout.split(oursDir).join('<workspace>') },
          referenceTree: snapshotTree(referenceDir),
          oursTree: snapshotTree(oursDir),
        });
        fs.rmSync(path.dirname(referenceDir), { recursive: true, force: true });
        fs.rmSync(path.dirname(oursDir), { recursive: true, force: true });
      }),
      2,
    );
    // Seen in the test log, to keep the tier's cost in view.
    console.log(`      ${cases.length} archives on each side in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  after(function () {
    archivers?.dispose();
    fs.rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('covers archives that succeed, that update specs, that create a spec, and that are refused', function () {
    const all = [...outcomes.values()];
    if (only) this.skip();
    assert.ok(
      all.some(
        (outcome) => outcome.reference.exitCode === 0 && outcome.reference.stdout.includes('"specsUpdated": true'),
      ),
    );
    assert.ok(all.some((outcome) => outcome.reference.exitCode === 1));
    assert.ok(all.some((outcome) => outcome.reference.stdout.includes('archive_spec_update_failed')));
    assert.ok(all.some((outcome) => outcome.reference.stdout.includes('archive_validation_failed')));
  });

  for (const testCase of cases) {
    it(testCase.label, function () {
      const outcome = outcomes.get(testCase.label);
      assert.ok(outcome, 'the case did not run');
      const { reference, ours } = outcome;
      assert.deepEqual(statusCodes(ours.stdout), statusCodes(reference.stdout), 'status codes');
      assert.equal(ours.exitCode, reference.exitCode, 'exit code');
      assert.equal(ours.stdout, reference.stdout, 'JSON');
      const referenceTree = withoutEmptyArchiveFolderLeftByRefusal(
        outcome.referenceTree,
        outcome.oursTree,
        reference.exitCode !== 0,
      );
      assert.deepEqual(diffTrees(referenceTree, outcome.oursTree), [], 'the trees afterwards');
    });
  }

  it('the warm reference worker answers as bin/openspec.js does', async function () {
    this.timeout(120_000);
    const spotChecks = [
      cases.find((testCase) => testCase.workspace === 'sample-project' && !testCase.skipSpecs),
      cases.find((testCase) => outcomes.get(testCase.label)?.reference.exitCode === 1),
      cases.find((testCase) => testCase.skipSpecs && outcomes.get(testCase.label)?.reference.exitCode === 0),
    ].filter((testCase): testCase is ArchiveCase => testCase !== undefined);
    if (spotChecks.length === 0) this.skip();
    const preload = path.join(__dirname, 'pinnedDate.js');
    for (const testCase of spotChecks) {
      const dir = freshCopy(testCase.workspace);
      const result = await runCli({
        script: referenceBin,
        args: ['archive', ...archiveArgs(testCase)],
        cwd: dir,
        env: { ...environment, NODE_OPTIONS: `--require ${preload}` },
        timeoutMs: 60_000,
      });
      const warm = outcomes.get(testCase.label) as CaseOutcome;
      assert.equal(result.exitCode, warm.reference.exitCode, `${testCase.label}: exit code`);
      assert.equal(result.stdout.split(dir).join('<workspace>'), warm.reference.stdout, `${testCase.label}: JSON`);
      assert.deepEqual(diffTrees(warm.referenceTree, snapshotTree(dir)), [], `${testCase.label}: tree`);
    }
  });
});
