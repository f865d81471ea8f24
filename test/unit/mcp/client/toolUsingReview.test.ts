import * as assert from 'node:assert/strict';
import { reviewChange } from '../../../../src/core/ai/review/reviewChange';
import { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import { toolPolicy } from '../../../../src/core/mcp/client/toolPolicy';
import { withMcpTools } from '../../../../src/core/mcp/client/toolUsingModel';
import type { ToolCallEvent } from '../../../../src/core/mcp/client/toolLoop';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { SAMPLE_ROOT, sampleProjectFs } from '../../ai/prompt/sampleWorkspace';
import { chatModelFor } from '../../ai/transport/transportTestKit';
import { everythingStdio } from './mcpTestKit';

const FINDINGS = JSON.stringify({
  findings: [
    {
      severity: 'warning',
      category: 'ambiguity',
      file: 'openspec/changes/add-note-tags/proposal.md',
      line: 1,
      requirement: null,
      message: 'The echo tool confirms the tag limit is not stated.',
      suggestion: null,
    },
  ],
});

describe('review with MCP tools on offer (stand-in + server-everything)', function () {
  this.timeout(20_000);
  const hub = new McpHub({ defaultTimeoutMs: 5000 });
  let server: LmStudioStandIn;

  before(async () => {
    await hub.start({ servers: { everything: everythingStdio() }, problems: [] });
    server = await LmStudioStandIn.start();
  });

  after(async () => {
    await server.close();
    await hub.stop();
  });

  it("runs the model's tool call through the MCP server, then parses the review it answers with", async () => {
    server.enqueueReply(
      { toolCalls: [{ id: 'call_1', name: 'mcp__everything__echo', arguments: { message: 'tag limit?' } }] },
      FINDINGS,
    );
    const events: ToolCallEvent[] = [];
    const model = withMcpTools(chatModelFor(server), {
      hub,
      policy: toolPolicy(['everything/echo']),
      onToolCall: (event) => events.push(event),
    });
    const result = await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');

    assert.deepEqual(
      result.findings.map((finding) => finding.message),
      ['The echo tool confirms the tag limit is not stated.'],
    );
    assert.deepEqual(
      events.map((event) => `${event.server}/${event.tool} ${event.ok}`),
      ['everything/echo true'],
    );
    const [first, second] = server.requests;
    assert.deepEqual(
      first?.tools?.map((tool) => tool.function.name),
      ['mcp__everything__echo'],
      'only the allowed tool is offered',
    );
    assert.equal(first?.response_format, undefined, 'no grammar while the model may call tools');
    const toolMessage = second?.messages.find((message) => message.role === 'tool');
    assert.match(String(toolMessage?.content), /tag limit\?/, "the tool's answer went back to the model");
  });

  it('leaves the request as it was when no tool is allowed', async () => {
    server.enqueueReply(FINDINGS);
    const model = withMcpTools(chatModelFor(server), { hub, policy: toolPolicy([]) });
    await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    const last = server.requests.at(-1);
    assert.equal(last?.tools, undefined);
    assert.equal(last?.response_format?.type, 'json_schema');
  });
});
