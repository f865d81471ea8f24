import { z } from 'zod';
import { staysInsideAsRelativePath } from './plainSchemaChecks';

/**
 * The zod schemas of the YAML files validation reads (a change's `.openspec.yaml`, a workflow's `schema.yaml`),
 * as the OpenSpec CLI declares them: their error texts are the CLI's. Loaded only when a file is not plainly
 * valid (plainSchemaChecks.ts): the schema library costs a CLI run more time to load than most of what it
 * checks, and well-formed files, nearly all of them, never need it. The CLI bundles this module apart
 * (dist/cli-schemas.js).
 */
const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/u;
const kebabId = (label: string) =>
  z.string().superRefine((value, ctx) => {
    if (!KEBAB_ID.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} must be kebab-case with lowercase letters, numbers, and single hyphen separators`,
      });
    }
  });

export const ChangeMetadataSchema = z.object({
  schema: z.string().min(1, { message: 'schema is required' }),
  created: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'created must be YYYY-MM-DD format' })
    .optional(),
  goal: z.string().min(1).optional(),
  affected_areas: z.array(z.string().min(1)).optional(),
  initiative: z
    .object({ store: kebabId('Store id'), id: kebabId('Initiative id') })
    .strict()
    .optional(),
  skip_specs: z.boolean().optional(),
  retire_capabilities: z.boolean().optional(),
});

export type ChangeMetadataFields = z.infer<typeof ChangeMetadataSchema>;

function relativePath(fieldName: string) {
  return z
    .string()
    .min(1, { error: `${fieldName} is required` })
    .superRefine((value, ctx) => {
      if (!staysInsideAsRelativePath(value)) {
        ctx.addIssue({ code: 'custom', message: `${fieldName} must be a relative path inside its allowed directory` });
      }
    });
}

export const MAX_ARTIFACTS = 1000;

const ArtifactSchema = z.object({
  id: z.string().min(1, { error: 'Artifact ID is required' }),
  generates: relativePath('generates field'),
  description: z.string(),
  template: relativePath('template field'),
  instruction: z.string().optional(),
  requires: z.array(z.string()).default([]),
});

export const SchemaYamlSchema = z.object({
  name: z.string().min(1, { error: 'Schema name is required' }),
  version: z.number().int().positive({ error: 'Version must be a positive integer' }),
  description: z.string().optional(),
  artifacts: z
    .array(ArtifactSchema)
    .min(1, { error: 'At least one artifact required' })
    .max(MAX_ARTIFACTS, { error: `A schema may declare at most ${MAX_ARTIFACTS} artifacts` }),
  apply: z
    .object({
      requires: z.array(z.string()).min(1, { error: 'At least one required artifact' }),
      tracks: relativePath('apply.tracks').nullable().optional(),
      instruction: z.string().optional(),
    })
    .optional(),
});

export type SchemaYamlFields = z.infer<typeof SchemaYamlSchema>;
