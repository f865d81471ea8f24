import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { posix as path } from 'node:path';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { FsError } from '../../fs/fileSystem';
import type { Change } from '../../openspec/model';
import { failureReason } from '../../openspec/workspaceScanner';
import { confinedPath } from './pathConfinement';
import type { ToolContext } from './toolContext';
import { boundText, ToolRefusal } from './toolResults';
import { findChange, findSpec } from './workspaceLookup';
import { errorMessage } from '../../errorMessage';

const MARKDOWN = 'text/markdown';

/**
 * Every change document as `openspec://changes/<id>/<path>` and every main spec as
 * `openspec://specs/<capability>/spec.md`, listed from a fresh read and read through the same confinement as the tools.
 */
export function registerResources(server: McpServer, context: ToolContext): void {
  const changeTemplate = new ResourceTemplate('openspec://changes/{change}/{+path}', {
    list: async () => ({ resources: (await context.scan()).changes.flatMap(changeResources) }),
  });
  server.registerResource(
    'change-file',
    changeTemplate,
    {
      title: 'Change document',
      description: 'A proposal, design, tasks or delta spec of an active change',
      mimeType: MARKDOWN,
    },
    guarded(context, 'change resource', async (uri, variables) => {
      const change = findChange(await context.scan(), single(variables.change));
      const file = await confinedPath(
        context.options.fs,
        context.options.root,
        change.dir,
        single(variables.path),
        'Path',
      );
      return read(context, uri, file);
    }),
  );

  const specTemplate = new ResourceTemplate('openspec://specs/{+capability}/spec.md', {
    list: async () => ({
      resources: (await context.scan()).specs.map((spec) => ({
        uri: `openspec://specs/${spec.capability}/spec.md`,
        name: `specs/${spec.capability}`,
        title: spec.title ?? `${spec.capability} spec`,
        mimeType: MARKDOWN,
      })),
    }),
  });
  server.registerResource(
    'spec',
    specTemplate,
    { title: 'Main spec', description: 'The current spec of one capability', mimeType: MARKDOWN },
    guarded(context, 'spec resource', async (uri, variables) => {
      const spec = findSpec(await context.scan(), single(variables.capability));
      const file = await confinedPath(
        context.options.fs,
        context.options.root,
        path.join(context.options.root, 'openspec', 'specs'),
        `${spec.capability}/spec.md`,
        'Path',
      );
      return read(context, uri, file);
    }),
  );
}

function changeResources(change: Change): Resource[] {
  const documents = [change.proposal, change.design, change.tasks, ...change.deltas].filter(
    (document) => document !== undefined,
  );
  return documents.map((document) => {
    const inChange = path.relative(change.dir, document.path);
    return {
      uri: `openspec://changes/${change.id}/${inChange}`,
      name: `changes/${change.id}/${inChange}`,
      title: `${change.id}: ${inChange}`,
      mimeType: MARKDOWN,
    };
  });
}

async function read(context: ToolContext, uri: URL, file: string): Promise<ReadResourceResult> {
  let text: string;
  try {
    text = await context.options.fs.readFile(file);
  } catch (error) {
    if (FsError.is(error, 'ENOENT', 'ENOTDIR', 'EISDIR'))
      throw new ToolRefusal(`${context.relative(file)} does not exist.`);
    throw new ToolRefusal(`${context.relative(file)} cannot be read: ${failureReason(error)}.`);
  }
  return { contents: [{ uri: uri.href, mimeType: MARKDOWN, text: boundText(text) }] };
}

/** URI variables arrive percent-encoded; a repeated one is refused rather than guessed at. */
function single(value: string | string[] | undefined): string {
  if (typeof value !== 'string') throw new ToolRefusal('Malformed resource URI.');
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ToolRefusal('Malformed percent-encoding in the resource URI.');
  }
}

function guarded(
  context: ToolContext,
  what: string,
  read: (uri: URL, variables: Variables) => Promise<ReadResourceResult>,
): (uri: URL, variables: Variables) => Promise<ReadResourceResult> {
  return async (uri, variables) => {
    const started = Date.now();
    try {
      const result = await read(uri, variables);
      context.options.logger.info(`MCP read ${uri.href}: ok in ${Date.now() - started} ms`);
      return result;
    } catch (error) {
      const message = errorMessage(error);
      context.options.logger.info(`MCP read ${uri.href}: refused: ${message}`);
      throw new McpError(ErrorCode.InvalidParams, `Cannot read ${what} ${uri.href}: ${message}`);
    }
  };
}
