import { posix as path, win32 } from 'node:path';
import { isRecord } from '../records';
import type { ChangeMetadataFields, SchemaYamlFields } from './fileSchemas';

/** What a schema check answers: the checked value, or the schema library's issues and message. */
export type SchemaCheck<T> =
  | { readonly success: true; readonly data: T }
  | {
      readonly success: false;
      readonly error: {
        readonly message: string;
        readonly issues: ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly message: string }>;
      };
    };

/**
 * A change's parsed `.openspec.yaml` checked against the CLI's metadata schema. A plainly valid one (the
 * usual fields with the usual types) is answered here, with the value the schema would give; anything else
 * goes to the schema itself (fileSchemas.ts, loaded then), so every error text is the CLI's own.
 */
export function checkChangeMetadata(value: unknown): SchemaCheck<ChangeMetadataFields> {
  const data = plainChangeMetadata(value);
  return data ? { success: true, data } : fileSchemas().ChangeMetadataSchema.safeParse(value);
}

/** A workflow's parsed `schema.yaml` checked against the CLI's schema, answered here when plainly valid. */
export function checkWorkflowSchemaYaml(value: unknown): SchemaCheck<SchemaYamlFields> {
  const data = plainSchemaYaml(value);
  return data ? { success: true, data } : fileSchemas().SchemaYamlSchema.safeParse(value);
}

/** The schemas' rule for paths in a workflow schema: relative, no `..` segment, no NUL. */
export function staysInsideAsRelativePath(value: string): boolean {
  const segments = value.split(/[\\/]+/u);
  const isAbsolute = path.isAbsolute(value) || win32.isAbsolute(value) || /^[A-Za-z]:/u.test(value);
  return !isAbsolute && !segments.includes('..') && !value.includes('\0');
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Loaded at the first file that is not plainly valid; esbuild.mjs makes it a bundle of its own for the CLI. */
const fileSchemas = (): typeof import('./fileSchemas') => require('./fileSchemas') as typeof import('./fileSchemas');
/* eslint-enable @typescript-eslint/no-require-imports */

type Fields = Record<string, unknown>;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isOptional = (value: unknown, check: (present: unknown) => boolean) => value === undefined || check(value);
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isRelativePath = (value: unknown): value is string => isText(value) && staysInsideAsRelativePath(value);

/** The fields the schema keeps, in its order, leaving out those absent (as the schema's output does). */
function present(fields: Fields, keys: readonly string[]): Fields {
  const kept: Fields = {};
  for (const key of keys) if (fields[key] !== undefined) kept[key] = fields[key];
  return kept;
}

const METADATA_KEYS = ['schema', 'created', 'goal', 'affected_areas', 'skip_specs', 'retire_capabilities'];

/** The metadata as the schema would return it, or undefined when the schema must judge it (initiative too). */
function plainChangeMetadata(value: unknown): ChangeMetadataFields | undefined {
  if (!isRecord(value) || value.initiative !== undefined) return undefined;
  const plain =
    isText(value.schema) &&
    isOptional(value.created, (created) => typeof created === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(created)) &&
    isOptional(value.goal, isText) &&
    isOptional(value.affected_areas, isTextList) &&
    isOptional(value.skip_specs, (flag) => typeof flag === 'boolean') &&
    isOptional(value.retire_capabilities, (flag) => typeof flag === 'boolean');
  return plain ? (present(value, METADATA_KEYS) as ChangeMetadataFields) : undefined;
}

const MOST_ARTIFACTS = 1000;

/** The schema.yaml as the schema would return it, or undefined when the schema must judge it. */
function plainSchemaYaml(value: unknown): SchemaYamlFields | undefined {
  if (!isRecord(value)) return undefined;
  const { version, artifacts, apply } = value;
  const plain =
    isText(value.name) &&
    typeof version === 'number' &&
    Number.isSafeInteger(version) &&
    version > 0 &&
    isOptional(value.description, (description) => typeof description === 'string') &&
    Array.isArray(artifacts) &&
    artifacts.length >= 1 &&
    artifacts.length <= MOST_ARTIFACTS &&
    artifacts.every(isPlainArtifact) &&
    isOptional(apply, isPlainApply);
  if (!plain) return undefined;
  return {
    ...present(value, ['name', 'version', 'description']),
    artifacts: (artifacts as Fields[]).map((artifact) => ({
      ...present(artifact, ['id', 'generates', 'description', 'template', 'instruction']),
      requires: (artifact.requires as string[] | undefined) ?? [],
    })),
    ...(apply !== undefined ? { apply: present(apply as Fields, ['requires', 'tracks', 'instruction']) } : {}),
  } as SchemaYamlFields;
}

function isPlainArtifact(artifact: unknown): boolean {
  return (
    isRecord(artifact) &&
    isText(artifact.id) &&
    isRelativePath(artifact.generates) &&
    typeof artifact.description === 'string' &&
    isRelativePath(artifact.template) &&
    isOptional(artifact.instruction, (instruction) => typeof instruction === 'string') &&
    isOptional(artifact.requires, isStringList)
  );
}

function isPlainApply(apply: unknown): boolean {
  return (
    isRecord(apply) &&
    Array.isArray(apply.requires) &&
    apply.requires.length >= 1 &&
    isStringList(apply.requires) &&
    // `tracks: null` is the schema's "tracks nothing", kept as null.
    (apply.tracks === undefined || apply.tracks === null || isRelativePath(apply.tracks)) &&
    isOptional(apply.instruction, (instruction) => typeof instruction === 'string')
  );
}
