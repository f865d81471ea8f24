import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';

/** The `auth` project of the symbol, reference and rename tests: one main spec, two changes, one archived. */
export const MAIN = '/p/openspec/specs/auth/spec.md';
export const DELTA_A = '/p/openspec/changes/add-mfa/specs/auth/spec.md';
export const DELTA_B = '/p/openspec/changes/tidy-auth/specs/auth/spec.md';
export const ARCHIVED = '/p/openspec/changes/archive/2026-01-10-lockout/specs/auth/spec.md';
export const TASKS = '/p/openspec/changes/add-mfa/tasks.md';

export const MAIN_TEXT = [
  '# auth Specification', // 0
  '',
  '## Purpose', // 2
  'Who may sign in, and how.',
  '',
  '## Requirements', // 5
  '### Requirement: Login', // 6
  'The system SHALL log users in.',
  '',
  '#### Scenario: Good password', // 9
  '- **WHEN** a',
  '- **THEN** b',
  '',
  '### Requirement: Account lockout', // 13
  'The system SHALL lock an account.',
  '',
  '#### Scenario: Too many attempts', // 16
  '- **WHEN** a',
  '- **THEN** b',
  '',
  '#### Scenario: Unlock', // 20
  '- **WHEN** c',
  '- **THEN** d',
  '',
].join('\n');

export const DELTA_A_TEXT = [
  '## MODIFIED Requirements', // 0
  '### Requirement: Account lockout', // 1
  'The system SHALL lock an account after 5 attempts.',
  '',
  '#### Scenario: Too many attempts',
  '- **WHEN** a',
  '- **THEN** b',
  '',
  '## ADDED Requirements', // 8
  '### Requirement: Second factor', // 9
  'The system SHALL ask for a second factor.',
  '',
  '#### Scenario: Code', // 12
  '- **WHEN** a',
  '- **THEN** b',
  '',
].join('\n');

export const DELTA_B_TEXT = [
  '## RENAMED Requirements', // 0
  '- FROM: `### Requirement: Account lockout`', // 1
  '- TO: `### Requirement: Lockout after failures`', // 2
  '',
  '## REMOVED Requirements', // 4
  '- `### Requirement: Login`', // 5
  '',
].join('\n');

export const ARCHIVED_TEXT = [
  '## RENAMED Requirements', // 0
  '- FROM: `### Requirement: Lock account`', // 1
  '- TO: `### Requirement: Account lockout`', // 2
  '',
].join('\n');

/** An older archived change that added the requirement under its first name. */
export const FIRST_ARCHIVED = '/p/openspec/changes/archive/2025-06-01-add-lock/specs/auth/spec.md';
export const FIRST_ARCHIVED_TEXT = [
  '## ADDED Requirements',
  '### Requirement: Lock account', // 1
  'The system SHALL lock an account.',
  '',
  '#### Scenario: Locked',
  '- **WHEN** a',
  '- **THEN** b',
  '',
].join('\n');

export const TASKS_TEXT = [
  '## 1. Backend', // 0
  '- [x] 1.1 Store the factor', // 1
  '- [ ] 1.2 Check the code', // 2
  '',
  '## 2. Docs', // 4
  '- [ ] 2.1 Write it down', // 5
  '',
].join('\n');

export async function authWorkspace(more: Record<string, string> = {}): Promise<OpenSpecWorkspace> {
  const files = {
    [MAIN]: MAIN_TEXT,
    [DELTA_A]: DELTA_A_TEXT,
    [DELTA_B]: DELTA_B_TEXT,
    [ARCHIVED]: ARCHIVED_TEXT,
    [FIRST_ARCHIVED]: FIRST_ARCHIVED_TEXT,
    [TASKS]: TASKS_TEXT,
    '/p/openspec/changes/add-mfa/proposal.md': '## Why\nBecause.\n\n## What Changes\n- x\n',
    '/p/openspec/changes/tidy-auth/proposal.md': '## Why\nBecause.\n\n## What Changes\n- x\n',
    ...more,
  };
  const workspace = await scanWorkspace(new MemoryFileSystem(files), '/p');
  assert.ok(workspace);
  return workspace;
}
