/** Deterministic random OpenSpec-ish documents and mutations, so a failing case can be replayed by seed. */
export class Random {
  constructor(private state: number) {}

  next(): number {
    // mulberry32: small, fast, good enough to spread inputs.
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

const FRAGMENTS = [
  '# auth Specification',
  '## Purpose',
  '## Requirements',
  '## ADDED Requirements',
  '## MODIFIED Requirements',
  '## REMOVED Requirements',
  '## RENAMED Requirements',
  '## added requirements',
  '### Requirement: Login',
  '### Requirement:',
  '### Requirement: The system SHALL log',
  '###Requirement: Tight',
  '#### Scenario: Works',
  '#### Scenario:',
  '##### Scenario: Too deep',
  '### Scenario: Wrong level',
  '- **WHEN** a user acts',
  '- **THEN** it works',
  '- **AND** more',
  'The system SHALL do it.',
  'The system MUST do it.',
  'plain text',
  '**Reason**: gone',
  '**Migration**: none',
  '- `### Requirement: Old`',
  '- FROM: `### Requirement: A`',
  '- TO: `### Requirement: B`',
  'FROM: `### Requirement: C`',
  '```',
  '```markdown',
  '~~~',
  '    ```',
  '<!-- comment',
  '-->',
  '- [ ] 1.1 Task',
  '- [x] 1.2 Done',
  '- [X] Done',
  '* [ ] star',
  '1. [ ] numbered',
  '- [] empty',
  '- [ x ] spaced',
  '## 1. Group',
  '## 2.',
  '## Why',
  '## What Changes',
  '## Capabilities',
  '### New Capabilities',
  '- `cap/path`: d',
  '### Modified Capabilities',
  '- `<capability-path>`: <x>',
  '',
  '',
  '#',
  '####',
  '#### ',
  '######## deep',
  '\t- [ ] tab',
  'schema: spec-driven',
  'skip_specs: true',
  'rules:',
  '  proposal:',
  '    - rule',
  'context: |',
  ': : :',
  '- - -',
];

const JUNK = [
  '\u0000',
  '\uFFFD',
  '\uD800',
  '\u202E',
  '\r',
  '\r\n',
  '\t',
  '\u00A0',
  '😀',
  'ä',
  '\\',
  '`',
  '*',
  '[',
  ']',
  '#',
];

export function randomDocument(random: Random): string {
  const lines: string[] = [];
  const count = random.int(60);
  for (let index = 0; index < count; index++) lines.push(random.pick(FRAGMENTS));
  return lines.join(random.pick(['\n', '\r\n', '\r']));
}

/** One of the damage patterns real files show: truncation, stray headers, huge lines, junk bytes, deep nesting. */
export function mutate(random: Random, text: string): string {
  switch (random.int(8)) {
    case 0:
      return text.slice(0, random.int(text.length + 1));
    case 1:
      return insertAt(random, text, '\n####\n');
    case 2:
      return insertAt(random, text, 'x'.repeat(20_000 + random.int(80_000)));
    case 3:
      return insertAt(random, text, Array.from({ length: 1 + random.int(200) }, () => random.pick(JUNK)).join(''));
    case 4:
      return insertAt(
        random,
        text,
        Array.from({ length: 200 + random.int(800) }, (_, depth) => `${' '.repeat(depth % 40)}- [ ] ${depth}`).join(
          '\n',
        ),
      );
    case 5:
      return insertAt(
        random,
        text,
        Array.from({ length: 300 }, (_, depth) => `${'#'.repeat(1 + (depth % 7))} Requirement: ${depth}`).join('\n'),
      );
    case 6:
      return Buffer.from(Array.from({ length: random.int(4096) }, () => random.int(256))).toString('utf8');
    default:
      return text.split('\n').reverse().join('\n');
  }
}

function insertAt(random: Random, text: string, insertion: string): string {
  const at = random.int(text.length + 1);
  return text.slice(0, at) + insertion + text.slice(at);
}

/** Inputs known to hurt naive regular expressions: long runs that almost match. */
export function adversarialDocuments(): string[] {
  return [
    '#'.repeat(50_000),
    '### Requirement:' + ' '.repeat(50_000) + 'x',
    '- [' + ' '.repeat(50_000),
    '- FROM: `### Requirement: ' + 'a '.repeat(25_000),
    '`'.repeat(50_000),
    '- **WHEN**' + '*'.repeat(50_000),
    '## ADDED Requirements\n### Requirement: r\n'.repeat(5_000),
    '\r'.repeat(50_000),
  ];
}
