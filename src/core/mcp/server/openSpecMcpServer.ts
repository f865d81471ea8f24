import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAiTools } from './aiTools';
import { registerArchiveTool } from './archiveTool';
import { registerAskTool } from './askTool';
import { registerChangeTools } from './changeTools';
import { registerLoopTool } from './loopTool';
import { registerPrompts } from './prompts';
import { registerResources } from './resources';
import type { OpenSpecMcpOptions } from './serverOptions';
import { registerSpecTools } from './specTools';
import { registerTaskStatusTool } from './taskStatusTool';
import { createToolContext } from './toolContext';
import { registerValidateTool } from './validateTool';

export type { McpFolder, OpenSpecMcpOptions } from './serverOptions';
export { uniqueFolderNames } from './folderNames';

/**
 * The OpenSpec Loop MCP server, without a transport: the CLI connects it to stdio, the extension to its own
 * transport. Every answer is read fresh through `options.fs`, confined to what really lies inside
 * `<root>/openspec/` (links resolved), and every path an agent names must stay there.
 */
export function createOpenSpecMcpServer(options: OpenSpecMcpOptions): McpServer {
  const server = new McpServer(
    { name: 'openspec-loop', title: 'OpenSpec Loop', version: options.version },
    {
      capabilities: { logging: {} },
      instructions:
        'Reads and checks the OpenSpec specs and change proposals of a project, or of every workspace folder holding one: list_changes, get_change, list_specs, get_spec, ' +
        'search_requirements, validate, get_tasks; set_task_status and archive_change write only when the server was started with --allow-write ' +
        '(archive_change with dryRun: true previews the archive without writing). ' +
        'review_change, propose_improvement, ask and run_improvement_loop use the local model LM Studio serves; ' +
        'propose_improvement never writes, and run_improvement_loop returns its proposals unless the server may write and autoAccept is set. ' +
        'With several folders, listings name the folder of each change and spec, and a call whose id more than one folder holds (or ask) needs the folder argument.',
    },
  );
  const context = createToolContext(options);
  registerChangeTools(server, context);
  registerSpecTools(server, context);
  registerValidateTool(server, context);
  registerTaskStatusTool(server, context);
  registerArchiveTool(server, context);
  registerAiTools(server, context);
  registerAskTool(server, context);
  registerLoopTool(server, context);
  registerResources(server, context);
  registerPrompts(server, context);
  return server;
}
