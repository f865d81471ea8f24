import { posix as path } from 'node:path';

/** A new change folder as OpenSpec's `spec-driven` templates lay it out, ready to fill in. */
export interface ChangeScaffold {
  readonly openspecDir: string;
  readonly changeId: string;
  /** The capability the first delta spec is for (`audit/log`); the change id when not given. */
  readonly capability?: string;
  /** Whether that capability already has a main spec (then the delta MODIFIES it instead of ADDING). */
  readonly capabilityExists?: boolean;
  readonly schema: string;
  /** `YYYY-MM-DD`, written as `created:` in `.openspec.yaml` as `openspec new change` does. */
  readonly today: string;
}

/** OpenSpec's one grammar for change ids: lowercase letters and digits in single-hyphen-separated runs. */
const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/u;

/**
 * Why a name cannot be a new change, with the messages `openspec new change` gives, or undefined when it can.
 * `existing` holds the active change ids.
 */
export function newChangeNameProblem(id: string, existing: readonly string[]): string | undefined {
  const problem = kebabProblem(id, 'Change name');
  if (problem) return problem;
  if (id === 'archive') return "Change name 'archive' is reserved for archived changes";
  if (existing.includes(id)) return `Change '${id}' already exists`;
  return undefined;
}

/** Why a capability path (`audit/log`) cannot be used, or undefined: each segment follows the same grammar. */
export function capabilityProblem(capability: string): string | undefined {
  for (const segment of capability.split('/')) {
    const problem = kebabProblem(segment, 'Capability path segment');
    if (problem) return problem;
  }
  return undefined;
}

function kebabProblem(name: string, label: string): string | undefined {
  if (!name) return `${label} cannot be empty`;
  if (name.length > 200) return `${label} is too long (200 characters max)`;
  if (KEBAB_ID.test(name)) return undefined;
  if (/[A-Z]/.test(name)) return `${label} must be lowercase (use kebab-case)`;
  if (/\s/.test(name)) return `${label} cannot contain spaces (use hyphens instead)`;
  if (/_/.test(name)) return `${label} cannot contain underscores (use hyphens instead)`;
  if (name.startsWith('-')) return `${label} cannot start with a hyphen`;
  if (name.endsWith('-')) return `${label} cannot end with a hyphen`;
  if (/--/.test(name)) return `${label} cannot contain consecutive hyphens`;
  if (/[^a-z0-9-]/.test(name)) return `${label} can only contain lowercase letters, numbers, and hyphens`;
  return `${label} must follow kebab-case convention (e.g., add-auth, refactor-db)`;
}

export function scaffoldChange(request: ChangeScaffold): Array<{ path: string; text: string }> {
  const dir = path.join(request.openspecDir, 'changes', request.changeId);
  const capability = request.capability ?? request.changeId;
  return [
    { path: path.join(dir, '.openspec.yaml'), text: `schema: ${request.schema}\ncreated: ${request.today}\n` },
    { path: path.join(dir, 'proposal.md'), text: proposal(capability, request.capabilityExists === true) },
    { path: path.join(dir, 'tasks.md'), text: TASKS },
    {
      path: path.join(dir, 'specs', capability, 'spec.md'),
      text: request.capabilityExists ? MODIFIED_DELTA : addedDelta(),
    },
  ];
}

function proposal(capability: string, exists: boolean): string {
  const listed = `- \`${capability}\`: <!-- ${exists ? 'what requirement is changing' : 'what this capability covers'} -->`;
  return [
    '## Why',
    '',
    '<!-- Explain the motivation for this change. What problem does this solve? Why now? -->',
    '',
    '## What Changes',
    '',
    '<!-- Describe what will change. Be specific about new capabilities, modifications, or removals. -->',
    '',
    '## Capabilities',
    '',
    '### New Capabilities',
    ...(exists ? [] : [listed]),
    '',
    '### Modified Capabilities',
    ...(exists ? [listed] : []),
    '',
    '## Impact',
    '',
    '<!-- Affected code, APIs, dependencies, systems -->',
    '',
  ].join('\n');
}

const TASKS = [
  '## 1. <!-- Task Group Name -->',
  '',
  '- [ ] 1.1 <!-- Task description -->',
  '- [ ] 1.2 <!-- Task description -->',
  '',
].join('\n');

/** A requirement block to fill in: header, statement, one scenario. */
function requirementTemplate(name: string): string[] {
  return [
    `### Requirement: <!-- ${name} -->`,
    '<!-- requirement text: The system SHALL ... -->',
    '',
    '#### Scenario: <!-- scenario name -->',
    '- **WHEN** <!-- condition -->',
    '- **THEN** <!-- expected outcome -->',
    '',
  ];
}

function addedDelta(): string {
  return [
    '## Purpose',
    '<!-- One or two sentences (50+ characters) on what this capability is for. -->',
    '',
    '## ADDED Requirements',
    '',
    ...requirementTemplate('requirement name'),
  ].join('\n');
}

const MODIFIED_DELTA = [
  '## MODIFIED Requirements',
  '',
  '<!-- Copy the whole requirement from the main spec, every scenario included, then change it. -->',
  ...requirementTemplate('existing requirement name'),
].join('\n');
