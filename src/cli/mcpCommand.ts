import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as nodePath from 'node:path';
import { posix as path } from 'node:path';
import { parseArgs } from 'node:util';
import { connectLmStudio, normalizeLmStudioSettings } from '../core/ai/transport/lmStudio';
import { createOpenSpecMcpServer } from '../core/mcp/server/openSpecMcpServer';
import { resolveOpenSpecRoot } from '../core/validation/projectRoot';
import { toNative, toPosix } from '../node/nodeFileSystem';
import { NodeFileWriter } from '../node/nodeFileWriter';
import { cliLogger, parsingUsage, type AiCommandContext } from './aiCommandSupport';
import { readCliVersion } from './cliVersion';
import { UsageError } from './validateCommand';

export const MCP_HELP = `Usage: openspec-loop mcp [options]

Serve the OpenSpec project to MCP clients (agents) over stdio: changes, specs, tasks, validation, search,
and review, improvement and questions with the model LM Studio serves.

Options:
  --workspace <dir>   The project folder, or a folder inside it (default: the working directory)
  --allow-write       Let agents check and uncheck tasks (set_task_status) and let run_improvement_loop
                      write clean proposals with autoAccept; read-only otherwise
  --base-url <url>    LM Studio's server (default http://127.0.0.1:1234/v1)
  --model <id>        Model identifier (default: the model LM Studio has loaded)
  --verbose           Log every call to stderr
  -h, --help          display help for command

stdout carries the MCP protocol only. The server stops when stdin closes or on SIGTERM.
Client configuration, e.g. .vscode/mcp.json:
  {"servers": {"openspec": {"type": "stdio", "command": "openspec-loop", "args": ["mcp", "--workspace", "\${workspaceFolder}"]}}}`;

const mcpOptions = {
  workspace: { type: 'string' },
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
  const start =
    values.workspace !== undefined ? toPosix(nodePath.resolve(toNative(context.cwd), values.workspace)) : context.cwd;
  const logger = cliLogger(output, values.verbose);
  const root = await resolveOpenSpecRoot(context.fs, start, { warn: (message) => logger.warn(message) });
  if ((await context.fs.stat(path.join(root.path, 'openspec'))) !== 'directory') {
    output.err(
      `error: no openspec/ folder in ${start} or above it. Run "openspec init" there, or pass --workspace <dir>.`,
    );
    return 1;
  }
  const settings = normalizeLmStudioSettings({
    ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
  });
  const server = createOpenSpecMcpServer({
    fs: context.fs,
    root: root.path,
    allowWrite: values['allow-write'],
    logger,
    connectModel: (signal) => connectLmStudio(settings, { logger, ...(signal ? { signal } : {}) }),
    // Agents write inside openspec/ only, checked again on the path each write lands on.
    writer: new NodeFileWriter({ within: path.join(root.path, 'openspec') }),
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
  await server.connect(transport);
  logger.info(`MCP server for ${root.path} on stdio (${values['allow-write'] ? 'writes allowed' : 'read-only'})`);
  return stopped;
}
