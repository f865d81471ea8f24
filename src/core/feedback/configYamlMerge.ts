import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type YAMLMap } from 'yaml';
import { detectLineEnding, withLineEnding } from '../ai/improve/documentText';

/** The artifacts of the spec-driven schema, the ones `rules` are keyed by. */
export const RULE_ARTIFACTS = ['proposal', 'specs', 'design', 'tasks'] as const;
export type RuleArtifact = (typeof RULE_ARTIFACTS)[number];

export interface ProjectRulesAdditions {
  readonly context?: string;
  readonly rules?: Partial<Record<RuleArtifact, readonly string[]>>;
}

export interface MergedConfig {
  readonly text: string;
  /** What was actually added, after leaving out what config.yaml already says. */
  readonly added: { readonly context: boolean; readonly rules: Partial<Record<RuleArtifact, string[]>> };
}

/** `openspec` refuses a context over 50 KB. */
const MAX_CONTEXT_BYTES = 50 * 1024;

export class ProjectConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectConfigError';
  }
}

/**
 * Adds context and rules to config.yaml through yaml's Document API, so every existing key, comment and
 * rule stays as it was. A rule already present (ignoring case and spacing) is not added twice; an empty or
 * comment-only file becomes `schema: spec-driven` plus the additions. Malformed YAML is refused, not rewritten.
 */
export function mergeProjectRules(baseText: string, additions: ProjectRulesAdditions): MergedConfig {
  const document: Document<Node> = parseDocument(baseText.replace(/^\uFEFF/, ''));
  if (document.errors.length > 0)
    throw new ProjectConfigError(
      `openspec/config.yaml is not valid YAML (${document.errors[0]?.message ?? ''}); fix it first.`,
    );
  if (document.contents === null) document.contents = document.createNode({ schema: 'spec-driven' });
  const root = document.contents;
  if (!isMap(root))
    throw new ProjectConfigError('openspec/config.yaml is not a mapping of keys to values; fix it first.');
  const context = additions.context !== undefined && addContext(document, root, additions.context);
  const rules: Partial<Record<RuleArtifact, string[]>> = {};
  for (const artifact of RULE_ARTIFACTS) {
    const added = addRules(document, root, artifact, additions.rules?.[artifact] ?? []);
    if (added.length > 0) rules[artifact] = added;
  }
  const nothing = !context && Object.keys(rules).length === 0;
  const text = nothing ? baseText : conform(document.toString({ lineWidth: 0 }), baseText);
  return { text, added: { context, rules } };
}

function addContext(document: Document, root: YAMLMap, addition: string): boolean {
  const text = addition.trim();
  if (text === '') return false;
  const node = root.get('context', true);
  if (node === undefined || node === null || (isScalar(node) && (node.value === null || node.value === ''))) {
    const scalar = new Scalar(`${text}\n`);
    scalar.type = Scalar.BLOCK_LITERAL;
    const pair = document.createPair('context', scalar);
    const schemaIndex = root.items.findIndex((item) => isScalar(item.key) && item.key.value === 'schema');
    root.items = root.items.filter((item) => !(isScalar(item.key) && item.key.value === 'context'));
    root.items.splice(schemaIndex + 1, 0, pair);
    return true;
  }
  if (!isScalar(node) || typeof node.value !== 'string')
    throw new ProjectConfigError('The context in openspec/config.yaml is not text; fix it first.');
  if (normalize(node.value).includes(normalize(text))) return false;
  const combined = `${node.value.replace(/\s+$/, '')}\n${text}\n`;
  if (new TextEncoder().encode(combined).length > MAX_CONTEXT_BYTES) return false;
  node.value = combined;
  node.type = Scalar.BLOCK_LITERAL;
  return true;
}

function addRules(document: Document, root: YAMLMap, artifact: RuleArtifact, proposed: readonly string[]): string[] {
  let rules: unknown = root.get('rules', true);
  if (rules !== undefined && rules !== null && !(isScalar(rules) && rules.value === null) && !isMap(rules)) {
    throw new ProjectConfigError(
      'The rules in openspec/config.yaml are not a mapping of artifacts to lists; fix them first.',
    );
  }
  const existingList = isMap(rules) ? rules.get(artifact, true) : undefined;
  const existing = isSeq(existingList)
    ? existingList.items.map((item) => (isScalar(item) ? String(item.value) : ''))
    : isScalar(existingList) && typeof existingList.value === 'string'
      ? [existingList.value]
      : [];
  const seen = new Set(existing.map(normalize));
  const added: string[] = [];
  for (const rule of proposed.map((entry) => entry.trim()).filter((entry) => entry !== '')) {
    if (seen.has(normalize(rule))) continue;
    seen.add(normalize(rule));
    added.push(rule);
  }
  if (added.length === 0) return [];
  if (!isMap(rules)) {
    rules = document.createNode({});
    root.set('rules', rules);
  }
  if (!isMap(rules)) return [];
  if (isSeq(existingList)) for (const rule of added) existingList.add(document.createNode(rule));
  else rules.set(artifact, document.createNode([...existing, ...added]));
  return added;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The new text in the base's line ending and BOM. */
function conform(text: string, base: string): string {
  const bom = base.startsWith('\uFEFF') ? '\uFEFF' : '';
  return bom + withLineEnding(text, detectLineEnding(base));
}
