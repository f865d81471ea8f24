import { parseArgs } from 'node:util';
import { posix as path } from 'node:path';
import { applyArchive, archiveFailureJson, archiveResultJson } from '../core/archive/applyArchive';
import { refusal } from '../core/archive/archiveGate';
import type { ArchivePlan, ArchiveStatus } from '../core/archive/archiveTypes';
import { planArchive } from '../core/archive/planArchive';
import { errorMessage } from '../core/errorMessage';
import type { FileSystem } from '../core/fs/fileSystem';
import type { FileWriter } from '../core/fs/fileWriter';
import { RootSelectionError, resolveOpenSpecRoot, toRootOutput, type RootOutput } from '../core/validation/projectRoot';
import { printJson, type CliOutput } from './output';
import { UsageError } from './usageError';

/**
 * `openspec-loop archive <id>`: what `openspec archive` 1.13.2 does, with its JSON, status codes and exit codes.
 * It never reads stdin: where the CLI would ask (skip validation, open tasks, update the specs), it refuses as the
 * CLI does in --json mode, and --yes is the answer.
 */
export const ARCHIVE_HELP = `Usage: openspec-loop archive [options] <change-name>

Archive a completed change and update main specs, as "openspec archive" does

Options:
  -y, --yes           Answer yes to every confirmation (needed to update specs, skip validation, or archive with open tasks)
  --skip-specs        Skip spec update operations (useful for infrastructure, tooling, or doc-only changes)
  --no-validate       Skip validation (not recommended; requires --yes)
  --json              Output as JSON
  -h, --help          display help for command

Exit code: 0 when the change was archived, 1 otherwise.`;

export interface ArchiveContext {
  fs: FileSystem;
  writer: FileWriter;
  /** Absolute POSIX working directory. */
  cwd: string;
  output: CliOutput;
  /** The clock the archive folder's date comes from; the system's when absent. */
  now?: () => Date;
}

interface ArchiveFlags {
  yes: boolean;
  skipSpecs: boolean;
  validate: boolean;
  json: boolean;
  help: boolean;
}

export function parseArchiveArgs(args: readonly string[]): { flags: ArchiveFlags; changeId: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        yes: { type: 'boolean', short: 'y', default: false },
        'skip-specs': { type: 'boolean', default: false },
        'no-validate': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`too many arguments: archive takes one change name`);
  return {
    flags: {
      yes: values.yes,
      skipSpecs: values['skip-specs'],
      validate: !values['no-validate'],
      json: values.json,
      help: values.help,
    },
    changeId: positionals[0],
  };
}

export async function runArchive(args: readonly string[], context: ArchiveContext): Promise<number> {
  const { flags, changeId } = parseArchiveArgs(args);
  const { output } = context;
  if (flags.help) {
    output.out(ARCHIVE_HELP);
    return 0;
  }
  let root: RootOutput | undefined;
  try {
    const resolved = await resolveOpenSpecRoot(context.fs, context.cwd, { warn: (message) => output.err(message) });
    root = toRootOutput(resolved);
    if (!changeId) {
      return fail(context, flags, root, [
        flags.json
          ? refusal(
              'archive_change_name_required',
              'A change name is required: archive --json is non-interactive.',
              'openspec archive <change-name> --json',
            )
          : refusal(
              'archive_change_name_required',
              'A change name is required: no terminal is available to choose one from a list.',
              `openspec archive <change-name> ${rerunFlags(flags)}`,
            ),
      ]);
    }
    const planning = await planArchive(context.fs, resolved, changeId, {
      skipSpecs: flags.skipSpecs,
      validate: flags.validate,
      confirmed: flags.yes,
      ...(context.now ? { now: context.now } : {}),
    });
    if (!planning.ok) return fail(context, flags, root, planning.status);
    const applied = await applyArchive(context.writer, planning.plan);
    if (!applied.ok) return fail(context, flags, root, applied.status);
    if (flags.json) printJson(output, archiveResultJson(applied.plan, root));
    else printArchived(output, applied.plan, resolved.path, flags);
    return 0;
  } catch (error) {
    const status =
      error instanceof RootSelectionError ? error.diagnostic : refusal('archive_error', errorMessage(error));
    return fail(context, flags, root, [status]);
  }
}

function fail(
  context: ArchiveContext,
  flags: ArchiveFlags,
  root: RootOutput | undefined,
  status: readonly ArchiveStatus[],
): number {
  if (flags.json) {
    printJson(context.output, archiveFailureJson(status, root));
    return 1;
  }
  for (const entry of status) {
    context.output.err(`✖ Error: ${entry.message}`);
    if (entry.fix) context.output.err(`Fix: ${entry.fix}`);
  }
  return 1;
}

/** The flags a suggested rerun must carry, so a --skip-specs run is never told to rerun without it. */
function rerunFlags(flags: ArchiveFlags): string {
  return [...(flags.skipSpecs ? ['--skip-specs'] : []), ...(flags.validate ? [] : ['--no-validate']), '--yes'].join(
    ' ',
  );
}

/** The CLI's human report, after the fact (everything was decided before the one write). */
function printArchived(output: CliOutput, plan: ArchivePlan, rootPath: string, flags: ArchiveFlags): void {
  if (!flags.validate) {
    output.out('⚠️  WARNING: Skipping validation may archive invalid specs.');
    output.out(`Validation skipped for change: ${plan.change}`);
  }
  const { completed, total } = plan.tasks;
  output.out(
    `Task status: ${total === 0 ? 'No tasks' : completed === total ? '✓ Complete' : `${completed}/${total} tasks`}`,
  );
  if (completed < total)
    output.out(`Warning: ${total - completed} incomplete task(s) found. Continuing due to --yes flag.`);
  if (flags.skipSpecs) output.out('Skipping spec updates (--skip-specs flag provided).');
  if (plan.specs.length > 0) {
    output.out('');
    output.out('Specs to update:');
    for (const spec of plan.specs)
      output.out(`  ${spec.capability}: ${spec.before === undefined ? 'create' : 'update'}`);
  }
  for (const warning of plan.warnings) output.out(`⚠️  Warning: ${warning}`);
  for (const spec of plan.specs) {
    output.out(`Applying changes to ${path.relative(rootPath, spec.file)}:`);
    const { added, modified, removed, renamed } = spec.counts;
    if (added) output.out(`  + ${added} added`);
    if (modified) output.out(`  ~ ${modified} modified`);
    if (removed) output.out(`  - ${removed} removed`);
    if (renamed) output.out(`  → ${renamed} renamed`);
  }
  if (plan.totals) {
    const { added, modified, removed, renamed } = plan.totals;
    output.out(`Totals: + ${added}, ~ ${modified}, - ${removed}, → ${renamed}`);
    output.out(plan.specsUpdated ? 'Specs updated successfully.' : 'Specs already in sync; no files changed.');
  }
  output.out(`Change '${plan.change}' archived as '${plan.archivedAs}'.`);
}
