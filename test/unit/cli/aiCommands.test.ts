import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../harness/repoPaths';
import { LmStudioStandIn } from '../../lmstudio/standIn';
import { farewellFinding, improvedFarewellRequirement } from '../ai/farewellReplies';
import { CLI, lines, runCli, type CliRun } from './builtCli';

/**
 * `openspec-loop review` and `improve` as users run them: the bundled CLI in a child process, in a copy of a
 * fixture project, talking HTTP to the LM Studio stand-in running in this process.
 */
const DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';

function stderrLines(run: CliRun): string[] {
  return lines(run.stderr);
}

const finding = farewellFinding;
const improvedRequirement = improvedFarewellRequirement;

describe('openspec-loop review and improve (built CLI against the LM Studio stand-in)', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;
  let deltaPath: string;

  before(() => assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`));

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('basic');
    deltaPath = join(workspace.path, DELTA);
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  it('review prints one line per finding, a suggestion and a summary, and exits 0', async () => {
    server.enqueueReply(JSON.stringify({ findings: [finding] }));
    const run = await runCli(['review', 'add-farewell', '--base-url', server.baseUrl], workspace.path);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(run.stdout.split('\n'), [
      `WARNING ${DELTA}:2 [ambiguity] ${finding.message}`,
      `  suggestion: ${finding.suggestion}`,
      'Review of change add-farewell: 1 finding (0 errors, 1 warning, 0 info); reviewed by qwen2.5-7b-instruct.',
      '',
    ]);
    assert.equal(server.requests.length, 1);
  });

  it('review --json prints exactly change, model and the findings as the core returns them', async () => {
    server.enqueueReply(JSON.stringify({ findings: [finding] }));
    const run = await runCli(['review', 'add-farewell', '--json', '--base-url', server.baseUrl], workspace.path);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['change', 'model', 'findings']);
    assert.deepEqual(json, {
      change: 'add-farewell',
      model: 'qwen2.5-7b-instruct',
      findings: [
        {
          severity: 'warning',
          category: 'ambiguity',
          file: DELTA,
          line: 2,
          message: finding.message,
          suggestion: finding.suggestion,
        },
      ],
    });
  });

  it('review with the server down exits 2 with one actionable line, and a JSON error object with --json', async () => {
    const baseUrl = server.baseUrl;
    await server.close();
    const text = await runCli(['review', 'add-farewell', '--base-url', baseUrl], workspace.path);
    assert.equal(text.code, 2);
    assert.equal(text.stdout, '');
    const lines = stderrLines(text);
    assert.equal(lines.length, 1, text.stderr);
    assert.match(lines[0]!, /^error: Cannot reach LM Studio/);
    assert.ok(lines[0]!.includes('lms server start') && lines[0]!.includes(baseUrl), lines[0]);

    const json = await runCli(['review', 'add-farewell', '--json', '--base-url', baseUrl], workspace.path);
    assert.equal(json.code, 2);
    assert.equal(stderrLines(json).length, 1);
    const error = (JSON.parse(json.stdout) as { error: Record<string, string> }).error;
    assert.deepEqual(Object.keys(error), ['reason', 'message', 'hint']);
    assert.equal(error.reason, 'unreachable');
    assert.ok(error.hint!.includes('lms server start'));
  });

  it('review of an unknown change exits 2 naming it, without asking the model', async () => {
    const run = await runCli(['review', 'no-such-change', '--base-url', server.baseUrl], workspace.path);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.deepEqual(stderrLines(run), [
      'error: No change "no-such-change" under openspec/changes/. Run `openspec list` to see the change ids.',
    ]);
    assert.equal(server.requests.length, 0);
  });

  it('refuses a --base-url that is no http(s) address with a usage error, before any lookup', async () => {
    for (const [baseUrl, problem] of [
      ['notaurl', /"notaurl" is not a URL; write LM Studio's address as http:\/\/host:port/],
      ['ftp://x', /"ftp:\/\/x" uses ftp; LM Studio speaks http or https/],
    ] as const) {
      const run = await runCli(['review', 'add-farewell', '--base-url', baseUrl], workspace.path);
      assert.equal(run.code, 2, baseUrl);
      assert.match(stderrLines(run)[0] ?? '', problem);
    }
  });

  it('improve prints the summary and a unified diff and leaves the file byte-identical', async () => {
    const before = readFileSync(deltaPath);
    server.enqueueReply(
      JSON.stringify({ summary: 'Named the events that end a session.', requirement: improvedRequirement }),
    );
    const run = await runCli(
      ['improve', 'add-farewell', '--file', DELTA, '--requirement', 'Say farewell', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'Named the events that end a session.');
    assert.ok(lines.includes(`--- a/${DELTA}`) && lines.includes(`+++ b/${DELTA}`), run.stdout);
    assert.ok(lines.includes('-The service SHALL say goodbye by name when a session ends.'));
    assert.ok(
      lines.includes('+The service SHALL say goodbye by name when the user logs out or the session times out.'),
    );
    assert.ok(lines.some((line) => line.startsWith('@@ -')));
    assert.deepEqual(readFileSync(deltaPath), before);
  });

  it('improve --json prints the proposal fields with the diff', async () => {
    server.enqueueReply(JSON.stringify({ summary: 'Clearer.', requirement: improvedRequirement }));
    const run = await runCli(
      [
        'improve',
        'add-farewell',
        '--file',
        'specs/greeting/spec.md',
        '--requirement',
        'Say farewell',
        '--json',
        '--base-url',
        server.baseUrl,
      ],
      workspace.path,
    );
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      'change',
      'file',
      'model',
      'summary',
      'changed',
      'newErrors',
      'impact',
      'diff',
    ]);
    assert.equal((json.impact as { destructive: boolean }).destructive, false);
    assert.equal(json.file, DELTA);
    assert.equal(json.changed, true);
    assert.deepEqual(json.newErrors, []);
    assert.match(json.diff as string, /^--- a\/openspec\/changes\/add-farewell\/specs\/greeting\/spec\.md\n/);
  });

  it('improve --write writes the proposal', async () => {
    server.enqueueReply(JSON.stringify({ summary: 'Clearer.', requirement: improvedRequirement }));
    const run = await runCli(
      [
        'improve',
        'add-farewell',
        '--file',
        DELTA,
        '--requirement',
        'Say farewell',
        '--write',
        '--base-url',
        server.baseUrl,
      ],
      workspace.path,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.endsWith(`Wrote ${DELTA}.\n`), run.stdout);
    assert.equal(readFileSync(deltaPath, 'utf8'), `## ADDED Requirements\n${improvedRequirement}\n`);
  });

  it('improve --write refuses when the file changed while the model was answering', async () => {
    const edited = readFileSync(deltaPath, 'utf8').replace('Goodbye', 'Bye');
    server.setReplyHandler(() => {
      writeFileSync(deltaPath, edited);
      return JSON.stringify({ summary: 'Clearer.', requirement: improvedRequirement });
    });
    const run = await runCli(
      [
        'improve',
        'add-farewell',
        '--file',
        DELTA,
        '--requirement',
        'Say farewell',
        '--write',
        '--json',
        '--base-url',
        server.baseUrl,
      ],
      workspace.path,
    );
    assert.equal(run.code, 2);
    const lines = stderrLines(run);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /file changed since it was read; nothing written/);
    assert.equal((JSON.parse(run.stdout) as { error: { reason: string } }).error.reason, 'fileChanged');
    assert.equal(readFileSync(deltaPath, 'utf8'), edited);
  });

  it('improve --write refuses a proposal that adds validation errors unless --force is given', async () => {
    const original = readFileSync(deltaPath, 'utf8');
    const withoutScenario =
      '## ADDED Requirements\n### Requirement: Say farewell\nThe service SHALL say goodbye by name when a session ends.\n';
    const reply = JSON.stringify({ summary: 'Shorter.', document: withoutScenario });
    // Dropping the scenario earns a repair round; this model answers the same again.
    server.enqueueReply(reply, reply);
    const refused = await runCli(
      ['improve', 'add-farewell', '--file', DELTA, '--write', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(refused.code, 2);
    const lines = stderrLines(refused);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^error: the proposal adds validation errors, first: .*scenario.*; nothing written\. .*--force/i,
    );
    assert.match(refused.stdout, /New validation error: /);
    assert.equal(readFileSync(deltaPath, 'utf8'), original);

    server.enqueueReply(reply, reply);
    const forced = await runCli(
      ['improve', 'add-farewell', '--file', DELTA, '--write', '--force', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(deltaPath, 'utf8'), withoutScenario);
  });

  it('improve exits 0 with "no change proposed" when the model keeps the document', async () => {
    const original = readFileSync(deltaPath, 'utf8');
    server.enqueueReply(JSON.stringify({ summary: 'Already clear.', document: original }));
    const run = await runCli(
      ['improve', 'add-farewell', '--file', DELTA, '--write', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Already clear.\n${DELTA}: no change proposed.\n`);
    assert.equal(readFileSync(deltaPath, 'utf8'), original);
  });

  it('improve of a file outside the change exits 2 with the reason', async () => {
    const run = await runCli(
      ['improve', 'add-farewell', '--file', 'openspec/config.yaml', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(run.code, 2);
    assert.deepEqual(stderrLines(run), [
      'error: openspec/config.yaml is not a markdown document of change add-farewell or a main spec.',
    ]);
    assert.equal(server.requests.length, 0);
  });

  it('sends the token from LM_API_TOKEN to a server that requires one, and names the variable when it is missing', async () => {
    await server.close();
    server = await LmStudioStandIn.start({ apiKey: 'sk-lm-secret' });
    const args = ['review', 'add-farewell', '--base-url', server.baseUrl];
    const refused = await runCli(args, workspace.path, { env: { LM_API_TOKEN: undefined } });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /requires an API token\..*set it with the LM_API_TOKEN environment variable/);

    server.enqueueReply(JSON.stringify({ findings: [finding] }));
    const run = await runCli(args, workspace.path, { env: { LM_API_TOKEN: 'sk-lm-secret' } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.requests.length, 1);
  });

  it('lists both commands in the usage text', async () => {
    const run = await runCli(['--help'], workspace.path);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^ {2}review <change>/m);
    assert.match(run.stdout, /^ {2}improve <change> --file <path>/m);
    const review = await runCli(['review', '--help'], workspace.path);
    assert.match(review.stdout, /--base-url <url>/);
    assert.match(review.stdout, /^ {2}LM_API_TOKEN +LM Studio's API token/m);
    const improve = await runCli(['improve', '--help'], workspace.path);
    assert.match(improve.stdout, /--requirement <name>/);
    assert.match(improve.stdout, /--force/);
  });
});
