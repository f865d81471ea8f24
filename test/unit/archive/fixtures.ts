/** Shared spec texts for the archive tests: a main spec with three requirements, and delta builders. */
export const widgetsSpec = [
  '# widgets Specification',
  '',
  '## Purpose',
  'Widgets spin, have colors, and sizes; this purpose is long enough to pass.',
  '',
  '## Requirements',
  '### Requirement: Spin',
  'The widget SHALL spin.',
  '',
  '#### Scenario: Spins fast',
  '- **WHEN** started',
  '- **THEN** it spins',
  '',
  '#### Scenario: Stops',
  '- **WHEN** stopped',
  '- **THEN** it stops',
  '',
  '### Requirement: Color',
  'The widget SHALL have a color.',
  '',
  '#### Scenario: Red',
  '- **WHEN** painted',
  '- **THEN** it is red',
  '',
  '### Requirement: Size',
  'The widget SHALL have a size.',
  '',
  '#### Scenario: Big',
  '- **WHEN** measured',
  '- **THEN** it is big',
  '',
].join('\n');

/** A requirement block with one `#### Scenario:` per name. */
export function requirement(name: string, ...scenarios: string[]): string {
  const lines = [`### Requirement: ${name}`, `The widget SHALL do ${name}.`, ''];
  for (const scenario of scenarios) lines.push(`#### Scenario: ${scenario}`, '- **WHEN** a', '- **THEN** b', '');
  return lines.join('\n');
}

export function rename(from: string, to: string): string {
  return `- FROM: \`### Requirement: ${from}\`\n- TO: \`### Requirement: ${to}\`\n`;
}

export function section(kind: 'ADDED' | 'MODIFIED' | 'REMOVED' | 'RENAMED', ...bodies: string[]): string {
  return `## ${kind} Requirements\n${bodies.join('\n')}\n`;
}
