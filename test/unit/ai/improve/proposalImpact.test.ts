import * as assert from 'node:assert/strict';
import { assessImpact, describeImpactForModel } from '../../../../src/core/ai/improve/proposalImpact';
import {
  codes,
  DESIGN,
  DESIGN_FILE,
  edit,
  impact,
  NOTES_SPEC,
  NOTES_SPEC_FILE,
  OPENSPEC_DIR,
  PROPOSAL,
  PROPOSAL_FILE,
  TAGS_DELTA,
  TAGS_DELTA_FILE,
  TASKS,
  TASKS_FILE,
} from './impactSamples';

describe('assessImpact: what a proposed text does to the document', () => {
  describe('the damage small models did', () => {
    it('tasks.md replaced by one line: sections and tasks gone, text shrunk', () => {
      const result = impact(TASKS_FILE, TASKS, '- [ ] Implement tags\n');
      assert.equal(result.kind, 'tasks');
      assert.equal(result.destructive, true);
      assert.equal(result.baseLines, 14);
      assert.equal(result.proposedLines, 1);
      assert.equal(result.keptShare, 0);
      assert.deepEqual(codes(result).filter((code) => code.startsWith('taskRemoved')).length, 6);
      assert.ok(codes(result).includes('sectionRemoved ## 1. Storage'));
      assert.ok(codes(result).includes('textShrunk the text'));
      assert.equal(
        result.summary,
        'removes ## 1. Storage, ## 2. API, ## 3. Interface and 6 tasks; keeps 0% of the text (14 → 1 lines)',
      );
    });

    it('proposal.md replaced by one line: Why and What Changes lost, capabilities gone', () => {
      const result = impact(PROPOSAL_FILE, PROPOSAL, 'Adds tags to notes.\n');
      assert.equal(result.kind, 'proposal');
      assert.equal(result.destructive, true);
      assert.deepEqual(codes(result).sort(), [
        'capabilityRemoved notes',
        'capabilityRemoved tags',
        'proposalSectionLost ## What Changes',
        'proposalSectionLost ## Why',
        'sectionRemoved ## Capabilities',
        'sectionRemoved ## Impact',
        'textShrunk the text',
      ]);
      // Why and What Changes are reported once, as lost, and their lint findings are the same fact.
      assert.equal(result.entries.filter((entry) => entry.code === 'lintAdded').length, 0);
      assert.match(result.summary, /^removes 4 sections and 2 capabilities; keeps 0% of the text \(18 → 1 lines\)$/);
    });

    it('the last task dropped', () => {
      const result = impact(TASKS_FILE, TASKS, edit(TASKS, '\n- [ ] 3.2 Tag filter above the list', ''));
      assert.deepEqual(codes(result), ['taskRemoved 3.2 Tag filter above the list']);
      assert.equal(result.entries[0]?.taskId, '3.2');
      assert.equal(result.entries[0]?.name, 'Tag filter above the list');
      assert.equal(result.destructive, true);
      assert.equal(result.summary, 'removes 1 task');
    });

    it('every open task ticked', () => {
      const result = impact(TASKS_FILE, TASKS, TASKS.replace(/\[ \]/g, '[x]'));
      assert.deepEqual(codes(result), [
        'taskChecked 2.2 Filter the list endpoint by tag',
        'taskChecked 3.1 Tag picker in the editor',
        'taskChecked 3.2 Tag filter above the list',
      ]);
      assert.equal(result.destructive, true);
      assert.equal(result.summary, 'ticks 3 tasks');
    });

    it('a done task unticked', () => {
      const result = impact(TASKS_FILE, TASKS, edit(TASKS, '- [x] 1.2', '- [ ] 1.2'));
      assert.deepEqual(codes(result), ['taskUnchecked 1.2 Add the note_tags join table']);
      assert.equal(result.summary, 'unticks 1 task');
    });

    it('the ## Impact section dropped', () => {
      const result = impact(PROPOSAL_FILE, PROPOSAL, PROPOSAL.slice(0, PROPOSAL.indexOf('## Impact')));
      assert.deepEqual(codes(result), ['sectionRemoved ## Impact']);
      assert.equal(result.entries[0]?.name, 'Impact');
      assert.equal(result.destructive, true);
      assert.equal(result.summary, 'removes ## Impact');
    });

    it('an ADDED requirement dropped while the delta stays valid', () => {
      const result = impact(
        TAGS_DELTA_FILE,
        TAGS_DELTA,
        TAGS_DELTA.slice(0, TAGS_DELTA.indexOf('### Requirement: Filter by tag')),
      );
      assert.equal(result.kind, 'delta');
      assert.deepEqual(codes(result), ['requirementRemoved Filter by tag']);
      assert.equal(result.entries[0]?.requirement, 'Filter by tag');
      assert.equal(result.destructive, true);
      assert.equal(result.summary, 'removes requirement "Filter by tag"');
    });

    it('listing numbers left in the text: nothing of the text is kept as it was', () => {
      const numbered = TASKS.split('\n')
        .map((line, index) => `${index + 1}: ${line}`)
        .join('\n');
      const result = impact(TASKS_FILE, TASKS, numbered);
      assert.equal(result.destructive, true);
      assert.equal(result.keptShare, 0);
      assert.ok(codes(result).includes('textShrunk the text'));
    });

    it('an answer wrapped in a code fence: every heading is inside it', () => {
      const result = impact(PROPOSAL_FILE, PROPOSAL, '```markdown\n' + PROPOSAL + '```\n');
      assert.equal(result.destructive, true);
      assert.ok(codes(result).includes('proposalSectionLost ## Why'));
    });

    it('a no-op, whatever its line endings, BOM or final newlines', () => {
      for (const proposed of [
        PROPOSAL,
        PROPOSAL.replace(/\n/g, '\r\n'),
        `\uFEFF${PROPOSAL}`,
        PROPOSAL.trimEnd(),
        `${PROPOSAL}\n\n`,
      ]) {
        const result = impact(PROPOSAL_FILE, PROPOSAL, proposed);
        assert.deepEqual(codes(result), ['unchanged the document']);
        assert.equal(result.destructive, false);
        assert.equal(result.keptShare, 1);
        assert.equal(result.summary, 'changes nothing');
        assert.equal(describeImpactForModel(result), '');
      }
    });
  });

  describe('good improvements', () => {
    it('a vague word replaced and a scenario added is not destructive and says nothing', () => {
      const improved =
        edit(TAGS_DELTA, 'to a note, quickly.', 'to a note within 1 second.') +
        '\n#### Scenario: No note carries the tag\n- **WHEN** the user selects a tag no note carries\n- **THEN** the list is empty and says that no note has the tag\n';
      const result = impact(TAGS_DELTA_FILE, TAGS_DELTA, improved);
      assert.deepEqual(result.entries, []);
      assert.equal(result.destructive, false);
      assert.equal(result.summary, '');
      assert.ok(result.keptShare > 0.9);
    });

    it('a proposal whose Why is made precise keeps everything', () => {
      const result = impact(
        PROPOSAL_FILE,
        PROPOSAL,
        edit(PROPOSAL, 'more than a few dozen notes', 'more than 50 notes'),
      );
      assert.deepEqual(result.entries, []);
    });

    it('a task reworded keeps its place and checkbox', () => {
      const result = impact(
        TASKS_FILE,
        TASKS,
        edit(TASKS, '3.1 Tag picker in the editor', '3.1 Tag picker in the note editor, with autocomplete'),
      );
      assert.deepEqual(result.entries, []);
    });

    it('a task added at the end is no loss', () => {
      const result = impact(TASKS_FILE, TASKS, `${TASKS}- [ ] 3.3 Tests for the tag filter\n`);
      assert.deepEqual(result.entries, []);
    });

    it('a short document gets a line rewritten without being called shrunk', () => {
      const file = `${OPENSPEC_DIR}/changes/add-note-tags/notes.md`;
      const result = impact(file, 'Line one.\nLine two.\n', 'Line one, sharper.\nLine two.\n');
      assert.equal(result.kind, 'other');
      assert.deepEqual(result.entries, []);
    });
  });

  describe('describeImpactForModel', () => {
    it('names what went, past tense, and asks to keep the rest', () => {
      const proposed = edit(PROPOSAL.slice(0, PROPOSAL.indexOf('## Impact')), '', '');
      const result = impact(PROPOSAL_FILE, PROPOSAL, proposed);
      assert.equal(
        describeImpactForModel(result),
        'Your answer removed the section ## Impact; keep everything that is not part of the fix.',
      );
    });

    it('lists removed and ticked tasks with a word on checkboxes', () => {
      const proposed = edit(
        TASKS,
        '- [ ] 3.1 Tag picker in the editor\n- [ ] 3.2 Tag filter above the list\n',
        '',
      ).replace('- [ ] 2.2', '- [x] 2.2');
      const result = impact(TASKS_FILE, TASKS, proposed);
      assert.equal(
        describeImpactForModel(result),
        'Your answer removed 2 tasks (3.1 Tag picker in the editor, 3.2 Tag filter above the list) and ticked 1 task (2.2 Filter the list endpoint by tag); ' +
          'keep everything that is not part of the fix. Leave every checkbox as it is: only the author ticks a task.',
      );
      assert.equal(result.summary, 'removes 2 tasks; ticks 1 task');
    });

    it('describes only the entries it is given', () => {
      const result = impact(PROPOSAL_FILE, PROPOSAL, 'Adds tags to notes.\n');
      const shrunk = result.entries.filter((entry) => entry.code === 'textShrunk');
      assert.equal(
        describeImpactForModel(result, shrunk),
        'Your answer kept only 0% of the text (18 → 1 lines); keep everything that is not part of the fix. Answer with the complete document, every line of it.',
      );
      assert.equal(describeImpactForModel(result, []), '');
    });
  });

  describe('robustness', () => {
    const documents: Array<[string, string]> = [
      [PROPOSAL_FILE, PROPOSAL],
      [TASKS_FILE, TASKS],
      [TAGS_DELTA_FILE, TAGS_DELTA],
      [NOTES_SPEC_FILE, NOTES_SPEC],
      [DESIGN_FILE, DESIGN],
      [`${OPENSPEC_DIR}/config.yaml`, 'schema: spec-driven\n'],
      ['/elsewhere/readme.md', '# Readme\n'],
    ];
    const damaged = [
      '',
      '\uFEFF',
      '\r\n\r\n',
      '```',
      '#',
      '## ',
      '### Requirement:',
      '#### Scenario:',
      '- [',
      '- [x]',
      '## ADDED Requirements\n### Requirement:\n#### Scenario:\n',
      '\u0000\u0001',
      '# '.repeat(500),
      '- [ ] 1.1\n'.repeat(300),
    ];

    it('never throws on empty, damaged or random texts', () => {
      let seed = 7;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const alphabet = [
        '#',
        '## ',
        '### Requirement: ',
        '#### Scenario: ',
        '- [ ] ',
        '- [x] ',
        '1.2 ',
        '```',
        '\n',
        '\r\n',
        '\r',
        ' ',
        'word',
        '**WHEN**',
        '`tags`',
        '<!--',
        '-->',
        '\uFEFF',
        'ADDED Requirements',
        'Why',
        'What Changes',
        '### New Capabilities\n- `x`',
      ];
      const noise = () =>
        Array.from(
          { length: Math.floor(random() * 60) },
          () => alphabet[Math.floor(random() * alphabet.length)] ?? '',
        ).join('');
      for (const [file, text] of documents) {
        const cut = text.slice(0, Math.floor(text.length / 3));
        for (const proposed of [...damaged, cut, noise(), noise(), text.split('').reverse().join('')]) {
          for (const [base, other] of [
            [text, proposed],
            [proposed, text],
            [proposed, noise()],
          ] as const) {
            const result = assessImpact({
              file,
              openspecDir: OPENSPEC_DIR,
              baseText: base,
              proposedText: other,
              requirement: 'Tag a note',
            });
            assert.ok(result.keptShare >= 0 && result.keptShare <= 1);
            assert.equal(typeof result.summary, 'string');
            assert.equal(typeof describeImpactForModel(result), 'string');
          }
        }
      }
    });

    // A catastrophic slowdown shows as mocha's test timeout; speed itself is npm run bench's to judge.
    it('answers on inputs built to be slow: long blank runs, long lines, many headings', () => {
      const slow = [
        `## Why\n${' '.repeat(100_000)}x\n`,
        `${'a'.repeat(200_000)}\n`,
        '## H\n'.repeat(5000),
        `<!--${' <!--'.repeat(20_000)}`,
        `- [ ] 1.1 ${'word '.repeat(20_000)}\n`,
      ];
      for (const text of slow) {
        for (const [file, base] of documents) {
          for (const result of [
            assessImpact({
              file,
              openspecDir: OPENSPEC_DIR,
              baseText: base,
              proposedText: text,
              requirement: 'Tag a note',
            }),
            assessImpact({ file, openspecDir: OPENSPEC_DIR, baseText: text, proposedText: base }),
          ]) {
            assert.ok(result.keptShare >= 0 && result.keptShare <= 1, `${file}: kept ${result.keptShare}`);
            assert.equal(typeof result.summary, 'string');
          }
        }
      }
    });

    it('answers on a long, completely rewritten document', () => {
      const base = Array.from({ length: 3000 }, (_, index) => `- [ ] ${index + 1}. Task number ${index}`).join('\n');
      const proposed = Array.from({ length: 3000 }, (_, index) => `- [x] Other task ${index}`).join('\n');
      const result = impact(TASKS_FILE, base, proposed);
      assert.equal(result.destructive, true);
      assert.ok(result.keptShare < 0.1, `kept ${result.keptShare}`);
    });
  });
});
