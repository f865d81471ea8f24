import type { SpecCompletion } from './specCompletion';

/** Only at the start of a line (nothing, or just the `#`s of a heading typed), where a block can begin. */
const BLOCK_START = /^\s*#{0,4}\s*$/;

const SNIPPETS: ReadonlyArray<{ label: string; detail: string; filterText: string; body: string }> = [
  {
    label: 'Requirement with a scenario',
    detail: 'OpenSpec requirement',
    filterText: '### Requirement with a scenario',
    body: [
      '### Requirement: ${1:Name}',
      'The system SHALL ${2:behaviour}.',
      '',
      '#### Scenario: ${3:Name}',
      '- **WHEN** ${4:condition}',
      '- **THEN** ${5:outcome}',
      '',
    ].join('\n'),
  },
  {
    label: 'Scenario with WHEN/THEN',
    detail: 'OpenSpec scenario',
    filterText: '#### Scenario with WHEN/THEN',
    body: ['#### Scenario: ${1:Name}', '- **WHEN** ${2:condition}', '- **THEN** ${3:outcome}', ''].join('\n'),
  },
];

/** The requirement and scenario skeletons, in the shape `openspec validate` accepts. */
export function specSnippets(line: number, character: number, lineText: string): SpecCompletion[] {
  if (!BLOCK_START.test(lineText.slice(0, character))) return [];
  return SNIPPETS.map((snippet) => ({
    label: snippet.label,
    kind: 'snippet',
    detail: snippet.detail,
    insertText: snippet.body,
    snippet: true,
    line,
    start: 0,
    end: character,
    filterText: snippet.filterText,
  }));
}
