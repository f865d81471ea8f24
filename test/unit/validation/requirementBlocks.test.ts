import * as assert from 'node:assert/strict';
import { parseDeltaSpec } from '../../../src/core/validation/deltaSpecParser';
import type { RequirementBlock } from '../../../src/core/validation/requirementBlocks';
import { foldRequirementName, normalizeRequirementName } from '../../../src/core/validation/requirementNames';
import { extractRequirementsSection } from '../../../src/core/validation/requirementsSection';
import { describeScenarioBalance, diffScenarioNames } from '../../../src/core/validation/scenarioNameDiff';

// Expected values were taken from the same functions of the OpenSpec CLI 1.13.2 on the same input.
const block = (raw: string): RequirementBlock => ({ headerLine: raw.split('\n')[0] ?? '', name: 'A', raw });

describe('requirement names', () => {
  it('drops a closing # run only after a space, and folds case and spacing for typo checks', () => {
    assert.equal(normalizeRequirementName('  Foo ##  '), 'Foo');
    assert.equal(normalizeRequirementName('C#'), 'C#');
    assert.equal(foldRequirementName('Old  NAME ###'), 'old name');
  });
});

describe('extractRequirementsSection', () => {
  it('splits a main spec around ## Requirements, ignoring fenced headers', () => {
    const spec =
      '# T\n\n## Purpose\nP\n\n## Requirements\nIntro text\n\n### Requirement: A\nThe system SHALL a.\n\n```\n### Requirement: Fenced\n```\n' +
      '### Requirement: B ##\nB\n\n## Notes\nN\n';
    assert.deepEqual(extractRequirementsSection(spec), {
      before: '# T\n\n## Purpose\nP\n\n',
      headerLine: '## Requirements',
      preamble: 'Intro text',
      bodyBlocks: [
        {
          headerLine: '### Requirement: A',
          name: 'A',
          raw: '### Requirement: A\nThe system SHALL a.\n\n```\n### Requirement: Fenced\n```',
        },
        { headerLine: '### Requirement: B ##', name: 'B', raw: '### Requirement: B ##\nB' },
      ],
      after: '\n## Notes\nN\n',
    });
  });

  it('places an empty section at the end when there is none', () => {
    assert.deepEqual(extractRequirementsSection('# T\n\n## Purpose\nP\n\n'), {
      before: '# T\n\n## Purpose\nP\n\n',
      headerLine: '## Requirements',
      preamble: '',
      bodyBlocks: [],
      after: '\n',
    });
  });
});

describe('parseDeltaSpec', () => {
  it('reads REMOVED names and RENAMED pairs written with any bullet', () => {
    const plan = parseDeltaSpec(
      '## REMOVED Requirements\n- `### Requirement: A`\n* `### Requirement: B`\n+ ### Requirement: C\n### Requirement: D\n\n' +
        '## RENAMED Requirements\n* FROM: `### Requirement: E`\n+ TO: `### Requirement: F`\nFROM: ### Requirement: G\nTO: ### Requirement: H\n',
    );
    assert.deepEqual(plan.removed, ['A', 'B', 'C', 'D']);
    assert.deepEqual(plan.removedBlocks, [{ headerLine: '### Requirement: D', name: 'D', raw: '### Requirement: D' }]);
    assert.deepEqual(plan.renamed, [
      { from: 'E', to: 'F' },
      { from: 'G', to: 'H' },
    ]);
    assert.deepEqual(plan.sectionPresence, { added: false, modified: false, removed: true, renamed: true });
  });

  it('merges repeated and differently cased sections, and skips fenced requirements', () => {
    const plan = parseDeltaSpec(
      '## ADDED Requirements\n### Requirement: One\nx\n\n## added requirements\n```\n### Requirement: Fenced\n```\n### Requirement: Two\ny\n',
    );
    assert.deepEqual(
      plan.added.map((found) => found.name),
      ['One', 'Two'],
    );
    assert.deepEqual(plan.orphanedRequirements, []);
  });

  it('records requirements outside delta sections with their section and line', () => {
    const plan = parseDeltaSpec('### Requirement: Top\nx\n\n## ADDED  Requirements\n### Requirement: Spaced\n');
    assert.deepEqual(plan.orphanedRequirements, [
      { name: 'Top', section: null, line: 1 },
      { name: 'Spaced', section: 'ADDED  Requirements', line: 5 },
    ]);
    assert.equal(plan.sectionPresence.added, false);
  });
});

describe('diffScenarioNames and describeScenarioBalance', () => {
  it('compares scenario names both ways, counting duplicates and ignoring fenced headers', () => {
    const current = block(
      '### Requirement: A\nx\n#### Scenario: One\n#### Scenario: One\n#### Two ##\n```\n#### Scenario: fenced\n```',
    );
    const incoming = block('### Requirement: A\nx\n#### scenario: One\n#### Three\n#### Four\n#### Five\n#### Six');
    const diff = diffScenarioNames(current, incoming);
    assert.deepEqual(diff, {
      missing: ['One', 'Two'],
      added: ['Three', 'Four', 'Five', 'Six'],
      currentCount: 3,
      incomingCount: 5,
    });
    assert.equal(
      describeScenarioBalance(diff),
      'The modified block has 5 scenarios; the current spec has 3 scenarios. It adds 4 scenarios not in the current spec: "Three", "Four", "Five" and 1 more.',
    );
    assert.equal(
      describeScenarioBalance({ missing: ['x'], added: [], currentCount: 1, incomingCount: 0 }),
      'The modified block has 0 scenarios; the current spec has 1 scenario. It adds none.',
    );
  });
});
