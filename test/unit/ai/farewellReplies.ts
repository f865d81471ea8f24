/**
 * Model answers about the `basic` fixture's change add-farewell (delta spec greeting, requirement "Say
 * farewell"), shared by the CLI and MCP tests that script the LM Studio stand-in with them.
 */
export const FAREWELL_DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';

export const farewellFinding = {
  severity: 'warning',
  category: 'ambiguity',
  file: FAREWELL_DELTA,
  line: 2,
  requirement: null,
  message: 'It is not said what "ends" means: logout, timeout or closing the tab.',
  suggestion: 'Name the events that end a session.',
};

export const improvedFarewellRequirement = [
  '### Requirement: Say farewell',
  'The service SHALL say goodbye by name when the user logs out or the session times out.',
  '',
  '#### Scenario: Known user leaves',
  '- **WHEN** a user named Ada logs out',
  '- **THEN** the service shows "Goodbye, Ada"',
].join('\n');
