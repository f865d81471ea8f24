import type { Change, MainSpecDocument, ProposalDocument, Section } from '../openspec/model';
import { lineStart, wholeLine, type LintFinding } from './finding';

/**
 * Checks `openspec validate` does not make: the proposal's shape, the agreement between the capabilities
 * a proposal names and the delta specs the change carries, and REMOVED requirements without a reason or a
 * migration path. `mainSpecs` lets it tell new capabilities from existing ones.
 */
export function checkChange(change: Change, mainSpecs: readonly MainSpecDocument[]): LintFinding[] {
  const findings: LintFinding[] = [];
  if (!change.proposal) {
    const anchor = change.tasks?.path ?? change.design?.path ?? change.deltas[0]?.path;
    if (anchor) {
      findings.push({
        code: 'missing-proposal',
        severity: 'warning',
        message: `Change '${change.id}' has no proposal.md. Add one with "## Why" and "## What Changes" so reviewers know what it is for.`,
        file: anchor,
        range: lineStart(0),
      });
    }
  } else {
    findings.push(...checkProposalSections(change.proposal), ...checkCapabilities(change, change.proposal, mainSpecs));
  }
  findings.push(...checkRemovals(change));
  return findings;
}

function checkProposalSections(proposal: ProposalDocument): LintFinding[] {
  const findings: LintFinding[] = [];
  const required: Array<[string, Section | undefined]> = [
    ['Why', proposal.why],
    ['What Changes', proposal.whatChanges],
  ];
  for (const [title, section] of required) {
    if (!section) {
      findings.push({
        code: 'missing-section',
        severity: 'warning',
        message: `proposal.md has no "## ${title}" section.`,
        file: proposal.path,
        range: lineStart(0),
      });
    } else if (stripComments(section.body) === '') {
      findings.push({
        code: 'empty-section',
        severity: 'warning',
        message: `The "## ${title}" section of proposal.md is empty.`,
        file: proposal.path,
        range: wholeLine(section.headerLine),
      });
    }
  }
  return findings;
}

function checkCapabilities(
  change: Change,
  proposal: ProposalDocument,
  mainSpecs: readonly MainSpecDocument[],
): LintFinding[] {
  const findings: LintFinding[] = [];
  const deltas = new Map(change.deltas.map((delta) => [delta.capability, delta]));
  const existing = new Set(mainSpecs.map((spec) => spec.capability));
  const named = new Set<string>();
  const listed = [
    ...proposal.newCapabilities.map((reference) => ({ reference, isNew: true })),
    ...proposal.modifiedCapabilities.map((reference) => ({ reference, isNew: false })),
  ];
  for (const { reference, isNew } of listed) {
    named.add(reference.name);
    const range = wholeLine(reference.line);
    if (!deltas.has(reference.name) && !isSkipSpecs(change)) {
      findings.push({
        code: 'capability-without-delta',
        severity: 'warning',
        message: `Capability '${reference.name}' is named in the proposal but the change has no specs/${reference.name}/spec.md.`,
        file: proposal.path,
        range,
      });
    }
    if (isNew && existing.has(reference.name)) {
      findings.push({
        code: 'new-capability-exists',
        severity: 'warning',
        message: `'${reference.name}' is listed under New Capabilities but openspec/specs/${reference.name}/spec.md already exists; list it under Modified Capabilities.`,
        file: proposal.path,
        range,
      });
    }
    if (!isNew && !existing.has(reference.name)) {
      findings.push({
        code: 'modified-capability-missing',
        severity: 'warning',
        message: `'${reference.name}' is listed under Modified Capabilities but there is no openspec/specs/${reference.name}/spec.md; list it under New Capabilities or fix the path.`,
        file: proposal.path,
        range,
      });
    }
  }
  const hasCapabilitiesSection = proposal.sections.some((section) => section.title.toLowerCase() === 'capabilities');
  if (hasCapabilitiesSection) {
    for (const delta of change.deltas) {
      if (named.has(delta.capability)) continue;
      findings.push({
        code: 'delta-not-in-proposal',
        severity: 'info',
        message: `The change has a delta for '${delta.capability}' that proposal.md does not list under "## Capabilities".`,
        file: delta.path,
        range: lineStart(0),
      });
    }
  }
  return findings;
}

function checkRemovals(change: Change): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const delta of change.deltas) {
    for (const section of delta.deltaSections) {
      if (section.operation !== 'REMOVED') continue;
      for (const requirement of section.requirements) {
        const missing = [!requirement.reason && '**Reason**', !requirement.migration && '**Migration**'].filter(
          Boolean,
        );
        if (missing.length === 0) continue;
        findings.push({
          code: 'removed-without-rationale',
          severity: 'warning',
          message: `REMOVED "${requirement.name}" has no ${missing.join(' or ')}: say why it goes and what users should do instead.`,
          file: delta.path,
          range: wholeLine(requirement.headerLine),
        });
      }
    }
  }
  return findings;
}

function isSkipSpecs(change: Change): boolean {
  return change.metadata?.data.skipSpecs === true;
}

function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, '').trim();
}
