import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../harness/repoPaths';
import {
  CLARIFICATION,
  damagingImprove,
  isRepairRound,
  requestedFile,
  type DamageMode,
} from '../../lmstudio/damagingReplies';
import { LmStudioStandIn, type RecordedChatRequest } from '../../lmstudio/standIn';
import { CLI, lines, runCli } from './builtCli';

/**
 * The answers small local models really send: well-formed JSON whose document is gutted, lost a section or a
 * task, ticked every task, dropped a requirement, or carries a fence, listing numbers or reasoning. On
 * add-note-tags of the sample project, which validates clean, `loop --auto-accept` and `improve --write` must
 * write none of the damage, and the cleanable answers only once cleaned.
 */
const CHANGE = 'add-note-tags';
const DIR = `openspec/changes/${CHANGE}`;
const PROPOSAL = `${DIR}/proposal.md`;
const TASKS = `${DIR}/tasks.md`;
const DESIGN = `${DIR}/design.md`;
const TAGS = `${DIR}/specs/tags/spec.md`;
const FIRST_STATEMENT =
  'Writers with more than a few dozen notes cannot find them again: the list is sorted by time only.';

const isReview = (request: RecordedChatRequest) => request.response_format?.json_schema?.name === 'openspec_review';

function ambiguity(file: string) {
  return {
    severity: 'warning',
    category: 'ambiguity',
    file,
    line: null,
    requirement: null,
    message: 'The wording is vague; say what exactly happens.',
    suggestion: null,
  };
}

/** The stand-in: every review finds one ambiguity in `file`, every improvement answers with `mode`'s damage. */
function scriptDamage(server: LmStudioStandIn, file: string, mode: DamageMode): void {
  const improve = damagingImprove(mode);
  server.setReplyHandler((request) =>
    isReview(request) ? JSON.stringify({ findings: [ambiguity(file)] }) : improve(request),
  );
}

