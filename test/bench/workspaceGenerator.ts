import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a synthetic OpenSpec project with realistic documents, a few of them broken, for timing runs. */
export function generateWorkspace(root: string, options: { changes: number; specs: number }): void {
  const openspec = join(root, 'openspec');
  write(join(openspec, 'config.yaml'), 'schema: spec-driven\ncontext: |\n  A generated project for benchmarks.\n');
  for (let index = 0; index < options.specs; index++) {
    const capability = index % 10 === 0 ? `area-${index % 7}/capability-${index}` : `capability-${index}`;
    write(join(openspec, 'specs', capability, 'spec.md'), mainSpec(capability, 6));
  }
  for (let index = 0; index < options.changes; index++) {
    const dir = join(openspec, 'changes', `change-${String(index).padStart(4, '0')}`);
    write(
      join(dir, '.openspec.yaml'),
      `schema: spec-driven\ncreated: 2026-01-${String((index % 28) + 1).padStart(2, '0')}\ngoal: Deliver change ${index}\n`,
    );
    write(
      join(dir, 'proposal.md'),
      `## Why\nChange ${index} exists because users asked for it in several reports.\n\n## What Changes\n- Adds behaviour ${index}\n\n## Capabilities\n### New Capabilities\n- \`new-capability-${index}\`: new behaviour\n\n### Modified Capabilities\n- \`capability-${index % options.specs}\`: changes requirement 1\n\n## Impact\nSmall.\n`,
    );
    write(join(dir, 'tasks.md'), tasks(index));
    if (index % 3 === 0)
      write(
        join(dir, 'design.md'),
        `## Context\nDesign notes for change ${index}.\n\n## Decisions\n- Keep it simple.\n`,
      );
    write(join(dir, 'specs', `new-capability-${index}`, 'spec.md'), addedDelta(index));
    const target = index % options.specs;
    const capability = target % 10 === 0 ? `area-${target % 7}/capability-${target}` : `capability-${target}`;
    write(join(dir, 'specs', capability, 'spec.md'), modifiedDelta(index));
  }
}

/** A main spec of `requirements` requirements, two scenarios each. */
export function mainSpec(capability: string, requirements: number): string {
  const parts = [
    `# ${capability} Specification`,
    '',
    '## Purpose',
    `Describes how ${capability} behaves for every user of the product, in detail.`,
    '',
    '## Requirements',
    '',
  ];
  for (let index = 1; index <= requirements; index++)
    parts.push(requirement(`Requirement ${index}`, `The system SHALL handle case ${index} of ${capability}.`));
  return parts.join('\n');
}

function requirement(name: string, statement: string): string {
  return [
    `### Requirement: ${name}`,
    statement,
    '',
    '#### Scenario: Success',
    '- **WHEN** the user acts',
    '- **THEN** the system responds',
    '',
    '#### Scenario: Failure',
    '- **WHEN** the input is invalid',
    '- **THEN** the system explains why',
    '',
  ].join('\n');
}

function addedDelta(index: number): string {
  const broken = index % 25 === 0;
  const parts = [
    '## Purpose',
    `Adds the behaviour introduced by change ${index}, for all users.`,
    '',
    '## ADDED Requirements',
    '',
  ];
  parts.push(requirement(`New behaviour ${index}`, `The system SHALL provide behaviour ${index}.`));
  parts.push(
    broken
      ? `### Requirement: Missing scenario ${index}\nThe system SHALL do something.\n`
      : requirement(`Second behaviour ${index}`, 'The system MUST log it.'),
  );
  return parts.join('\n');
}

function modifiedDelta(index: number): string {
  return [
    '## MODIFIED Requirements',
    '',
    requirement('Requirement 1', `The system SHALL handle case 1 differently after change ${index}.`),
    '## REMOVED Requirements',
    '',
    '### Requirement: Requirement 6',
    '**Reason**: Replaced.',
    '**Migration**: None.',
    '',
  ].join('\n');
}

function tasks(index: number): string {
  const lines = ['## 1. Implementation', ''];
  for (let task = 1; task <= 6; task++)
    lines.push(`- [${(index + task) % 3 === 0 ? 'x' : ' '}] 1.${task} Task ${task}`);
  lines.push('', '## 2. Verification', '', '- [ ] 2.1 Tests', '- [ ] 2.2 Docs');
  if (index % 40 === 0) lines.push('- [ ] 2.2 Duplicate id');
  return lines.join('\n') + '\n';
}

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}
