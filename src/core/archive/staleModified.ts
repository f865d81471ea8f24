import { sha256 } from '../hash';
import type { DeltaSpecDocument, OpenSpecWorkspace, Requirement } from '../openspec/model';
import { requirementText } from '../openspec/specPreview';
import { normalizeRequirementName } from '../validation/requirementNames';
import { findChangeOverlaps, otherTouch, overlapsOfChange } from './changeOverlaps';

/**
 * A MODIFIED block of an active change written against a requirement's text from before another change's
 * archive rewrote, renamed or removed it. Plain data, so the editor keeps it across reloads.
 */
export interface StaleModifiedRecord {
  /** The id of the change that was archived. */
  readonly archivedChange: string;
  /** Its folder under archive/ (`2026-12-01-<id>`). */
  readonly archivedAs: string;
  readonly capability: string;
  /** The MODIFIED block's name as written. */
  readonly requirement: string;
  /** The active change holding the MODIFIED block. */
  readonly changeId: string;
  /** sha256 of the MODIFIED block's text at archive time: any edit since counts as refreshed. */
  readonly blockHash: string;
}

export interface StaleModifiedFinding {
  readonly record: StaleModifiedRecord;
  /** Absolute POSIX path of the delta spec. */
  readonly file: string;
  /** 0-based line of the MODIFIED header. */
  readonly line: number;
  readonly message: string;
}

/**
 * The MODIFIED blocks that archiving `archivedChange` leaves stale, read from the workspace as it was before
 * the archive (afterwards the archived change's deltas are no longer compared). Only the other change's
 * MODIFIED blocks: a REMOVED or RENAMED entry carries no text of the requirement to refresh.
 */
export function recordsAfterArchive(
  workspaceBefore: OpenSpecWorkspace,
  archivedChange: string,
  archivedAs: string,
): StaleModifiedRecord[] {
  const records = new Map<string, StaleModifiedRecord>();
  for (const overlap of overlapsOfChange(findChangeOverlaps(workspaceBefore), archivedChange)) {
    if (overlap.kind !== 'changed') continue;
    const side = overlap.touches[0].changeId === archivedChange ? 0 : 1;
    const other = otherTouch(overlap, side);
    if (other.operation !== 'MODIFIED') continue;
    const block = modifiedBlock(workspaceBefore, other.changeId, other.capability, other.requirement);
    if (!block) continue;
    const record: StaleModifiedRecord = {
      archivedChange,
      archivedAs,
      capability: other.capability,
      requirement: block.requirement.name,
      changeId: other.changeId,
      blockHash: sha256(requirementText(block.delta, block.requirement)),
    };
    records.set(recordKey(record), record);
  }
  return [...records.values()];
}

/**
 * The records that still hold: their change is active and its MODIFIED block hashes as it did at archive time
 * (editing the block is how it gets refreshed, so any edit clears it). Unsaved text counts when the
 * workspace holds it.
 */
export function staleModifiedFindings(
  workspace: OpenSpecWorkspace,
  records: readonly StaleModifiedRecord[],
): StaleModifiedFinding[] {
  const findings: StaleModifiedFinding[] = [];
  for (const record of records) {
    const block = modifiedBlock(workspace, record.changeId, record.capability, record.requirement);
    if (!block || sha256(requirementText(block.delta, block.requirement)) !== record.blockHash) continue;
    findings.push({
      record,
      file: block.delta.path,
      line: block.requirement.headerLine,
      message: `Archiving '${record.archivedChange}' changed this requirement; refresh this MODIFIED block against the current spec`,
    });
  }
  return findings;
}

/** The records worth keeping: those whose change is still active (archived or deleted, nothing is left to flag). */
export function recordsOfActiveChanges(
  workspace: OpenSpecWorkspace,
  records: readonly StaleModifiedRecord[],
): StaleModifiedRecord[] {
  const active = new Set(workspace.changes.map((change) => change.id));
  return records.filter((record) => active.has(record.changeId));
}

/** Older records and newer ones in one list, a later archive replacing an earlier record of the same block. */
export function mergeStaleRecords(
  older: readonly StaleModifiedRecord[],
  newer: readonly StaleModifiedRecord[],
): StaleModifiedRecord[] {
  const merged = new Map<string, StaleModifiedRecord>();
  for (const record of [...older, ...newer]) {
    const key = recordKey(record);
    merged.delete(key);
    merged.set(key, record);
  }
  return [...merged.values()];
}

function recordKey(record: StaleModifiedRecord): string {
  return `${record.changeId}\u0000${record.capability}\u0000${normalizeRequirementName(record.requirement)}`;
}

function modifiedBlock(
  workspace: OpenSpecWorkspace,
  changeId: string,
  capability: string,
  name: string,
): { delta: DeltaSpecDocument; requirement: Requirement } | undefined {
  const wanted = normalizeRequirementName(name);
  const delta = workspace.changes
    .find((change) => change.id === changeId)
    ?.deltas.find((candidate) => candidate.capability === capability);
  for (const section of delta?.deltaSections ?? []) {
    if (section.operation !== 'MODIFIED') continue;
    const requirement = section.requirements.find((candidate) => normalizeRequirementName(candidate.name) === wanted);
    if (delta && requirement) return { delta, requirement };
  }
  return undefined;
}
