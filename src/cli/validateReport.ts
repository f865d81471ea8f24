import { NESTED_CHANGE_ISSUE_MARKER } from '../core/validation/itemDiscovery';
import { VALIDATION_MESSAGES } from '../core/validation/messages';
import { type ValidationIssue } from '../core/validation/types';
import { type ItemType, type ValidationRun } from '../core/validation/validateItems';
import { type CliOutput } from './output';

/**
 * The human-readable forms of a validation run, line for line what `openspec validate` prints: the
 * single-item report with its next steps, and the bulk listing with totals. Passing items go to stdout,
 * failures and issues to stderr.
 */

function prefixOf(issue: ValidationIssue): string {
  return issue.level === 'ERROR' ? '✗' : issue.level === 'WARNING' ? '⚠' : 'ℹ';
}

export function printSingleItem(output: CliOutput, run: ValidationRun): void {
  const item = run.items[0];
  if (!item) return;
  const noun = item.type === 'change' ? 'Change' : 'Specification';
  if (item.valid) output.out(`${noun} '${item.id}' is valid`);
  else output.err(`${noun} '${item.id}' has issues`);
  for (const issue of item.issues) output.err(`${prefixOf(issue)} [${issue.level}] ${issue.path}: ${issue.message}`);
  if (!item.valid) printNextSteps(output, item.type, item.id, item.issues);
}

function printNextSteps(output: CliOutput, type: ItemType, id: string, issues: readonly ValidationIssue[]): void {
  const mentions = (text: string) => issues.some((issue) => issue.message.includes(text));
  let bullets: string[];
  if (type === 'spec') {
    bullets = [
      '- Ensure spec includes ## Purpose and ## Requirements sections',
      '- Each requirement MUST include at least one #### Scenario: block',
      '- Re-run with --json to see structured report',
    ];
  } else if (mentions(NESTED_CHANGE_ISSUE_MARKER)) {
    bullets = [
      '- Move each nested change directly under openspec/changes/, folding the namespace into its name',
      '- Only specs may be nested by domain; change directories are always flat',
    ];
  } else if (mentions(VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_CONFLICT)) {
    bullets = [
      '- This change declares skip_specs (no spec deltas): delete the files under specs/, or remove skip_specs from .openspec.yaml if requirements do change',
      '- skip_specs is only honored when .openspec.yaml is valid change metadata (schema: <name> naming a known schema is required)',
    ];
  } else if (mentions(VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_INVALID_METADATA)) {
    bullets = [
      '- Fix .openspec.yaml so the skip_specs marker can be honored (schema: <name> naming a known schema is required)',
      '- Or remove skip_specs from .openspec.yaml and add delta specs instead',
    ];
  } else {
    bullets = [
      '- Ensure change has deltas in specs/: use headers ## ADDED/MODIFIED/REMOVED/RENAMED Requirements',
      '- Each requirement MUST include at least one #### Scenario: block',
      `- Debug parsed deltas: openspec show ${id} --json --deltas-only`,
    ];
  }
  output.err('Next steps:');
  for (const bullet of bullets) output.err(`  ${bullet}`);
}

export function printBulk(output: CliOutput, run: ValidationRun): void {
  if (run.items.length === 0) {
    output.out('No items found to validate.');
    return;
  }
  for (const item of run.items) {
    if (item.valid) output.out(`✓ ${item.type}/${item.id}`);
    else output.err(`✗ ${item.type}/${item.id}`);
    for (const issue of item.issues)
      output.err(`  ${prefixOf(issue)} [${issue.level}] ${issue.path}: ${issue.message}`);
  }
  const { totals } = run.summary;
  output.out(`Totals: ${totals.passed} passed, ${totals.failed} failed (${totals.items} items)`);
  const firstFailure = run.items.find((item) => !item.valid);
  if (firstFailure) output.out(`Details: openspec-loop validate ${firstFailure.id} --type ${firstFailure.type}`);
}

export function printNonInteractiveHint(output: CliOutput): void {
  output.err('Nothing to validate. Try one of:');
  output.err('  openspec-loop validate --all');
  output.err('  openspec-loop validate --changes');
  output.err('  openspec-loop validate --specs');
  output.err('  openspec-loop validate <item-name>');
  output.err('Or run in an interactive terminal.');
}
