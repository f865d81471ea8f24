import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { connectLmStudio, normalizeLmStudioSettings } from '../../../../src/core/ai/transport/lmStudio';
import { NodeFileSystem, toPosix } from '../../../../src/node/nodeFileSystem';
import { NodeFileWriter } from '../../../../src/node/nodeFileWriter';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { RecordingLogger } from '../../../harness/recordingLogger';
import { damagingImprove } from '../../../lmstudio/damagingReplies';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import {
  CHANGE,
  DELTA,
  DELTA_ERROR,
  FIXED_DELTA,
  PROPOSAL,
  PROPOSAL_WARNING,
  requestKind,
  scriptLoop,
} from '../../loop/loopTestKit';
import { waitFor } from '../../../harness/poll';
import { callRefused, connectInProcess, textOf } from './mcpTestClient';

const SUFFIX = '\nLinks without a chosen period expire after 30 days.\n';

interface LoopResult {
  outcome: string;
  reason: string;
  message: string;
  writes: boolean;
  iterations: Array<{ iteration: number; proposals: Array<{ file: string; decision?: string; result?: string }> }>;
  proposals: Array<{ iteration: number; file: string; status: string; newErrors: unknown[]; unifiedDiff: string }>;
}

/** run_improvement_loop in process over the SDK's in-memory transport, on a disk copy of the sample project. */
describe('MCP run_improvement_loop against the LM Studio stand-in', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;
  let original: Record<string, Buffer>;
  let logger: RecordingLogger;

  const read = (file: string) => readFileSync(join(workspace.path, file));
  const improveBoth = (file: string) => (file === DELTA ? FIXED_DELTA : original[PROPOSAL]!.toString('utf8') + SUFFIX);

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('examples/sample-project');
    original = { [DELTA]: read(DELTA), [PROPOSAL]: read(PROPOSAL) };
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  async function connect(allowWrite: boolean) {
    const fs = new NodeFileSystem();
    const settings = normalizeLmStudioSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    return connectInProcess({
      folders: [{ name: 'workspace', fs, root: await fs.realPath(toPosix(workspace.path)) }],
      allowWrite,
      logger,
      connectModel: (signal) => connectLmStudio(settings, { logger, ...(signal ? { signal } : {}) }),
      writer: new NodeFileWriter(),
      version: 'test',
    });
  }

  async function callLoop(
    connection: Awaited<ReturnType<typeof connect>>,
    args: Record<string, unknown>,
    progress?: Progress[],
  ) {
    const result = (await connection.client.callTool({ name: 'run_improvement_loop', arguments: args }, undefined, {
      ...(progress ? { onprogress: (update: Progress) => progress.push(update) } : {}),
    })) as CallToolResult;
    assert.notEqual(result.isError, true, textOf(result));
    return { value: result.structuredContent as unknown as LoopResult, text: textOf(result) };
  }

  it('without --allow-write returns the proposals with their diffs, writes nothing, and reports progress per step', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR]], improve: improveBoth });
    const connection = await connect(false);
    try {
      const progress: Progress[] = [];
      const { value, text } = await callLoop(connection, { change: CHANGE, autoAccept: true }, progress);
      assert.equal(value.writes, false);
      assert.equal(value.outcome, 'stopped');
      assert.equal(value.reason, 'maxIterations');
      assert.deepEqual(
        value.proposals.map((proposal) => [proposal.iteration, proposal.file, proposal.status]),
        [
          [1, DELTA, 'proposed'],
          [1, PROPOSAL, 'proposed'],
        ],
      );
      const diff = value.proposals[0]!.unifiedDiff.split('\n');
      assert.equal(diff[0], `--- a/${DELTA}`);
      assert.ok(diff.includes('+- **WHEN** the owner shares a note and picks 7 days'), value.proposals[0]!.unifiedDiff);
      assert.deepEqual(
        value.iterations[0]?.proposals.map((proposal) => proposal.decision),
        ['rejected', 'rejected'],
      );
      assert.ok(text.includes(`[proposed] iteration 1, ${DELTA}`), text);
      assert.deepEqual(read(DELTA), original[DELTA]);
      assert.deepEqual(read(PROPOSAL), original[PROPOSAL]);
      assert.deepEqual(server.requests.map(requestKind), ['review', 'improve', 'improve']);

      const messages = progress.map((update) => update.message ?? '');
      assert.equal(messages[0], 'Iteration 1: reviewing');
      assert.ok(messages.includes(`Iteration 1: proposing ${DELTA}`), messages.join('\n'));
      assert.ok(messages.includes(`Iteration 1: awaitingDecision ${PROPOSAL}`), messages.join('\n'));
      assert.deepEqual(
        progress.map((update) => update.progress),
        progress.map((_, index) => index + 1),
      );
    } finally {
      await connection.close();
    }
  });

  it('with --allow-write and autoAccept writes the clean proposals and converges', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR], []], improve: improveBoth });
    const connection = await connect(true);
    try {
      const { value } = await callLoop(connection, { change: CHANGE, autoAccept: true, maxIterations: 3 });
      assert.equal(value.writes, true);
      assert.equal(value.outcome, 'converged', value.message);
      assert.deepEqual(
        value.proposals.map((proposal) => [proposal.file, proposal.status]),
        [
          [DELTA, 'applied'],
          [PROPOSAL, 'applied'],
        ],
      );
      assert.deepEqual(
        value.iterations[0]?.proposals.map((proposal) => proposal.result),
        ['applied', 'applied'],
      );
      assert.equal(read(DELTA).toString('utf8'), FIXED_DELTA);
      assert.equal(read(PROPOSAL).toString('utf8'), original[PROPOSAL]!.toString('utf8') + SUFFIX);
    } finally {
      await connection.close();
    }
  });

  it('with --allow-write and autoAccept never writes a proposal that drops a section, and returns its impact', async () => {
    const improve = damagingImprove('dropSection');
    server.setReplyHandler((request) =>
      requestKind(request) === 'review'
        ? JSON.stringify({ findings: [{ ...PROPOSAL_WARNING, category: 'ambiguity' }] })
        : improve(request),
    );
    const connection = await connect(true);
    try {
      const { value } = await callLoop(connection, { change: CHANGE, autoAccept: true, maxIterations: 1 });
      assert.equal(value.writes, true);
      assert.deepEqual(read(PROPOSAL), original[PROPOSAL], 'proposal.md must stay byte-identical');
      const returned = (
        value.proposals as Array<
          LoopResult['proposals'][number] & { impact: { destructive: boolean; summary: string; unjustified: string[] } }
        >
      ).find((proposal) => proposal.file === PROPOSAL);
      assert.equal(returned?.status, 'proposed');
      assert.equal(returned?.impact.destructive, true);
      assert.deepEqual(returned?.impact.unjustified, ['## Impact']);
      assert.match(returned?.impact.summary ?? '', /removes ## Impact/);
      // The delta's validation error gets its own proposal first; the section drop leaves that file as it was.
      const record = value.iterations[0]?.proposals.find((proposal) => proposal.file === PROPOSAL) as
        { decision?: string; blocked?: string } | undefined;
      assert.deepEqual([record?.decision, record?.blocked], ['rejected', 'destructive']);
    } finally {
      await connection.close();
    }
  });

  it('with --allow-write does not write without autoAccept', async () => {
    scriptLoop(server, { reviews: [[DELTA_ERROR]], improve: improveBoth });
    const withoutAutoAccept = await connect(true);
    try {
      const { value } = await callLoop(withoutAutoAccept, { change: CHANGE });
      assert.equal(value.writes, false);
      assert.deepEqual(
        value.proposals.map((proposal) => proposal.status),
        ['proposed'],
      );
    } finally {
      await withoutAutoAccept.close();
    }
    assert.deepEqual(read(DELTA), original[DELTA]);
  });

  it('a cancelled call stops the loop and leaves the files as they were', async () => {
    scriptLoop(server, { reviews: [[DELTA_ERROR]], improve: improveBoth });
    server.injectFault({ kind: 'stall' });
    const connection = await connect(true);
    try {
      const controller = new AbortController();
      const call = connection.client.callTool(
        { name: 'run_improvement_loop', arguments: { change: CHANGE, autoAccept: true } },
        undefined,
        {
          signal: controller.signal,
          onprogress: () => controller.abort(),
        },
      );
      await assert.rejects(call, /abort/i);
      const deadline = Date.now() + 5000;
      while (
        !logger.lines.some((line) => line.includes('MCP run_improvement_loop: cancelled')) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(
        logger.lines.some((line) => line.includes('MCP run_improvement_loop: cancelled')),
        logger.text(),
      );
      assert.deepEqual(read(DELTA), original[DELTA]);
    } finally {
      await connection.close();
    }
  });

  it('runs one loop per change: a second call on the change while the first runs is refused, another change runs meanwhile', async () => {
    // Reviews of the sample's change find its delta's error; reviews of add-note-tags find nothing.
    server.setReplyHandler((request) => {
      if (requestKind(request) !== 'review') return JSON.stringify({ summary: 'Fixed.', document: FIXED_DELTA });
      const text = request.messages.map((message) => String(message.content)).join('\n');
      return JSON.stringify({ findings: text.includes(`openspec/changes/${CHANGE}/`) ? [DELTA_ERROR] : [] });
    });
    server.injectFault({ kind: 'stall' });
    const connection = await connect(false);
    try {
      const controller = new AbortController();
      const first = connection.client
        .callTool({ name: 'run_improvement_loop', arguments: { change: CHANGE } }, undefined, {
          signal: controller.signal,
        })
        .catch((error: unknown) => error);
      await waitFor(() => server.requests.length === 1, 'the first run to ask for its review');

      const refused = await callRefused(connection.client, 'run_improvement_loop', { change: CHANGE });
      assert.equal(
        refused,
        `An improvement loop is already running on ${CHANGE} (iteration 1: reviewing; started from an agent (MCP)): wait for it to end, or have it stopped, and call run_improvement_loop again.`,
      );
      assert.equal(server.requests.length, 1, 'the refused call asked the model nothing');
      const other = await callLoop(connection, { change: 'add-note-tags' });
      assert.equal(other.value.outcome, 'converged', other.value.message);

      controller.abort();
      await first;
      await waitFor(
        () => logger.lines.some((line) => line.includes('MCP run_improvement_loop: cancelled')),
        'the first run to end',
      );
      const again = await callLoop(connection, { change: CHANGE });
      assert.equal(again.value.reason, 'maxIterations', 'once the first run ended, the change runs again');
      assert.deepEqual(read(DELTA), original[DELTA]);
    } finally {
      await connection.close();
    }
  });
});