describe('destructive and dirty model answers (built CLI against the LM Studio stand-in)', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;
  let original: Record<string, string>;
  const read = (file: string) => readFileSync(join(workspace.path, file), 'utf8');

  before(() => assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`));

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('examples/sample-project');
    original = Object.fromEntries([PROPOSAL, TASKS, DESIGN, TAGS].map((file) => [file, read(file)]));
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  const loop = () =>
    runCli(['loop', CHANGE, '--auto-accept', '--max-iterations', '1', '--base-url', server.baseUrl], workspace.path);

  const destructive: ReadonlyArray<readonly [string, DamageMode, string, RegExp]> = [
    [
      'tasks.md replaced by one line',
      'wipe',
      TASKS,
      /removes ## 1\. Storage, ## 2\. API, ## 3\. Interface and 6 tasks; keeps 0% of the text/,
    ],
    [
      'proposal.md replaced by one line',
      'wipe',
      PROPOSAL,
      /removes 4 sections and 2 capabilities; keeps 0% of the text/,
    ],
    ['the last task dropped', 'dropTask', TASKS, /removes 1 task/],
    ['every open task ticked', 'tickTasks', TASKS, /ticks 3 tasks/],
    ['the ## Impact section dropped', 'dropSection', PROPOSAL, /removes ## Impact/],
    [
      'an ADDED requirement dropped (the delta stays valid)',
      'dropRequirement',
      TAGS,
      /removes requirement "Filter by tag"/,
    ],
    ['reasoning left in the text', 'thinkRemnant', PROPOSAL, /its text starts with reasoning/],
  ];

  for (const [what, mode, file, impact] of destructive) {
    it(`loop --auto-accept writes nothing when ${what}, asks the model once to repair it, and says why`, async () => {
      scriptDamage(server, file, mode);
      const run = await loop();
      assert.equal(run.code, 1, run.stderr);
      assert.equal(read(file), original[file], `${file} must stay byte-identical`);
      for (const other of Object.keys(original))
        assert.equal(read(other), original[other], `${other} must stay byte-identical`);
      const notice = lines(run.stdout).find((line) => line.startsWith('iteration 1:')) ?? '';
      assert.ok(notice.includes(`not accepting ${file}: it `), run.stdout);
      assert.match(notice, impact);
      const improves = server.requests.filter((request) => !isReview(request));
      assert.deepEqual(
        improves.map((request) => [requestedFile(request), isRepairRound(request)]),
        [
          [file, false],
          [file, true],
        ],
      );
      const repair = improves[1]?.messages.at(-1)?.content ?? '';
      assert.match(
        repair,
        mode === 'thinkRemnant' ? /starts with reasoning/ : /keep everything that is not part of the fix/i,
      );
    });
  }

  for (const mode of ['fenced', 'numbered'] as const) {
    it(`loop --auto-accept writes a ${mode} answer only once cleaned: the fix lands, the ${mode === 'fenced' ? 'fence' : 'listing numbers'} do not`, async () => {
      scriptDamage(server, PROPOSAL, mode);
      const run = await loop();
      assert.equal(run.code, 1, run.stderr);
      assert.equal(read(PROPOSAL), original[PROPOSAL]!.replace(FIRST_STATEMENT, `${FIRST_STATEMENT}${CLARIFICATION}`));
      assert.match(lines(run.stdout)[0] ?? '', /1 proposal accepted, 0 rejected/);
      assert.equal(
        server.requests.filter((request) => !isReview(request)).length,
        1,
        'a cleanable answer needs no repair round',
      );
    });
  }

  it('loop --auto-accept counts an answer identical to the document as no change', async () => {
    scriptDamage(server, DESIGN, 'noop');
    const run = await loop();
    assert.equal(run.code, 1, run.stderr);
    assert.match(lines(run.stdout)[0] ?? '', /0 proposals accepted, 0 rejected, 1 unchanged/);
    assert.equal(read(DESIGN), original[DESIGN]);
  });

  it('improve --write refuses a gutted tasks.md with exit 2 and one line naming the impact; --force writes it', async () => {
    scriptDamage(server, TASKS, 'wipe');
    const refused = await runCli(
      ['improve', CHANGE, '--file', 'tasks.md', '--write', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(refused.code, 2, refused.stdout);
    assert.equal(read(TASKS), original[TASKS]);
    const [line, ...rest] = lines(refused.stderr);
    assert.deepEqual(rest, [], refused.stderr);
    assert.match(
      line ?? '',
      /^error: the proposal removes ## 1\. Storage, ## 2\. API, ## 3\. Interface and 6 tasks; keeps 0% of the text \(14 → 1 lines\); nothing written\. Review the diff and pass --force to write it anyway\.$/,
    );

    const json = await runCli(
      ['improve', CHANGE, '--file', 'tasks.md', '--json', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(json.code, 0, json.stderr);
    const impact = (
      JSON.parse(json.stdout) as {
        impact: { destructive: boolean; unjustified: string[]; entries: Array<{ code: string }> };
      }
    ).impact;
    assert.equal(impact.destructive, true);
    assert.ok(impact.entries.some((entry) => entry.code === 'taskRemoved'));

    const forced = await runCli(
      ['improve', CHANGE, '--file', 'tasks.md', '--write', '--force', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(read(TASKS), 'Improved.\n');
  });

  it('improve --write fails clearly when the model answers a long document with edits whose anchors do not occur', async () => {
    const long = `${original[DESIGN]}\n${Array.from({ length: 130 }, (_, index) => `- Decision ${index + 1}: keep the list endpoint paged.`).join('\n')}\n`;
    writeFileSync(join(workspace.path, DESIGN), long);
    scriptDamage(server, DESIGN, 'editsMissingAnchor');
    const run = await runCli(
      ['improve', CHANGE, '--file', 'design.md', '--write', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(run.code, 2, run.stdout);
    assert.equal(read(DESIGN), long);
    assert.match(
      lines(run.stderr)[0] ?? '',
      /could not be applied, even after one repair round: edit 1: the text to find does not occur in the document/,
    );
    const improves = server.requests.filter((request) => !isReview(request));
    assert.equal(improves.length, 2);
    assert.equal(improves[0]?.response_format?.json_schema?.name, 'openspec_improvement');
    assert.match(improves[0]?.messages.at(-1)?.content ?? '', /Answer with "edits"/);
  });
});
