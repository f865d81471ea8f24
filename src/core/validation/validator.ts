import { posix as path } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import { findArchiveBlockers, findScenarioLossIssues } from './archiveChecks';
import { METADATA_FILENAME, readSkipSpecsMarker } from './changeMetadata';
import { checkDeltaSpecContent, type DeltaEmptiness } from './deltaSpecChecks';
import { checkSpecContent } from './mainSpecChecks';
import { VALIDATION_MESSAGES } from './messages';
import { discoverSpecFiles, findUnreadDeltaFiles, hasAnyFileUnder } from './specDiscovery';
import { collectTaskFileIssues } from './taskFileChecks';
import type { ValidationIssue, ValidationReport } from './types';
import { buildReport, enrichTopLevelError, errorMessage, issue } from './validationReport';

/**
 * `openspec validate` for main specs and for a change's delta specs, with the same verdicts, levels,
 * messages, paths and lines. The per-document checks are synchronous and pure (`checkSpecContent`,
 * `checkDeltaSpecContent`), so an editor can run them on every keystroke; the Validator adds what needs
 * other files (discovery under specs/, the main specs, the change's metadata and task files).
 */
export class Validator {
  constructor(
    private readonly fs: FileSystem,
    private readonly strictMode = false,
  ) {}

  /** Validates the main spec at `filePath`; a read failure is reported, never thrown. */
  async validateSpec(filePath: string): Promise<ValidationReport> {
    const specName = extractNameFromPath(filePath);
    let content: string;
    try {
      content = await this.fs.readFile(filePath);
    } catch (error) {
      return buildReport([issue('ERROR', 'file', enrichTopLevelError(errorMessage(error)))], this.strictMode);
    }
    return this.validateSpecContent(specName, content);
  }

  /** Validates main-spec text; synchronous and pure. */
  validateSpecContent(specName: string, content: string): ValidationReport {
    return buildReport(checkSpecContent(specName, content), this.strictMode);
  }

  /**
   * Validates every delta spec under `<changeDir>/specs`. With `mainSpecsDir`, MODIFIED blocks are also
   * checked for scenario loss against the main specs, and archive's merge is dry-run (its refusals are INFO).
   * With `projectRoot`, the change's task files are checked too. `openspec validate <change>` passes both.
   */
  async validateChangeDeltaSpecs(
    changeDir: string,
    options: { mainSpecsDir?: string; projectRoot?: string } = {},
  ): Promise<ValidationReport> {
    const issues: ValidationIssue[] = [];
    const specsDir = path.join(changeDir, 'specs');
    let totalDeltas = 0;
    let hasRootLevelSpec = false;
    const emptinessIssues: Record<DeltaEmptiness['kind'], ValidationIssue[]> = { emptySections: [], noSections: [] };
    try {
      const discoveredSpecs = await discoverSpecFiles(this.fs, specsDir);
      // A spec.md right in specs/ has no capability, so archive drops it; a directory of that name is a capability.
      hasRootLevelSpec = (await this.fs.stat(path.join(specsDir, 'spec.md'))) === 'file';
      if (hasRootLevelSpec) issues.push(issue('ERROR', 'spec.md', ROOT_LEVEL_SPEC_MESSAGE));
      for (const { id: specId, specFile } of discoveredSpecs) {
        let content: string;
        try {
          content = await this.fs.readFile(specFile);
        } catch {
          continue;
        }
        const entryPath = path.relative(specsDir, specFile);
        const check = checkDeltaSpecContent(content, entryPath);
        totalDeltas += check.deltaCount;
        if (check.emptiness) emptinessIssues[check.emptiness.kind].push(check.emptiness.issue);
        issues.push(...check.issues.slice(0, check.scenarioLossIndex));
        if (options.mainSpecsDir && check.plan.modified.length > 0) {
          const mainSpecFile = path.join(options.mainSpecsDir, ...specId.split('/'), 'spec.md');
          issues.push(
            ...(await findScenarioLossIssues(
              this.fs,
              check.plan.modified,
              check.plan.renamed,
              mainSpecFile,
              entryPath,
            )),
          );
        }
        issues.push(...check.issues.slice(check.scenarioLossIndex));
      }
      if (options.mainSpecsDir) {
        // A delta already rejected (or with nothing to merge) would be reported again in archive's wording.
        const alreadyReported = [
          ...issues.filter((found) => found.level === 'ERROR').map((found) => found.path),
          ...emptinessIssues.noSections.map((found) => found.path),
          ...emptinessIssues.emptySections.map((found) => found.path),
        ];
        issues.push(...(await findArchiveBlockers(this.fs, changeDir, options.mainSpecsDir, alreadyReported)));
      }
    } catch (error) {
      // A missing specs/ (or a file in its place) means no deltas; anything else stays loud.
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }

    const unreadDeltaFiles = await findUnreadDeltaFiles(this.fs, specsDir);
    for (const file of unreadDeltaFiles) {
      issues.push(
        issue(
          'ERROR',
          file.path,
          `Delta spec found at specs/${file.path}. Delta specs must be a spec.md inside a capability folder — this file is ignored when the change is applied or archived. Move its requirements into specs/${file.expected}.`,
        ),
      );
    }
    issues.push(...emptinessIssues.emptySections, ...emptinessIssues.noSections);

    const marker = await readSkipSpecsMarker(this.fs, changeDir);
    if (marker.invalidReason)
      issues.push(issue('ERROR', METADATA_FILENAME, formatInvalidMarkerMessage(marker.invalidReason)));
    // Any file under specs/ contradicts the marker, parsed or not; an unreadable specs/ fails closed.
    const skipSpecs = marker.declared;
    let specsDirHasFiles = false;
    if (skipSpecs) {
      try {
        specsDirHasFiles = await hasAnyFileUnder(this.fs, specsDir);
      } catch {
        specsDirHasFiles = true;
      }
    }
    if (skipSpecs && specsDirHasFiles)
      issues.push(issue('ERROR', 'file', VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_CONFLICT));
    // The root-level and unread-file errors already say where the deltas are; "no deltas" would contradict them.
    if (totalDeltas === 0 && !hasRootLevelSpec && unreadDeltaFiles.length === 0) {
      if (skipSpecs && !specsDirHasFiles)
        issues.push(issue('INFO', 'file', VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_ACCEPTED));
      else if (!skipSpecs)
        issues.push(issue('ERROR', 'file', enrichTopLevelError(VALIDATION_MESSAGES.CHANGE_NO_DELTAS)));
    }
    if (options.projectRoot) issues.push(...(await collectTaskFileIssues(this.fs, changeDir, options.projectRoot)));
    return buildReport(issues, this.strictMode);
  }
}

const ROOT_LEVEL_SPEC_MESSAGE =
  'Delta spec found at specs/spec.md. Delta specs must live under a capability path (e.g. specs/<capability-path>/spec.md) — a file at the specs/ root is ignored when the change is applied or archived.';

/** The item name for a spec or change file: the folder after `specs/` or `changes/`, else the file's stem. */
export function extractNameFromPath(filePath: string): string {
  const parts = filePath.replace(/\\/g, '/').split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    if ((parts[i] === 'specs' || parts[i] === 'changes') && i < parts.length - 1) return parts[i + 1] ?? '';
  }
  const fileName = parts[parts.length - 1] ?? '';
  const dotIndex = fileName.lastIndexOf('.');
  return dotIndex > 0 ? fileName.slice(0, dotIndex) : fileName;
}

export function formatInvalidMarkerMessage(invalidReason: string): string {
  return `${VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_INVALID_METADATA} (${invalidReason})`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
