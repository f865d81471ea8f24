import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { posix as path } from 'node:path';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { FsError } from '../../fs/fileSystem';
import type { Change, MainSpecDocument } from '../../openspec/model';
import { failureReason } from '../../openspec/workspaceScanner';
import { confinedPath } from './pathConfinement';
import type { FolderContext, ToolContext } from './toolContext';
import { boundText, ToolRefusal } from './toolResults';
import { locateChange, locateSpec, scanFolders } from './workspaceLookup';
import { errorMessage } from '../../errorMessage';

const MARKDOWN = 'text/markdown';

/**
 * Every change document as `openspec://changes/<id>/<path>` and every main spec as
 * `openspec://specs/<capability>/spec.md`, listed from a fresh read and read through the same confinement as the
 * tools. A server of several folders lists them as `openspec://folders/<folder>/changes/...` and
 * `openspec://folders/<folder>/specs/...`; the short form still reads an id only one folder holds.
 */
export function registerResources(server: McpServer, context: ToolContext): void {
  const prefix = (folder: FolderContext) =>
    context.multiRoot ? `openspec://folders/${encodeURIComponent(folder.name)}/` : 'openspec://';
  const listChanges = async () => ({
    resources: (await scanFolders(context.folders)).flatMap(({ folder, workspace }) =>
      workspace.changes.flatMap((change) => changeResources(prefix(folder), change)),
    ),
  });
  const listSpecs = async () => ({
    resources: (await scanFolders(context.folders)).flatMap(({ folder, workspace }) =>
      workspace.specs.map((spec) => specResource(prefix(folder), spec)),
    ),
  });
  const none = () => Promise.resolve({ resources: [] });

  const readChange = guarded(context, 'change resource', async (uri, variables) => {
    const { folder, item: change } = await locateChange(context, single(variables.change), folderOf(variables));
    const file = await confinedPath(folder.fs, folder.root, change.dir, single(variables.path), 'Path');
    return read(folder, uri, file);
  });
  const changeMeta = {
    title: 'Change document',
    description: 'A proposal, design, tasks or delta spec of an active change',
    mimeType: MARKDOWN,
  };
  server.registerResource(
    'change-file',
    new ResourceTemplate('openspec://changes/{change}/{+path}', { list: context.multiRoot ? none : listChanges }),
    changeMeta,
    readChange,
  );
  server.registerResource(
    'folder-change-file',
    new ResourceTemplate('openspec://folders/{folder}/changes/{change}/{+path}', {
      list: context.multiRoot ? listChanges : none,
    }),
    { ...changeMeta, description: `${changeMeta.description}, in one workspace folder` },
    readChange,
  );

  const readSpec = guarded(context, 'spec resource', async (uri, variables) => {
    const { folder, item: spec } = await locateSpec(context, single(variables.capability), folderOf(variables));
    const specsDir = path.join(folder.root, 'openspec', 'specs');
    const file = await confinedPath(folder.fs, folder.root, specsDir, `${spec.capability}/spec.md`, 'Path');
    return read(folder, uri, file);
  });
  const specMeta = { title: 'Main spec', description: 'The current spec of one capability', mimeType: MARKDOWN };
  server.registerResource(
    'spec',
    new ResourceTemplate('openspec://specs/{+capability}/spec.md', { list: context.multiRoot ? none : listSpecs }),
    specMeta,
    readSpec,
  );
  server.registerResource(
    'folder-spec',
    new ResourceTemplate('openspec://folders/{folder}/specs/{+capability}/spec.md', {
      list: context.multiRoot ? listSpecs : none,
    }),
    { ...specMeta, description: `${specMeta.description}, in one workspace folder` },
    readSpec,
  );
}

function changeResources(prefix: string, change: Change): Resource[] {
  const documents = [change.proposal, change.design, change.tasks, ...change.deltas].filter(
    (document) => document !== undefined,
  );
  return documents.map((document) => {
    const inChange = path.relative(change.dir, document.path);
    return {
      uri: `${prefix}changes/${change.id}/${inChange}`,
      name: `changes/${change.id}/${inChange}`,
      title: `${change.id}: ${inChange}`,
      mimeType: MARKDOWN,
    };
  });
}

function specResource(prefix: string, spec: MainSpecDocument): Resource {
  return {
    uri: `${prefix}specs/${spec.capability}/spec.md`,
    name: `specs/${spec.capability}`,
    title: spec.title ?? `${spec.capability} spec`,
    mimeType: MARKDOWN,
  };
}

async function read(folder: FolderContext, uri: URL, file: string): Promise<ReadResourceResult> {
  let text: string;
  try {
    text = await folder.fs.readFile(file);
  } catch (error) {
    if (FsError.is(error, 'ENOENT', 'ENOTDIR', 'EISDIR'))
      throw new ToolRefusal(`${folder.relative(file)} does not exist.`);
    throw new ToolRefusal(`${folder.relative(file)} cannot be read: ${failureReason(error)}.`);
  }
  return { contents: [{ uri: uri.href, mimeType: MARKDOWN, text: boundText(text) }] };
}

/** The folder a `openspec://folders/<folder>/...` URI names; undefined for the short form. */
function folderOf(variables: Variables): string | undefined {
  return variables.folder === undefined ? undefined : single(variables.folder);
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
