import * as nodePath from 'node:path';
import { posix as path } from 'node:path';
import { parseArgs } from 'node:util';
import { connectLmStudio } from '../core/ai/transport/lmStudio';
import { createOpenSpecMcpServer, uniqueFolderNames } from '../core/mcp/server/openSpecMcpServer';
import { resolveOpenSpecRoot } from '../core/validation/projectRoot';
import { toNative, toPosix } from '../node/nodeFileSystem';
import { NodeFileWriter } from '../node/nodeFileWriter';
import {
  API_TOKEN_HELP,
  cliLmStudioSettings,
  cliLogger,
  parsingUsage,
  type AiCommandContext,
} from './aiCommandSupport';
import { readCliVersion } from './cliVersion';
import { UsageError } from './usageError';
import { StdioServerTransport } from '../node/stdioServerTransport';
import { sendPlainErrorMessages } from '../core/mcp/server/plainErrorMessages';
import { LiveWorkspace } from '../core/mcp/server/liveWorkspace';
import { NodeFolderWatcher } from '../node/nodeFolderWatcher';

export const MCP_HELP = `Usage: openspec-loop mcp [options]

Serve the OpenSpec project to MCP clients (agents) over stdio: changes, specs, tasks, validation, search,
and review, improvement and questions with the model LM Studio serves.

Options:
  --workspace <dir>   The project folder, or a folder inside it (default: the working directory);
                      repeat it to serve several projects (each change and spec then names its folder)
  --allow-write       Let agents check and uncheck tasks (set_task_status) and let run_improvement_loop
                      write clean proposals with autoAccept; read-only otherwise
  --base-url <url>    LM Studio's server (default http://127.0.0.1:1234/v1)
  --model <id>        Model identifier (default: the model LM Studio has loaded)
  --verbose           Log every call to stderr
  -h, --help          display help for command

${API_TOKEN_HELP}

stdout carries the MCP protocol only. The server stops when stdin closes or on SIGTERM.
Client configuration, e.g. .vscode/mcp.json:
  {"servers": {"openspec": {"type": "stdio", "command": "openspec-loop", "args": ["mcp", "--workspace", "\${workspaceFolder}"]}}}`;

const mcpOptions = {
  workspace: { type: 'string', multiple: true },
  'allow-write': { type: 'boolean', default: false },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseMcpArgs(args: readonly string[]) {
  return parsingUsage(() => {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: mcpOptions,
    });
    if (positionals.length > 0) throw new UsageError(`too many arguments: ${positionals.join(' ')}`);
    return values;
  });
}

/** `openspec-loop mcp`: serves until stdin closes or a termination signal; returns the exit code. */
export async function runMcp(args: readonly string[], context: AiCommandContext): Promise<number> {
  const values = parseMcpArgs(args);
  const { output } = context;
  if (values.help) {
    output.out(MCP_HELP);
    return 0;
  }
  const starts = (values.workspace ?? ['.']).map((dir) => toPosix(nodePath.resolve(toNative(context.cwd), dir)));
  const logger = cliLogger(output, values.verbose);
  const roots: string[] = [];
  for (const start of starts) {
    const root = await resolveOpenSpecRoot(context.fs, start, { warn: (message) => logger.warn(message) });
    if ((await context.fs.stat(path.join(root.path, 'openspec'))) !== 'directory') {
      output.err(
        `error: no openspec/ folder in ${start} or above it. Run "openspec init" there, or pass --workspace <dir>.`,
      );
      return 1;
    }
    if (!roots.includes(root.path)) roots.push(root.path);
  }
  const names = uniqueFolderNames(roots.map((root) => path.basename(root) || root));
  const settings = cliLmStudioSettings({ baseUrl: values['base-url'], model: values.model });
  // Each project is watched and kept parsed, so calls re-read only what changed since the last one.
  const watcher = new NodeFolderWatcher();
  const live = roots.map((root) => new LiveWorkspace(context.fs, root, watcher));
  // Parsed ahead of the first call; a failure here is the first call's to report.
  for (const workspace of live) workspace.scan().catch(() => undefined);
  const server = createOpenSpecMcpServer({
    folders: roots.map((root, index) => ({ name: names[index] ?? root, root, fs: context.fs, scans: live[index] })),
    allowWrite: values['allow-write'],
    logger,
    connectModel: (signal) => connectLmStudio(settings, { logger, ...(signal ? { signal } : {}) }),
    // Agents write inside the folders' openspec/ only, checked again on the path each write lands on.
    writer: new NodeFileWriter({ within: roots.map((root) => path.join(root, 'openspec')) }),
    version: readCliVersion(),
  });
  const transport = new StdioServerTransport();
  // Stopping is wired before serving, so a signal that arrives right after start-up still closes cleanly.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`MCP server stopping: ${why}`);
      for (const workspace of live) workspace.close();
      const done = () => {
        // A keep-alive socket to LM Studio must not hold the process open after the client has gone.
        setTimeout(() => process.exit(0), 2000).unref();
        resolve(0);
      };
      server.close().then(done, done);
    };
    process.stdin.once('end', () => stop('stdin closed'));
    process.stdin.once('close', () => stop('stdin closed'));
    process.stdout.once('error', () => stop('stdout closed'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await server.connect(sendPlainErrorMessages(transport));
  logger.info(
    `MCP server for ${roots.join(', ')} on stdio (${values['allow-write'] ? 'writes allowed' : 'read-only'})`,
  );
  for (const [index, workspace] of live.entries()) {
    if (!workspace.watching) logger.info(`${roots[index]}: cannot watch files here; every call reads the project`);
  }
  return stopped;
}
