import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sha256 } from '../core/hash';
import { type FileSystem } from '../core/fs/fileSystem';
import {
  RootSelectionError,
  resolveOpenSpecRoot,
  type Diagnostic,
  type OpenSpecRoot,
} from '../core/validation/projectRoot';
import { VerdictCache, type VerdictStore } from '../core/validation/verdictCache';
import {
  ItemSelectionError,
  validateItems,
  type ItemType,
  type ValidationSelection,
} from '../core/validation/validateItems';
import { printJson, type CliOutput } from './output';
import { printBulk, printNonInteractiveHint, printSingleItem } from './validateReport';
import { errorMessage } from '../core/errorMessage';
import { UsageError } from './usageError';

/**
 * `openspec-loop validate`: the same selection rules, JSON, text and exit codes as `openspec validate`,
 * plus several items at once (validated together and reported like a bulk run).
 */
export const VALIDATE_HELP = `Usage: openspec-loop validate [options] [item-name...]

Validate changes and specs, as "openspec validate" does

Options:
  --all               Validate all changes and specs
  --changes           Validate all changes
  --specs             Validate all specs
  --type <type>       Specify item type when ambiguous: change|spec
  --strict            Enable strict validation mode (warnings fail too)
  --json              Output validation results as JSON
  --no-interactive    Disable interactive prompts (accepted; there are none)
  --no-cache          Validate every item afresh: neither read nor save earlier runs' verdicts
  -h, --help          display help for command

A bulk run (--all, --changes, --specs) keeps its verdicts in the user's cache folder ($OPENSPEC_LOOP_CACHE,
else e.g. ~/.cache/openspec-loop) and reuses an item's only while every file and folder it was validated
from reads exactly the same.

Exit code: 0 when every item is valid, 1 otherwise.`;

export interface ValidateContext {
  fs: FileSystem;
  /** Absolute POSIX working directory. */
  cwd: string;
  output: CliOutput;
  /** Verdicts of earlier runs, reused while their files read the same; absent, or with --no-cache, none are. */
  verdicts?: VerdictStore;
}

interface ValidateFlags {
  all: boolean;
  changes: boolean;
  specs: boolean;
  strict: boolean;
  json: boolean;
  type?: string;
  noInteractive: boolean;
  noCache: boolean;
  help: boolean;
}

export function parseValidateArgs(args: readonly string[]): { flags: ValidateFlags; items: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        all: { type: 'boolean', default: false },
        changes: { type: 'boolean', default: false },
        specs: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        type: { type: 'string' },
        'no-interactive': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const { values, positionals } = parsed;
  return {
    flags: {
      all: values.all,
      changes: values.changes,
      specs: values.specs,
      strict: values.strict,
      json: values.json,
      noInteractive: values['no-interactive'],
      noCache: values['no-cache'],
      help: values.help,
      ...(values.type !== undefined ? { type: values.type } : {}),
    },
    items: positionals,
  };
}

/**
 * Verdicts hold for one project root and one validating code: this bundle's text (any change to the checks
 * changes it) and the Node that runs it (string sorting and regular expressions come from its engine).
 */
function verdictsKey(root: OpenSpecRoot): string | undefined {
  let code: string;
  try {
    code = readFileSync(__filename, 'utf8');
  } catch {
    return undefined; // code of unknown identity: its verdicts are neither reused nor saved
  }
  return sha256([process.version, sha256(code), JSON.stringify(root)].join('\0'));
}

/** A cache that cannot be written costs speed, not results: one warning, and the run's verdict stands. */
async function saveVerdicts(store: VerdictStore, root: OpenSpecRoot, verdicts: VerdictCache, output: CliOutput) {
  try {
    await store.save(root.path, verdicts.toSaved());
  } catch (error) {
    output.err(`Warning: could not save the validation cache (${errorMessage(error)}); pass --no-cache to skip it.`);
  }
}

/** An unrecognized --type is ignored, as the OpenSpec CLI ignores it. */
function normalizeType(value: string | undefined): ItemType | undefined {
  const lowered = value?.toLowerCase();
  return lowered === 'change' || lowered === 'spec' ? lowered : undefined;
}

/** Runs the command and returns its exit code. */
export async function runValidate(args: readonly string[], context: ValidateContext): Promise<number> {
  const { flags, items } = parseValidateArgs(args);
  const { output } = context;
  if (flags.help) {
    output.out(VALIDATE_HELP);
    return 0;
  }
  const bulk = flags.all || flags.changes || flags.specs;
  const startedAt = Date.now(); // before the first read: saved verdicts vouch only for files settled by then
  try {
    const root = await resolveOpenSpecRoot(context.fs, context.cwd, {
      ...(bulk ? { allowImplicitRoot: false } : {}),
      warn: (message) => output.err(message),
    });
    let selection: ValidationSelection;
    if (bulk) {
      selection = { kind: 'bulk', changes: flags.all || flags.changes, specs: flags.all || flags.specs };
    } else if (items.length === 0) {
      printNonInteractiveHint(output);
      return 1;
    } else {
      const type = normalizeType(flags.type);
      selection = { kind: 'items', names: items, ...(type ? { type } : {}) };
    }
    // Named items validate afresh: re-checking a few costs less than reading every saved verdict.
    const store = flags.noCache || !bulk ? undefined : context.verdicts;
    const key = store ? verdictsKey(root) : undefined;
    const verdicts = store && key ? VerdictCache.restore(store.load(root.path), key, startedAt) : undefined;
    const run = await validateItems(context.fs, root, selection, {
      strict: flags.strict,
      ...(verdicts ? { verdicts } : {}),
    });
    if (flags.json) printJson(output, run);
    else if (selection.kind === 'items' && items.length === 1) printSingleItem(output, run);
    else printBulk(output, run);
    if (store && verdicts?.changed) await saveVerdicts(store, root, verdicts, output);
    return run.summary.totals.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ItemSelectionError) {
      printItemErrors(output, error.diagnostics, flags.json);
      return 1;
    }
    printFailure(output, error, flags.json);
    return 1;
  }
}

function printItemErrors(output: CliOutput, diagnostics: readonly Diagnostic[], json: boolean): void {
  if (json) {
    printJson(output, { status: diagnostics });
    return;
  }
  for (const diagnostic of diagnostics) {
    output.err(diagnostic.message);
    if (diagnostic.code === 'ambiguous_item') {
      output.err('Pass --type change|spec, or use: openspec change validate / openspec spec validate');
    }
  }
}

/** Root-selection errors carry their own diagnostic; anything else is a `validate_error`. */
function printFailure(output: CliOutput, error: unknown, json: boolean): void {
  const diagnostic: Diagnostic =
    error instanceof RootSelectionError
      ? error.diagnostic
      : { severity: 'error', code: 'validate_error', message: errorMessage(error) };
  if (json) {
    printJson(output, { status: [diagnostic] });
    return;
  }
  output.err(`✖ Error: ${diagnostic.message}`);
  if (diagnostic.fix) output.err(`Fix: ${diagnostic.fix}`);
}
