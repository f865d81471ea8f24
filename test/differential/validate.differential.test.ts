import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeAgreement, formatAgreement, formatAllMismatches } from './agreementSummary';
import { DifferentialSession } from './differentialSession';
import { unmetExpectations } from './fixtureExpectations';
import { BULK_ARGS, planCorpus } from './invocationPlan';
import { ReferenceCache } from './referenceCache';
import { describeHardMismatches, describeSoftMismatches, parseJson } from './reportComparison';
import { loadCorpus } from './workspaceManifest';

/*
 * Runs `openspec validate` (the pinned reference, 1.13.2) and `openspec-loop validate` with the same
 * arguments in the same copy of each fixture workspace, and requires the same exit code, error
 * envelope, items, verdicts and ERROR/WARNING issues. INFO issues and item order are compared in a
 * separate, softer test per workspace. The corpus and its manifest format are described in
 * test/fixtures/differential/README.md.
 *
 * Environment knobs:
 *   DIFFERENTIAL_ONLY=name,name   only these workspaces (a fixture name also selects its ~crlf twin)
 *   DIFFERENTIAL_OURS=path        CLI script to compare instead of dist/cli.js (relative to the repo)
 *   DIFFERENTIAL_REPORT=path      also write agreement figures and every mismatch there as JSON
 *   DIFFERENTIAL_NO_CACHE=1       always run the reference CLI (by default its results are cached in
 *                                 out/differential-cache, keyed by version, arguments and workspace bytes)
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const fixturesRoot = path.join(repoRoot, 'test', 'fixtures', 'differential');
const referenceScript = path.join(repoRoot, 'node_modules', '@fission-ai', 'openspec', 'bin', 'openspec.js');
const oursScript = path.resolve(repoRoot, process.env['DIFFERENTIAL_OURS'] ?? path.join('dist', 'cli.js'));
const only = process.env['DIFFERENTIAL_ONLY']
  ? new Set(process.env['DIFFERENTIAL_ONLY'].split(',').map((name) => name.trim()))
  : undefined;
const MAX_PRINTED_LINES = 300;
const referenceVersion = (
  JSON.parse(fs.readFileSync(path.join(path.dirname(referenceScript), '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
const cache = process.env['DIFFERENTIAL_NO_CACHE']
  ? undefined
  : new ReferenceCache(path.join(repoRoot, 'out', 'differential-cache'), referenceVersion);

const workspaces = planCorpus(loadCorpus(fixturesRoot), only);
const bulkLabel = BULK_ARGS.join(' ');

/** Times differ between runs; everything else must not. */
function withoutDurations(stdout: string): string {
  return stdout.replace(/"durationMs":\s*[0-9.]+/g, '"durationMs":0');
}

function failureMessage(title: string, lines: string[]): string {
  return [title, ...lines.map((line) => `  ${line}`)].join('\n');
}

describe('differential corpus README', function () {
  it('lists every fixture workspace', function () {
    const readme = fs.readFileSync(path.join(fixturesRoot, 'README.md'), 'utf8');
    const missing = loadCorpus(fixturesRoot)
      .map((fixture) => fixture.name)
      .filter((name) => !readme.includes(`| \`${name}\` |`));
    assert.deepEqual(missing, [], `add these workspaces to ${path.join(fixturesRoot, 'README.md')}`);
  });
});

describe(`differential: openspec-loop validate against openspec ${referenceVersion}`, function () {
  const session = new DifferentialSession(workspaces, {
    referenceScript,
    oursScript,
    concurrency: 2,
    timeoutMs: 60_000,
    ...(cache ? { cache } : {}),
  });

  before(async function () {
    this.timeout(900_000);
    assert.ok(fs.existsSync(referenceScript), `reference CLI missing at ${referenceScript}: run npm install`);
    assert.ok(fs.existsSync(oursScript), `${oursScript} is missing: build it with "node esbuild.mjs"`);
    await session.run();
  });

  after(function () {
    const outcomes = session.allOutcomes();
    if (outcomes.length > 0) {
      const figures = computeAgreement(outcomes);
      const mismatches = formatAllMismatches(outcomes);
      console.log(['', 'Differential agreement:', ...formatAgreement(figures).map((line) => `  ${line}`)].join('\n'));
      if (mismatches.length > 0) {
        const shown = mismatches.slice(0, MAX_PRINTED_LINES);
        const hidden = mismatches.length - shown.length;
        console.log(
          [
            'Mismatches:',
            ...shown,
            ...(hidden > 0 ? [`... ${hidden} more lines (set DIFFERENTIAL_REPORT to keep them all)`] : []),
          ].join('\n'),
        );
      }
      const reportPath = process.env['DIFFERENTIAL_REPORT'];
      if (reportPath) fs.writeFileSync(reportPath, JSON.stringify({ figures, mismatches }, null, 2));
    }
    session.dispose();
  });

  for (const workspace of workspaces) {
    describe(workspace.name, function () {
      it('the reference CLI reports what the workspace is meant to exercise', function () {
        const outputs = workspace.invocations.map((invocation) =>
          parseJson(session.outcome(workspace.name, invocation.label).reference.stdout),
        );
        const bulk = parseJson(session.outcome(workspace.name, bulkLabel).reference.stdout);
        const unmet = unmetExpectations(workspace.manifest.expect, { bulk, all: outputs });
        if (unmet.length > 0) assert.fail(failureMessage(`${workspace.name}: fixture no longer triggers`, unmet));
      });

      for (const invocation of workspace.invocations) {
        it(`${invocation.label}: exit code, output, verdicts, ERROR and WARNING issues match`, function () {
          const lines = describeHardMismatches(session.outcome(workspace.name, invocation.label).comparison);
          if (lines.length > 0) assert.fail(failureMessage(`${workspace.name} :: ${invocation.label}`, lines));
        });
      }

      it('a second bulk run, answered from the verdicts the first one saved, prints the same', function () {
        const differing = workspace.invocations.flatMap((invocation) => {
          const { ours, oursAgain } = session.outcome(workspace.name, invocation.label);
          if (!oursAgain) return [];
          const same =
            oursAgain.exitCode === ours.exitCode &&
            oursAgain.stderr === ours.stderr &&
            withoutDurations(oursAgain.stdout) === withoutDurations(ours.stdout);
          return same ? [] : [`${invocation.label}: ${ours.stdout}\n--- then ---\n${oursAgain.stdout}`];
        });
        assert.ok(
          workspace.invocations.some((invocation) => invocation.args.includes('--all')),
          'every workspace runs --all',
        );
        if (differing.length > 0) assert.fail(failureMessage(`${workspace.name}: saved verdicts differ`, differing));
      });

      it('INFO issues and item order match in every run', function () {
        const lines = workspace.invocations.flatMap((invocation) =>
          describeSoftMismatches(session.outcome(workspace.name, invocation.label).comparison).map(
            (line) => `${invocation.label} :: ${line}`,
          ),
        );
        if (lines.length > 0) assert.fail(failureMessage(`${workspace.name}: INFO or item order differences`, lines));
      });
    });
  }
});
