import * as assert from 'node:assert/strict';
import { parseMainSpec } from '../../../../src/core/openspec/specDocuments';
import {
  codes,
  DESIGN,
  DESIGN_FILE,
  edit,
  impact,
  NOTES_DELTA,
  NOTES_DELTA_FILE,
  NOTES_SPEC,
  NOTES_SPEC_FILE,
  PROPOSAL,
  PROPOSAL_FILE,
  TAGS_DELTA,
  TAGS_DELTA_FILE,
  TASKS,
  TASKS_FILE,
} from './impactSamples';

describe('assessImpact: the rules per kind of document', () => {
  describe('sections', () => {
    it('a renamed section is notable, not destructive', () => {
      const result = impact(DESIGN_FILE, DESIGN, edit(DESIGN, '## Risks', '## Risks and trade-offs'));
      assert.equal(result.kind, 'design');
      assert.deepEqual(codes(result), ['sectionRenamed ## Risks']);
      assert.equal(result.destructive, false);
      assert.equal(result.summary, 'renames ## Risks to ## Risks and trade-offs');
    });

    it('a retitled document (# title) is a rename too', () => {
      const result = impact(DESIGN_FILE, DESIGN, edit(DESIGN, '# Design: note tags', '# Design: tags for notes'));
      assert.deepEqual(codes(result), ['sectionRenamed # Design: note tags']);
    });

    it('a section replaced by an unrelated one is a removal', () => {
      const result = impact(
        DESIGN_FILE,
        DESIGN,
        edit(
          DESIGN,
          '## Risks\n- A note with many tags makes the list query slower; the limit of 10 tags bounds it.',
          '## Open questions\n- Should tags be shared between users?',
        ),
      );
      assert.deepEqual(codes(result), ['sectionRemoved ## Risks']);
    });

    it('sections that only swapped places are not lost', () => {
      const reordered = `# Design: note tags\n\n## Decisions\n- Tags are stored in a \`tags\` table and joined through \`note_tags\`.\n- Tag names are compared case-insensitively.\n\n## Context\nNotes live in one table; the list endpoint sorts by creation time.\n\n## Risks\n- A note with many tags makes the list query slower; the limit of 10 tags bounds it.\n`;
      const result = impact(DESIGN_FILE, DESIGN, reordered);
      assert.deepEqual(
        result.entries.filter((entry) => entry.code.startsWith('section')),
        [],
      );
    });

    it('emptying What Changes loses it', () => {
      const result = impact(
        PROPOSAL_FILE,
        PROPOSAL,
        edit(
          PROPOSAL,
          '- Notes can carry tags, chosen when a note is created or edited.\n- The note list can be filtered by one tag.\n',
          '<!-- what changes -->\n',
        ),
      );
      assert.deepEqual(codes(result), ['proposalSectionLost ## What Changes']);
      assert.equal(result.entries[0]?.detail, 'emptied');
      assert.equal(result.summary, 'empties ## What Changes');
    });

    it('renaming Why loses it once, as the section the format requires', () => {
      const result = impact(PROPOSAL_FILE, PROPOSAL, edit(PROPOSAL, '## Why', '## Motivation'));
      assert.deepEqual(codes(result), ['proposalSectionLost ## Why']);
      assert.equal(result.destructive, true);
    });
  });

  describe('proposal capabilities and lint', () => {
    it('a capability dropped from its list', () => {
      const result = impact(
        PROPOSAL_FILE,
        PROPOSAL,
        edit(
          PROPOSAL,
          '### Modified Capabilities\n- `notes`: creating a note accepts tags\n',
          '### Modified Capabilities\n',
        ),
      );
      assert.deepEqual(codes(result), ['capabilityRemoved notes']);
      assert.equal(result.entries[0]?.detail, 'from Modified Capabilities');
      assert.equal(result.summary, 'removes capability "notes"');
    });

    it('a capability moved between New and Modified is not removed; the lint it breaks is listed', () => {
      const moved = edit(
        edit(PROPOSAL, '- `notes`: creating a note accepts tags\n', ''),
        '- `tags`: naming, listing and filtering by tags\n',
        '- `tags`: naming, listing and filtering by tags\n- `notes`: creating a note accepts tags\n',
      );
      const mainSpecs = [parseMainSpec(NOTES_SPEC_FILE, 'notes', NOTES_SPEC)];
      const result = impact(PROPOSAL_FILE, PROPOSAL, moved, { mainSpecs });
      assert.deepEqual(codes(result), [
        "lintAdded 'notes' is listed under New Capabilities but openspec/specs/notes/spec.md already exists; list it under Modified Capabilities.",
      ]);
      assert.equal(result.entries[0]?.detail, 'new-capability-exists');
      assert.equal(result.destructive, false);
      assert.equal(result.summary, 'adds 1 lint finding (new-capability-exists)');
    });

    it('without the main specs, lint that needs them is left out', () => {
      const result = impact(
        PROPOSAL_FILE,
        PROPOSAL,
        edit(
          PROPOSAL,
          '- `notes`: creating a note accepts tags',
          '- `notes`: creating a note accepts tags\n- `search`: find notes by text',
        ),
      );
      assert.deepEqual(result.entries, []);
    });
  });

  describe('tasks', () => {
    it('renumbered tasks are notable; removing one in the middle is destructive', () => {
      const proposed = edit(
        edit(TASKS, '- [ ] 3.1 Tag picker in the editor\n', ''),
        '3.2 Tag filter',
        '3.1 Tag filter',
      );
      const result = impact(TASKS_FILE, TASKS, proposed);
      assert.deepEqual(codes(result), [
        'taskRemoved 3.1 Tag picker in the editor',
        'taskRenumbered 3.2 Tag filter above the list',
      ]);
      assert.equal(result.entries[1]?.detail, 'now 3.1');
      assert.equal(result.summary, 'removes 1 task; renumbers 1 task');
    });

    it('a CRLF tasks.md with a BOM loses a task', () => {
      const base = `\uFEFF${TASKS.replace(/\n/g, '\r\n')}`;
      const result = impact(TASKS_FILE, base, edit(TASKS, '- [ ] 2.2 Filter the list endpoint by tag\n', ''));
      assert.deepEqual(codes(result), ['taskRemoved 2.2 Filter the list endpoint by tag']);
    });

    it('a CRLF base and its LF copy are unchanged', () => {
      const result = impact(TASKS_FILE, TASKS.replace(/\n/g, '\r\n'), TASKS);
      assert.deepEqual(codes(result), ['unchanged the document']);
    });
  });

  describe('requirements', () => {
    it('a requirement moved from ADDED to MODIFIED', () => {
      const result = impact(
        TAGS_DELTA_FILE,
        TAGS_DELTA,
        edit(
          TAGS_DELTA,
          '### Requirement: Filter by tag',
          '## MODIFIED Requirements\n\n### Requirement: Filter by tag',
        ),
      );
      assert.deepEqual(codes(result), ['requirementMoved Filter by tag']);
      assert.equal(result.entries[0]?.from, 'ADDED');
      assert.equal(result.entries[0]?.to, 'MODIFIED');
      assert.equal(result.summary, 'moves requirement "Filter by tag" (ADDED → MODIFIED)');
    });

    it('a renamed requirement is notable, not destructive', () => {
      const result = impact(
        TAGS_DELTA_FILE,
        TAGS_DELTA,
        edit(TAGS_DELTA, '### Requirement: Filter by tag', '### Requirement: Filter notes by tag'),
      );
      assert.deepEqual(codes(result), ['requirementRenamed Filter by tag']);
      assert.equal(result.destructive, false);
      assert.equal(result.summary, 'renames requirement "Filter by tag" to "Filter notes by tag"');
    });

    it('a scenario dropped from a MODIFIED requirement', () => {
      const result = impact(
        NOTES_DELTA_FILE,
        NOTES_DELTA,
        NOTES_DELTA.slice(0, NOTES_DELTA.indexOf('#### Scenario: Title missing')),
      );
      assert.deepEqual(codes(result), ['scenarioRemoved Title missing']);
      assert.equal(result.entries[0]?.requirement, 'Create a note');
      assert.equal(result.summary, 'removes scenario "Title missing"');
    });

    it('a renamed scenario with the same steps is kept', () => {
      const result = impact(
        NOTES_DELTA_FILE,
        NOTES_DELTA,
        edit(NOTES_DELTA, '#### Scenario: Title missing', '#### Scenario: Note without a title'),
      );
      assert.deepEqual(result.entries, []);
    });

    it('a requirement dropped from a main spec', () => {
      const result = impact(
        NOTES_SPEC_FILE,
        NOTES_SPEC,
        NOTES_SPEC.slice(0, NOTES_SPEC.indexOf('### Requirement: Delete a note')),
      );
      assert.equal(result.kind, 'spec');
      assert.deepEqual(codes(result), ['requirementRemoved Delete a note']);
    });

    it('a dropped RENAMED entry is a removal', () => {
      const base =
        '## RENAMED Requirements\n\n- FROM: `### Requirement: Create a note`\n- TO: `### Requirement: Write a note`\n';
      const result = impact(NOTES_DELTA_FILE, base, '## RENAMED Requirements\n');
      assert.deepEqual(codes(result), ['textShrunk the text', 'requirementRemoved Create a note']);
      assert.match(result.entries[1]?.detail ?? '', /RENAMED entry \(to "Write a note"\)/);
    });

    describe('with one requirement targeted', () => {
      const fixed = edit(TAGS_DELTA, 'to a note, quickly.', 'to a note.');

      it('changes inside the target only are fine', () => {
        assert.deepEqual(impact(TAGS_DELTA_FILE, TAGS_DELTA, fixed, { requirement: 'Tag a note' }).entries, []);
      });

      it('a line changed outside the target is destructive', () => {
        const result = impact(
          TAGS_DELTA_FILE,
          TAGS_DELTA,
          edit(fixed, 'only notes tagged "work" are listed', 'only work notes are listed'),
          { requirement: 'Tag a note' },
        );
        assert.deepEqual(codes(result), ['outsideTarget Tag a note']);
        assert.equal(result.entries[0]?.detail, '1 line changed');
        assert.equal(result.summary, 'changes text outside requirement "Tag a note" (1 line changed)');
      });

      it('a requirement added outside the target counts as text outside it', () => {
        const added = `${fixed}\n### Requirement: Rename a tag\nThe system SHALL let the owner rename a tag.\n\n#### Scenario: Renamed\n- **WHEN** the owner renames "work" to "job"\n- **THEN** every note shows "job"\n`;
        const result = impact(TAGS_DELTA_FILE, TAGS_DELTA, added, { requirement: 'tag a note' });
        assert.deepEqual(codes(result), ['outsideTarget Tag a note']);
      });

      it('a targeted requirement that is most of the document may be rewritten entirely', () => {
        const rewritten = edit(
          NOTES_DELTA,
          NOTES_DELTA.slice(NOTES_DELTA.indexOf('The system SHALL')),
          'The system SHALL save a note that has a title of 1 to 200 characters.\n\n#### Scenario: Note created\n- **WHEN** a user saves "Groceries"\n- **THEN** it is listed first\n\n#### Scenario: Title missing\n- **WHEN** the title is empty\n- **THEN** saving fails with "A title is required"\n',
        );
        const whole = impact(NOTES_DELTA_FILE, NOTES_DELTA, rewritten);
        assert.ok(codes(whole).includes('textShrunk the text'));
        const targeted = impact(NOTES_DELTA_FILE, NOTES_DELTA, rewritten, { requirement: 'Create a note' });
        assert.deepEqual(targeted.entries, []);
        assert.ok(targeted.keptShare < 0.6);
      });

      it('an unknown target leaves the check out', () => {
        const result = impact(
          TAGS_DELTA_FILE,
          TAGS_DELTA,
          edit(fixed, 'only notes tagged "work" are listed', 'only work notes are listed'),
          { requirement: 'Nope' },
        );
        assert.deepEqual(result.entries, []);
      });
    });
  });
});
