import type { z } from 'zod';
import { isRecord } from '../../records';

/** `env` values as VS Code's mcp.json allows them; `null` removes an inherited variable. */
export type McpServerEnv = Record<string, string | number | boolean | null>;

export interface McpStdioServerConfig {
  readonly type: 'stdio';
  readonly command: string;
  readonly args?: string[];
  readonly env?: McpServerEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface McpHttpServerConfig {
  readonly type: 'http';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

export type McpServerConfig = McpStdioServerConfig | McpHttpServerConfig;

export interface McpConfigProblem {
  /** The server's name, or '' when the file as a whole is unusable. */
  readonly server: string;
  readonly message: string;
}

export interface McpServersConfig {
  readonly servers: Readonly<Record<string, McpServerConfig>>;
  /** Entries that did not validate; the hub lists them as 'invalid' and starts the others. */
  readonly problems: readonly McpConfigProblem[];
}

/**
 * Reads VS Code's `.vscode/mcp.json` shape (`{servers: {name: {...}}}`, also Claude Desktop's `mcpServers`).
 * Like VS Code, an entry without `type` is stdio when it has a `command` and http when it has a `url`;
 * `inputs` and other top-level keys are ignored. Each entry validates on its own, so one typo does not keep
 * the other servers from starting.
 */
export function parseMcpServersConfig(json: unknown): McpServersConfig {
  if (!isRecord(json))
    return { servers: {}, problems: [{ server: '', message: 'the MCP configuration must be a JSON object' }] };
  const entries = json.servers ?? json.mcpServers ?? {};
  if (!isRecord(entries))
    return { servers: {}, problems: [{ server: '', message: '"servers" must be an object of named servers' }] };
  const servers: Record<string, McpServerConfig> = {};
  const problems: McpConfigProblem[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const parsed = schemas().serverSchema.safeParse(withInferredType(entry));
    if (parsed.success) servers[name] = parsed.data;
    else problems.push({ server: name, message: describeIssues(parsed.error.issues) });
  }
  return { servers, problems };
}

function withInferredType(entry: unknown): unknown {
  if (!isRecord(entry) || entry.type !== undefined) return entry;
  if (typeof entry.command === 'string') return { ...entry, type: 'stdio' };
  if (typeof entry.url === 'string') return { ...entry, type: 'http' };
  return entry;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** The environment a stdio server gets on top of the inherited one: numbers and booleans as text, null unsets. */
export function environmentFor(
  base: Readonly<Record<string, string>>,
  env: McpStdioServerConfig['env'],
): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(env ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = String(value);
  }
  return merged;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Loaded at the first parse, not with this module: the extension loads it on start, and zod's own start-up is a
 * large part of running the bundle, which the extension host waits for.
 */
const schemas = (): typeof import('./mcpServerSchema') =>
  require('./mcpServerSchema') as typeof import('./mcpServerSchema');
/* eslint-enable @typescript-eslint/no-require-imports */
