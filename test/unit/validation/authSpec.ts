/** A valid main spec of an `auth` capability with one requirement, Login, and a scenario per name. */
export function authSpec(scenarios: readonly string[]): string {
  return [
    '# auth Specification',
    '',
    '## Purpose',
    'This capability describes how users authenticate with the system securely.',
    '',
    '## Requirements',
    '### Requirement: Login',
    'The system SHALL let users log in with a password.',
    '',
    ...scenarios.flatMap((name) => [`#### Scenario: ${name}`, '- **WHEN** a user signs in', '- **THEN** it works', '']),
  ].join('\n');
}
