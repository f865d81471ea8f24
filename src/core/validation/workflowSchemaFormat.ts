import { checkWorkflowSchemaYaml } from './plainSchemaChecks';
import { yamlLibrary } from './yamlCache';

/**
 * The parts of an OpenSpec workflow schema (`schema.yaml`) that validation depends on: which files each
 * artifact generates and which file the apply phase tracks. Parsing and its error texts mirror the CLI's
 * schema loader, because a schema that fails to load changes what `openspec validate` reports.
 */
export interface WorkflowArtifact {
  id: string;
  generates: string;
  requires: string[];
}

export interface WorkflowSchema {
  name: string;
  artifacts: WorkflowArtifact[];
  apply?: { requires: string[]; tracks?: string | null };
}

export class SchemaValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaValidationError';
  }
}

/** Parses schema.yaml text; throws SchemaValidationError for a well-formed YAML that is not a valid schema. */
export function parseWorkflowSchema(text: string): WorkflowSchema {
  const result = checkWorkflowSchemaYaml(yamlLibrary().parse(text));
  if (!result.success) {
    const errors = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join(', ');
    throw new SchemaValidationError(`Invalid schema: ${errors}`);
  }
  const schema: WorkflowSchema = {
    name: result.data.name,
    artifacts: result.data.artifacts.map(({ id, generates, requires }) => ({ id, generates, requires })),
    ...(result.data.apply ? { apply: { requires: result.data.apply.requires, tracks: result.data.apply.tracks } } : {}),
  };
  checkArtifactGraph(schema);
  return schema;
}

function checkArtifactGraph(schema: WorkflowSchema): void {
  const ids = new Set<string>();
  for (const artifact of schema.artifacts) {
    if (ids.has(artifact.id)) throw new SchemaValidationError(`Duplicate artifact ID: ${artifact.id}`);
    ids.add(artifact.id);
  }
  for (const artifact of schema.artifacts) {
    for (const required of artifact.requires) {
      if (!ids.has(required)) {
        throw new SchemaValidationError(
          `Invalid dependency reference in artifact '${artifact.id}': '${required}' does not exist`,
        );
      }
    }
  }
  for (const required of schema.apply?.requires ?? []) {
    if (!ids.has(required)) {
      const known = schema.artifacts.map((a) => a.id).join(', ');
      throw new SchemaValidationError(
        `Invalid apply.requires reference: '${required}' does not exist (artifacts: ${known})`,
      );
    }
  }
  const cycle = findCycle(schema.artifacts);
  if (cycle) throw new SchemaValidationError(`Cyclic dependency detected: ${cycle}`);
}

/** Depth-first search over `requires`, reporting the first cycle as `a → b → a`, as the CLI does. */
function findCycle(artifacts: readonly WorkflowArtifact[]): string | undefined {
  const byId = new Map(artifacts.map((a) => [a.id, a]));
  const visited = new Set<string>();
  const inStack = new Set<string>();
  const parent = new Map<string, string>();
  const visit = (id: string): string | undefined => {
    visited.add(id);
    inStack.add(id);
    for (const dep of byId.get(id)?.requires ?? []) {
      if (!visited.has(dep)) {
        parent.set(dep, id);
        const cycle = visit(dep);
        if (cycle) return cycle;
      } else if (inStack.has(dep)) {
        const cyclePath = [dep];
        let current = id;
        while (current !== dep) {
          cyclePath.unshift(current);
          current = parent.get(current) ?? dep;
        }
        cyclePath.unshift(dep);
        return cyclePath.join(' → ');
      }
    }
    inStack.delete(id);
    return undefined;
  };
  for (const artifact of artifacts) {
    if (!visited.has(artifact.id)) {
      const cycle = visit(artifact.id);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

/** What the CLI's built-in `spec-driven` schema declares (its schema.yaml is not shipped with this project). */
export const BUILT_IN_SPEC_DRIVEN: WorkflowSchema = {
  name: 'spec-driven',
  artifacts: [
    { id: 'proposal', generates: 'proposal.md', requires: [] },
    { id: 'specs', generates: 'specs/**/*.md', requires: ['proposal'] },
    { id: 'design', generates: 'design.md', requires: ['proposal'] },
    { id: 'tasks', generates: 'tasks.md', requires: ['specs', 'design'] },
  ],
  apply: { requires: ['tasks'], tracks: 'tasks.md' },
};
