import * as assert from 'node:assert/strict';
import { scanWorkspace } from '../../../../src/core/openspec/workspaceScanner';
import {
  ChangeNotFoundError,
  changeContextFromWorkspace,
  loadChangeContext,
} from '../../../../src/core/ai/prompt/changeContext';
import { changePromptParts } from '../../../../src/core/ai/prompt/changePromptParts';
import { SAMPLE_ROOT, sampleProjectFs } from './sampleWorkspace';

describe('change context for prompts', () => {
  it('reads the change, only the main specs its deltas touch, and config.yaml', async () => {
    const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    assert.equal(context.change.id, 'add-note-tags');
    assert.deepEqual(
      context.change.deltas.map((delta) => delta.capability),
      ['notes', 'tags'],
    );
    // `tags` is a new capability: no main spec yet. sharing/links is not touched.
    assert.deepEqual(
      context.mainSpecs.map((spec) => spec.capability),
      ['notes'],
    );
    assert.deepEqual(context.config?.data.rules?.specs, ['Every requirement has a failure scenario.']);
  });

  it('agrees with the context built from a scanned workspace', async () => {
    const fs = sampleProjectFs();
    const workspace = await scanWorkspace(fs, SAMPLE_ROOT);
    assert.ok(workspace);
    const fromWorkspace = changeContextFromWorkspace(workspace, 'expire-shared-links');
    const loaded = await loadChangeContext(fs, SAMPLE_ROOT, 'expire-shared-links');
    assert.deepEqual(
      fromWorkspace.mainSpecs.map((spec) => spec.path),
      loaded.mainSpecs.map((spec) => spec.path),
    );
    assert.equal(fromWorkspace.config?.path, loaded.config?.path);
  });

  it('refuses unknown changes, the archive and paths that leave changes/', async () => {
    const fs = sampleProjectFs();
    for (const id of ['nope', 'archive', '../specs', 'add-note-tags/specs', '']) {
      await assert.rejects(loadChangeContext(fs, SAMPLE_ROOT, id), ChangeNotFoundError, id);
    }
  });

  it('builds labelled parts: config rules, documents, deltas and the touched main spec', async () => {
    const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    const parts = changePromptParts(context, { target: context.change.proposal });
    assert.deepEqual(
      parts.map((part) => [part.kind, part.path]),
      [
        ['config', 'openspec/config.yaml'],
        ['target', 'openspec/changes/add-note-tags/proposal.md'],
        ['document', 'openspec/changes/add-note-tags/design.md'],
        ['document', 'openspec/changes/add-note-tags/tasks.md'],
        ['delta', 'openspec/changes/add-note-tags/specs/notes/spec.md'],
        ['delta', 'openspec/changes/add-note-tags/specs/tags/spec.md'],
        ['mainSpec', 'openspec/specs/notes/spec.md'],
      ],
    );
    const config = parts[0]!.text;
    assert.match(config, /Project context:\nNotes is a web app/);
    assert.match(config, /Rules for proposal:\n- Name the users affected in "Why"\./);
    assert.match(config, /Rules for specs:\n- Every requirement has a failure scenario\./);
    assert.equal(parts[1]!.required, true);
    assert.match(
      parts[1]!.text,
      /^<file path="openspec\/changes\/add-note-tags\/proposal.md" lines="1-18">\n1: ## Why\n/,
    );
  });

  it('offers a main spec shortened to the requirements the deltas name, other requirements by header', async () => {
    const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    const main = changePromptParts(context).find((part) => part.kind === 'mainSpec');
    const shorter = main?.shorter?.[0];
    assert.ok(shorter);
    assert.match(shorter.note, /only the 1 requirement\(s\) this change names/);
    assert.match(
      shorter.text,
      /8: ### Requirement: Create a note\n9: The system SHALL let a signed-in user create a note/,
    );
    assert.match(shorter.text, /17: - \*\*THEN\*\* the system rejects it/);
    assert.match(
      shorter.text,
      /\.\.\.\n19: ### Requirement: Edit a note\n\.\.\.\n30: ### Requirement: Delete a note\n\.\.\.\n<\/file>$/,
    );
    assert.doesNotMatch(shorter.text, /Someone else edits/);
  });

  it('lists the target without line numbers when asked', async () => {
    const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    const target = context.change.deltas[1]!;
    const part = changePromptParts(context, { target, numberTarget: false }).find(
      (candidate) => candidate.kind === 'target',
    );
    assert.equal(
      part?.text,
      `<file path="openspec/changes/add-note-tags/specs/tags/spec.md" lines="1-22">\n${target.text.trimEnd()}\n</file>`,
    );
    assert.equal(changePromptParts(context, { target }).filter((candidate) => candidate.path === part?.path).length, 1);
  });

  it('lets a target focused on one requirement shrink to it and the headings instead of failing', async () => {
    const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    const target = context.mainSpecs[0]!;
    const edit = target.requirements[1]!;
    const part = changePromptParts(context, {
      target,
      numberTarget: false,
      focus: [edit.range.start.line, edit.range.end.line],
    }).find((candidate) => candidate.kind === 'target');
    const shorter = part?.shorter?.[0];
    assert.ok(part && shorter);
    assert.equal(part.required, true);
    assert.equal(
      shorter.text,
      [
        '<file path="openspec/specs/notes/spec.md" lines="1-39" shortened="only the part to improve is shown in full; the rest by its headings">',
        '# notes Specification',
        '...',
        '## Purpose',
        '...',
        '## Requirements',
        '...',
        '### Requirement: Create a note',
        '...',
        '#### Scenario: Note created',
        '...',
        '#### Scenario: Title missing',
        '...',
        ...target.text.split('\n').slice(edit.range.start.line, edit.range.end.line + 1),
        '...',
        '### Requirement: Delete a note',
        '...',
        '#### Scenario: Note deleted',
        '...',
        '#### Scenario: Trash expires',
        '...',
        '</file>',
      ].join('\n'),
    );
  });
});
