import { buildCodeFenceMask } from './codeFence';
import {
  REQUIREMENT_HEADER_REGEX,
  TOP_LEVEL_HEADER,
  isHeader,
  normalizeLineEndings,
  type RequirementBlock,
} from './requirementBlocks';
import { normalizeRequirementName } from './requirementNames';
import { rememberedByText } from './textMemo';

export interface RequirementsSectionParts {
  before: string;
  headerLine: string;
  preamble: string;
  bodyBlocks: RequirementBlock[];
  after: string;
}

const REQUIREMENTS_HEADER = /^##\s+Requirements\s*$/i;

/** Splits a main spec around its `## Requirements` section; with none, an empty one is placed at the end. */
// Remembered by text (textMemo): callers share each result and must not change it.
export const extractRequirementsSection: (content: string) => RequirementsSectionParts = rememberedByText(
  computeExtractRequirementsSection,
);

function computeExtractRequirementsSection(content: string): RequirementsSectionParts {
  const lines = normalizeLineEndings(content).split('\n');
  const fenceMask = buildCodeFenceMask(lines);
  const reqHeaderIndex = lines.findIndex((l, i) => !fenceMask[i] && isHeader(REQUIREMENTS_HEADER, l));
  if (reqHeaderIndex === -1) {
    const before = content.trimEnd();
    return {
      before: before ? before + '\n\n' : '',
      headerLine: '## Requirements',
      preamble: '',
      bodyBlocks: [],
      after: '\n',
    };
  }
  let endIndex = lines.length;
  for (let i = reqHeaderIndex + 1; i < lines.length; i++) {
    if (!fenceMask[i] && isHeader(TOP_LEVEL_HEADER, lines[i])) {
      endIndex = i;
      break;
    }
  }
  const before = lines.slice(0, reqHeaderIndex).join('\n');
  const headerLine = lines[reqHeaderIndex] ?? '';
  const body = lines.slice(reqHeaderIndex + 1, endIndex);
  const bodyMask = fenceMask.slice(reqHeaderIndex + 1, endIndex);
  const isRequirementHeader = (i: number) => !bodyMask[i] && isHeader(REQUIREMENT_HEADER_REGEX, body[i]);
  const isTopLevelHeader = (i: number) => !bodyMask[i] && isHeader(TOP_LEVEL_HEADER, body[i]);

  const blocks: RequirementBlock[] = [];
  const preambleLines: string[] = [];
  let cursor = 0;
  while (cursor < body.length && !isRequirementHeader(cursor)) preambleLines.push(body[cursor++] ?? '');
  while (cursor < body.length) {
    const candidate = body[cursor] ?? '';
    if (!isRequirementHeader(cursor)) {
      cursor++;
      continue;
    }
    const name = normalizeRequirementName(REQUIREMENT_HEADER_REGEX.exec(candidate)?.[1] ?? '');
    cursor++;
    const blockLines = [candidate];
    while (cursor < body.length && !isRequirementHeader(cursor) && !isTopLevelHeader(cursor))
      blockLines.push(body[cursor++] ?? '');
    blocks.push({ headerLine: candidate, name, raw: blockLines.join('\n').trimEnd() });
  }
  const after = lines.slice(endIndex).join('\n');
  return {
    before: before.trimEnd() ? before + '\n' : before,
    headerLine,
    preamble: preambleLines.join('\n').trimEnd(),
    bodyBlocks: blocks,
    after: after.startsWith('\n') ? after : '\n' + after,
  };
}
