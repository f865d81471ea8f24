import type { ToolDefinition } from '../../ai/chatModel';
import type { McpHub } from './mcpHub';

/**
 * Which MCP tools the model may call: entries are `server/tool`, `server/*` for all of a server's tools.
 * Anything not listed is withheld, so a newly configured server offers nothing until the user allows it.
 */
export interface ToolPolicy {
  readonly allowed: ReadonlySet<string>;
}

export function toolPolicy(entries: Iterable<string>): ToolPolicy {
  return { allowed: new Set(entries) };
}

export function isToolAllowed(policy: ToolPolicy, server: string, tool: string): boolean {
  return policy.allowed.has(`${server}/${tool}`) || policy.allowed.has(`${server}/*`);
}

export interface ToolTarget {
  readonly server: string;
  readonly tool: string;
}

export interface AllowedTools {
  /** What the model is offered, named `mcp__server__tool`. */
  readonly definitions: readonly ToolDefinition[];
  /** From the name the model calls back to the server and tool. */
  readonly targets: ReadonlyMap<string, ToolTarget>;
}

/** The allowed tools of the servers that are ready now, named to OpenAI's rules (`^[a-zA-Z0-9_-]{1,64}$`). */
export function allowedTools(hub: McpHub, policy: ToolPolicy): AllowedTools {
  const definitions: ToolDefinition[] = [];
  const targets = new Map<string, ToolTarget>();
  for (const server of hub.servers) {
    if (server.state !== 'ready') continue;
    for (const tool of server.tools) {
      if (!isToolAllowed(policy, server.name, tool.name)) continue;
      const name = uniqueName(modelToolName(server.name, tool.name), targets);
      targets.set(name, { server: server.name, tool: tool.name });
      definitions.push({ name, description: tool.description, parameters: modelParameters(tool.inputSchema) });
    }
  }
  return { definitions, targets };
}

const maxNameLength = 64;

/** `mcp__server__tool` with every other character replaced; long names keep a hash of the full one. */
export function modelToolName(server: string, tool: string): string {
  const name = `mcp__${clean(server)}__${clean(tool)}`;
  if (name.length <= maxNameLength) return name;
  const hash = fnv1a(`${server}/${tool}`);
  return `${name.slice(0, maxNameLength - hash.length - 1)}_${hash}`;
}

function clean(part: string): string {
  return part.replace(/[^a-zA-Z0-9_-]/g, '_') || '_';
}

/** Two names that clean to the same text (`a.b` and `a_b`) must still reach different tools. */
function uniqueName(name: string, taken: ReadonlyMap<string, unknown>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${name.slice(0, maxNameLength - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The tool's input schema without `$schema` (some servers' grammar converters choke on it). */
function modelParameters(schema: Record<string, unknown>): Record<string, unknown> {
  const parameters: Record<string, unknown> = { type: 'object', properties: {}, ...schema };
  delete parameters.$schema;
  return parameters;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
