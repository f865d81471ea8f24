import type { ChangeContext } from './changeContext';
import { workspacePath } from './documentListing';
import type { PromptPart } from './packPrompt';
import { compareText } from '../../compareText';

/** The artifacts config.yaml `rules` are keyed by, in the order the workflow writes them. */
const ARTIFACT_ORDER = ['proposal', 'specs', 'design', 'tasks'];

/**
 * config.yaml's `context` and per-artifact `rules`: what the project told every AI tool to respect. The
 * reviewer checks documents against them; the improver must keep to them.
 */
export function configPart(context: ChangeContext): PromptPart | undefined {
  const config = context.config;
  const projectContext = config?.data.context?.trim();
  const rules = config?.data.rules ?? {};
  const artifacts = Object.keys(rules).sort((a, b) => rank(a) - rank(b) || compareText(a, b));
  const ruleLines = artifacts.flatMap((artifact) => {
    const list = rules[artifact] ?? [];
    return list.length > 0 ? [`Rules for ${artifact}:`, ...list.map((rule) => `- ${rule}`)] : [];
  });
  if (!config || (!projectContext && ruleLines.length === 0)) return undefined;
  const label = workspacePath(context.root, config.path);
  const body = [...(projectContext ? ['Project context:', projectContext] : []), ...ruleLines].join('\n');
  return { kind: 'config', path: label, text: `<project-config path="${label}">\n${body}\n</project-config>` };
}

function rank(artifact: string): number {
  const index = ARTIFACT_ORDER.indexOf(artifact);
  return index < 0 ? ARTIFACT_ORDER.length : index;
}

/** Which `rules` key applies to a change file: `specs` for delta and main specs, else the file's stem. */
export function artifactOf(workspaceRelativePath: string): string | undefined {
  if (/(^|\/)specs\/.+\/spec\.md$/.test(workspaceRelativePath)) return 'specs';
  const match = /(?:^|\/)(proposal|design|tasks)\.md$/.exec(workspaceRelativePath);
  return match?.[1];
}
