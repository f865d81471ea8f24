import { assessImpact, type ImpactInput, type ProposalImpact } from '../../../../src/core/ai/improve/proposalImpact';
/** Realistic documents of one change (add-note-tags), for the impact check and the answer cleaning. */

export const OPENSPEC_DIR = '/project/openspec';
export const CHANGE_DIR = `${OPENSPEC_DIR}/changes/add-note-tags`;
export const PROPOSAL_FILE = `${CHANGE_DIR}/proposal.md`;
export const TASKS_FILE = `${CHANGE_DIR}/tasks.md`;
export const DESIGN_FILE = `${CHANGE_DIR}/design.md`;
export const TAGS_DELTA_FILE = `${CHANGE_DIR}/specs/tags/spec.md`;
export const NOTES_DELTA_FILE = `${CHANGE_DIR}/specs/notes/spec.md`;
export const NOTES_SPEC_FILE = `${OPENSPEC_DIR}/specs/notes/spec.md`;

export const PROPOSAL = `## Why
Writers with more than a few dozen notes cannot find them again: the list is sorted by time only.
Support tickets about "lost notes" doubled last quarter.

## What Changes
- Notes can carry tags, chosen when a note is created or edited.
- The note list can be filtered by one tag.

## Capabilities

### New Capabilities
- \`tags\`: naming, listing and filtering by tags

### Modified Capabilities
- \`notes\`: creating a note accepts tags

## Impact
New \`tags\` table; the list endpoint takes a \`tag\` query parameter.
`;

export const TASKS = `## 1. Storage

- [x] 1.1 Add the tags table and its migration
- [x] 1.2 Add the note_tags join table

## 2. API

- [x] 2.1 Accept tags when creating and editing a note
- [ ] 2.2 Filter the list endpoint by tag

## 3. Interface

- [ ] 3.1 Tag picker in the editor
- [ ] 3.2 Tag filter above the list
`;

export const TAGS_DELTA = `## Purpose
Lets users label notes with tags and find notes again by filtering on a tag.

## ADDED Requirements

### Requirement: Tag a note
The system SHALL let the owner attach up to 10 tags to a note, quickly.

#### Scenario: Tags saved
- **WHEN** the owner saves a note with the tags "work" and "ideas"
- **THEN** the note shows both tags

#### Scenario: Too many tags
- **WHEN** the owner adds an eleventh tag
- **THEN** the system refuses and says that a note has at most 10 tags

### Requirement: Filter by tag
The system SHALL list only the notes that carry the selected tag when a tag filter is set.

#### Scenario: Filter applied
- **WHEN** the user selects the tag "work"
- **THEN** only notes tagged "work" are listed
`;

export const NOTES_DELTA = `## MODIFIED Requirements

### Requirement: Create a note
The system SHALL let a signed-in user create a note with a title, a Markdown body and optional tags.

#### Scenario: Note created
- **WHEN** a signed-in user submits a title, a body and the tag "work"
- **THEN** the note is saved with its tag and appears first in their list

#### Scenario: Title missing
- **WHEN** a user submits a note without a title
- **THEN** the system rejects it and says that a title is required
`;

export const NOTES_SPEC = `# notes Specification

## Purpose
Writing and keeping notes.

## Requirements

### Requirement: Create a note
The system SHALL let a signed-in user create a note with a title and a Markdown body.

#### Scenario: Note created
- **WHEN** a signed-in user submits a title and a body
- **THEN** the note is saved and appears first in their list

#### Scenario: Title missing
- **WHEN** a user submits a note without a title
- **THEN** the system rejects it and says that a title is required

### Requirement: Delete a note
The system SHALL let the owner delete a note after confirming.

#### Scenario: Note deleted
- **WHEN** the owner confirms the deletion
- **THEN** the note disappears from the list
`;

export const DESIGN = `# Design: note tags

## Context
Notes live in one table; the list endpoint sorts by creation time.

## Decisions
- Tags are stored in a \`tags\` table and joined through \`note_tags\`.
- Tag names are compared case-insensitively.

## Risks
- A note with many tags makes the list query slower; the limit of 10 tags bounds it.
`;

/** Replaces the first occurrence of `find` in `text`, failing loudly when it is not there (a broken sample). */
export function edit(text: string, find: string, replace: string): string {
  if (!text.includes(find)) throw new Error(`sample does not contain ${JSON.stringify(find)}`);
  return text.replace(find, replace);
}

/** The impact of `proposedText` on the sample document `file`. */
export function impact(
  file: string,
  baseText: string,
  proposedText: string,
  extra: Partial<ImpactInput> = {},
): ProposalImpact {
  return assessImpact({ file, openspecDir: OPENSPEC_DIR, baseText, proposedText, ...extra });
}

/** The entries as `code subject`, for comparing whole lists. */
export const codes = (result: ProposalImpact): string[] =>
  result.entries.map((entry) => `${entry.code} ${entry.subject}`);
