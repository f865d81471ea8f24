import { posix } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import { readFileIfExists } from '../fs/fileSystem';
import type { Logger } from '../logger';
import type { ChatModel, GenerationProgress } from '../ai/chatModel';
import { sha256 } from '../hash';
import { requestStructured } from '../ai/structuredOutput';
import { clip, MAX_LESSON_LENGTH } from './lessonLimits';
import { mergeProjectRules, RULE_ARTIFACTS, type ProjectRulesAdditions, type RuleArtifact } from './configYamlMerge';
import { PROJECT_CONFIG_FILE } from '../openspec/documentPaths';
import { projectRulesAnswerSchema, projectRulesMessages, type ProjectRulesAnswer } from './projectRulesPrompt';

const MAX_RULES_PER_ARTIFACT = 5;

export interface ProjectRulesOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: GenerationProgress) => void;
  readonly logger?: Logger;
}

/** Proposed additions to config.yaml; like any proposal, nothing is written until the user accepts it. */
export interface ProjectRulesProposal {
  readonly file: typeof PROJECT_CONFIG_FILE;
  readonly absolutePath: string;
  /** '' when the file does not exist yet. */
  readonly baseText: string;
  /** sha256 (hex) of `baseText`: apply only when the file still hashes to it (or, when `created`, still does not exist). */
  readonly baseHash: string;
  readonly proposedText: string;
  readonly summary: string;
  /** True when config.yaml does not exist and accepting creates it. */
  readonly created: boolean;
  /** False when there was nothing new to add: `proposedText` equals `baseText`. */
  readonly changed: boolean;
  /** The model that answered; undefined when there were no lessons to ask about. */
  readonly model?: string;
  readonly repaired: boolean;
}

/**
 * Drafts additions to `openspec/config.yaml` (`context`, `rules`) from the lessons and merges them into the
 * current file, keeping its keys and comments. Without lessons the model is not asked and nothing changes.
 * A malformed config.yaml is a `ProjectConfigError`: it is never rewritten from a guess.
 */
export async function proposeProjectRules(
  model: ChatModel,
  fs: FileSystem,
  root: string,
  lessons: readonly string[],
  options: ProjectRulesOptions = {},
): Promise<ProjectRulesProposal> {
  const absolutePath = posix.join(root, PROJECT_CONFIG_FILE);
  const existing = await readFileIfExists(fs, absolutePath);
  const baseText = existing ?? '';
  const base = {
    file: PROJECT_CONFIG_FILE,
    absolutePath,
    baseText,
    baseHash: sha256(baseText),
    created: existing === undefined,
  } as const;
  const kept = lessons.map((lesson) => clip(lesson, MAX_LESSON_LENGTH)).filter((lesson) => lesson !== '');
  if (kept.length === 0) {
    return {
      ...base,
      proposedText: baseText,
      summary: 'There are no lessons yet to draw project rules from.',
      changed: false,
      repaired: false,
    };
  }
  const result = await requestStructured(
    model,
    {
      messages: projectRulesMessages(existing, kept),
      maxTokens: 1024,
      temperature: 0.2,
      signal: options.signal,
      onProgress: options.onProgress,
    },
    projectRulesAnswerSchema,
    'openspec_project_rules',
    { logger: options.logger },
  );
  const merged = mergeProjectRules(baseText, additionsFrom(result.value));
  const changed = merged.text !== baseText;
  const summary = changed
    ? result.value.summary.trim()
    : 'Everything the lessons suggest is already in openspec/config.yaml.';
  if (!changed) options.logger?.info(summary);
  return {
    ...base,
    proposedText: merged.text,
    summary,
    changed,
    model: result.reply.model || model.id,
    repaired: result.repaired,
  };
}

function additionsFrom(answer: ProjectRulesAnswer): ProjectRulesAdditions {
  const rules: Partial<Record<RuleArtifact, string[]>> = {};
  for (const artifact of RULE_ARTIFACTS) {
    const list = (answer.rules?.[artifact] ?? [])
      .map((rule) => clip(rule, MAX_LESSON_LENGTH))
      .filter((rule) => rule !== '');
    if (list.length > 0) rules[artifact] = list.slice(0, MAX_RULES_PER_ARTIFACT);
  }
  const context = answer.context?.trim();
  return { ...(context ? { context } : {}), rules };
}
