import * as assert from 'node:assert/strict';
import { mentions, unjustifiedImpact } from '../../../../src/core/ai/improve/impactPolicy';
import type { FindingToFix } from '../../../../src/core/ai/improve/improveInstructions';
import { assessImpact, type ProposalImpact } from '../../../../src/core/ai/improve/proposalImpact';
import {
  edit,
  NOTES_DELTA,
  NOTES_DELTA_FILE,
  OPENSPEC_DIR,
  PROPOSAL,
  PROPOSAL_FILE,
  TAGS_DELTA,
  TAGS_DELTA_FILE,
  TASKS,
  TASKS_FILE,
} from './impactSamples';

function impact(file: string, baseText: string, proposedText: string, requirement?: string): ProposalImpact {
  return assessImpact({
    file,
    openspecDir: OPENSPEC_DIR,
    baseText,
    proposedText,
    ...(requirement ? { requirement } : {}),
  });
}

const left = (result: ProposalImpact, findings: readonly FindingToFix[], instruction?: string) =>
  unjustifiedImpact(result, findings, instruction).map((entry) => `${entry.code} ${entry.subject}`);

const withoutFilter = impact(
  TAGS_DELTA_FILE,
  TAGS_DELTA,
  TAGS_DELTA.slice(0, TAGS_DELTA.indexOf('### Requirement: Filter by tag')),
);
const withoutScenario = impact(
  NOTES_DELTA_FILE,
  NOTES_DELTA,
  NOTES_DELTA.slice(0, NOTES_DELTA.indexOf('#### Scenario: Title missing')),
);
const withoutImpact = impact(PROPOSAL_FILE, PROPOSAL, PROPOSAL.slice(0, PROPOSAL.indexOf('## Impact')));

describe('unjustifiedImpact: destructive effects nobody asked for', () => {
  it('keeps every destructive entry when no finding asks for anything', () => {
    assert.deepEqual(left(withoutFilter, []), ['requirementRemoved Filter by tag']);
    assert.deepEqual(left(withoutImpact, [{ message: 'The proposal is vague.' }]), ['sectionRemoved ## Impact']);
  });

  it('never returns entries that are not destructive', () => {
    const renamed = impact(
      TAGS_DELTA_FILE,
      TAGS_DELTA,
      edit(TAGS_DELTA, '### Requirement: Filter by tag', '### Requirement: Filter notes by tag'),
    );
    assert.equal(renamed.entries.length, 1);
    assert.deepEqual(left(renamed, []), []);
  });

  describe('a requirement removal', () => {
    it('is justified by a finding on that requirement that asks to remove it', () => {
      assert.deepEqual(
        left(withoutFilter, [
          { category: 'scope', requirement: 'Filter by tag', message: 'Filtering is out of scope for this change.' },
        ]),
        [],
      );
    });

    it('is justified by a message that quotes the name and speaks of duplication', () => {
      const finding: FindingToFix = {
        category: 'inconsistency-with-specs',
        message: 'ADDED "Filter by tag" duplicates the requirement of the same name in openspec/specs/notes/spec.md.',
      };
      assert.deepEqual(left(withoutFilter, [finding]), []);
    });

    it('matches the requirement name loosely in the finding field', () => {
      assert.deepEqual(
        left(withoutFilter, [
          { requirement: '### Requirement: filter  by tag', message: 'Redundant with Tag a note.' },
        ]),
        [],
      );
    });

    it('is not justified by a finding on that requirement that asks for other things', () => {
      assert.deepEqual(
        left(withoutFilter, [
          { category: 'missing-scenario', requirement: 'Filter by tag', message: 'No scenario for a tag nobody uses.' },
        ]),
        ['requirementRemoved Filter by tag'],
      );
    });

    it('is not justified by a removal finding about another requirement', () => {
      const finding: FindingToFix = {
        category: 'scope',
        requirement: 'Tag a note',
        message: 'Remove the limit of 10 tags: it is out of scope.',
      };
      assert.deepEqual(left(withoutFilter, [finding]), ['requirementRemoved Filter by tag']);
    });

    it('is not justified by a name that is only part of a word or a longer name', () => {
      const finding: FindingToFix = { message: 'Remove "Filter by tags" from the notes spec.' };
      assert.deepEqual(left(withoutFilter, [finding]), ['requirementRemoved Filter by tag']);
    });

    it('is never justified by an ambiguity finding', () => {
      const finding: FindingToFix = {
        category: 'ambiguity',
        requirement: 'Filter by tag',
        message: 'Remove the vague word "selected" from Filter by tag.',
      };
      assert.deepEqual(left(withoutFilter, [finding]), ['requirementRemoved Filter by tag']);
    });

    it('is justified by an instruction that names it and asks to drop it', () => {
      assert.deepEqual(
        left(withoutFilter, [], 'Drop the requirement "Filter by tag"; it moves to a later change.'),
        [],
      );
      assert.deepEqual(left(withoutFilter, [], 'Make "Filter by tag" precise.'), ['requirementRemoved Filter by tag']);
      assert.deepEqual(left(withoutFilter, [], '   '), ['requirementRemoved Filter by tag']);
    });
  });

  describe('a scenario removal', () => {
    it('is justified only by a finding that names its requirement and asks for a removal', () => {
      const named: FindingToFix = {
        category: 'scope',
        requirement: 'Create a note',
        message: 'The scenario "Title missing" is redundant: the main spec already has it.',
      };
      assert.deepEqual(left(withoutScenario, [named]), []);
      const unnamed: FindingToFix = { category: 'scope', message: 'The scenario "Title missing" is redundant.' };
      assert.deepEqual(left(withoutScenario, [unnamed]), ['scenarioRemoved Title missing']);
      const noRemoval: FindingToFix = {
        category: 'untestable',
        requirement: 'Create a note',
        message: 'Title missing has no observable THEN.',
      };
      assert.deepEqual(left(withoutScenario, [noRemoval]), ['scenarioRemoved Title missing']);
    });
  });

  describe('a section removal', () => {
    it('is justified by a finding naming the section and asking to remove it', () => {
      assert.deepEqual(
        left(withoutImpact, [{ category: 'other', message: 'The ## Impact section repeats What Changes; delete it.' }]),
        [],
      );
      assert.deepEqual(left(withoutImpact, [{ message: 'Remove the duplicated paragraph in What Changes.' }]), [
        'sectionRemoved ## Impact',
      ]);
      assert.deepEqual(left(withoutImpact, [{ message: 'The Impact section is vague about the table.' }]), [
        'sectionRemoved ## Impact',
      ]);
    });
  });

  describe('a task removal', () => {
    const withoutTask = impact(TASKS_FILE, TASKS, edit(TASKS, '- [ ] 3.2 Tag filter above the list\n', ''));

    it('is justified by a finding that names the task by number or text and asks to drop it', () => {
      assert.deepEqual(
        left(withoutTask, [{ category: 'coverage', message: 'Task 3.2 duplicates 2.2; remove it.' }]),
        [],
      );
      assert.deepEqual(
        left(withoutTask, [{ category: 'coverage', message: '"Tag filter above the list" is not needed.' }]),
        [],
      );
      assert.deepEqual(left(withoutTask, [{ category: 'coverage', message: 'Task 3.2.1 is redundant.' }]), [
        'taskRemoved 3.2 Tag filter above the list',
      ]);
      assert.deepEqual(left(withoutTask, [{ category: 'coverage', message: 'Task 13.2 is redundant.' }]), [
        'taskRemoved 3.2 Tag filter above the list',
      ]);
    });
  });

  describe('what nothing justifies', () => {
    const removeEverything: FindingToFix[] = [
      {
        category: 'scope',
        message: 'Remove and delete everything: all tasks, 2.2 3.1 3.2, the text, Why, What Changes, Tag a note.',
      },
    ];

    it('ticking and unticking tasks', () => {
      const ticked = impact(
        TASKS_FILE,
        TASKS,
        TASKS.replace('- [ ] 2.2', '- [x] 2.2').replace('- [x] 1.1', '- [ ] 1.1'),
      );
      assert.deepEqual(left(ticked, removeEverything, 'Tick 2.2 and remove the tick of 1.1.'), [
        'taskUnchecked 1.1 Add the tags table and its migration',
        'taskChecked 2.2 Filter the list endpoint by tag',
      ]);
    });

    it('a shrunk text and a lost Why', () => {
      const oneLine = impact(PROPOSAL_FILE, PROPOSAL, 'Adds tags.\n');
      const remaining = left(oneLine, removeEverything);
      assert.ok(remaining.includes('textShrunk the text'));
      assert.ok(remaining.includes('proposalSectionLost ## Why'));
      assert.ok(remaining.includes('proposalSectionLost ## What Changes'));
    });

    it('text changed outside the targeted requirement', () => {
      const outside = impact(
        TAGS_DELTA_FILE,
        TAGS_DELTA,
        edit(TAGS_DELTA, 'only notes tagged "work" are listed', 'only work notes'),
        'Tag a note',
      );
      assert.deepEqual(left(outside, removeEverything), ['outsideTarget Tag a note']);
    });
  });

  describe('a requirement moved between delta sections', () => {
    const moved = impact(
      TAGS_DELTA_FILE,
      TAGS_DELTA,
      edit(TAGS_DELTA, '### Requirement: Filter by tag', '## MODIFIED Requirements\n\n### Requirement: Filter by tag'),
    );

    it('is justified by a finding on it that asks for the new section or speaks of duplication', () => {
      assert.deepEqual(
        left(moved, [
          {
            category: 'inconsistency-with-specs',
            requirement: 'Filter by tag',
            message: 'It already exists in the main spec: use MODIFIED.',
          },
        ]),
        [],
      );
      assert.deepEqual(
        left(moved, [
          {
            category: 'inconsistency-with-specs',
            message: 'ADDED "Filter by tag" duplicates an existing requirement.',
          },
        ]),
        [],
      );
    });

    it('is not justified otherwise', () => {
      assert.deepEqual(left(moved, [{ category: 'format', requirement: 'Filter by tag', message: 'Say SHALL.' }]), [
        'requirementMoved Filter by tag',
      ]);
      assert.deepEqual(
        left(moved, [{ category: 'ambiguity', requirement: 'Filter by tag', message: 'Use MODIFIED.' }]),
        ['requirementMoved Filter by tag'],
      );
    });
  });

  it('a capability removal follows the same rule', () => {
    const withoutNotes = impact(
      PROPOSAL_FILE,
      PROPOSAL,
      edit(PROPOSAL, '- `notes`: creating a note accepts tags\n', ''),
    );
    assert.deepEqual(
      left(withoutNotes, [
        { category: 'coverage', message: 'The capability `notes` has no delta; remove it from Modified Capabilities.' },
      ]),
      [],
    );
    assert.deepEqual(
      left(withoutNotes, [{ category: 'coverage', message: 'The capability `tags` has no delta; remove it.' }]),
      ['capabilityRemoved notes'],
    );
  });

  it('mentions names as whole phrases, ignoring case', () => {
    assert.equal(mentions('Remove "filter by TAG" please', 'Filter by tag'), true);
    assert.equal(mentions('Filter by tags', 'Filter by tag'), false);
    assert.equal(mentions('see C# notes', 'C#'), true);
    assert.equal(mentions('anything', ''), false);
    assert.equal(mentions('a (b) c', '(b)'), true);
  });
});
