import { z } from 'zod';
import { documentLines } from '../prompt/documentListing';
import type { ReviewFinding } from '../review/findingSchema';

const IMPROVER = `You improve one document of an OpenSpec change so that it is correct, unambiguous and testable, changing only what needs to change.

The OpenSpec format:
- A delta spec has "## ADDED Requirements", "## MODIFIED Requirements", "## REMOVED Requirements" or "## RENAMED Requirements" sections. Each requirement is "### Requirement: <name>", then a statement that uses SHALL or MUST, then at least one "#### Scenario: <name>" with "- **WHEN** ..." and "- **THEN** ..." steps (and optional "- **AND** ...").
- A main spec is "# <name> Specification", "## Purpose", "## Requirements", then requirements as above.
- The main specs under openspec/specs/ are the current truth; a MODIFIED requirement repeats the whole requirement and keeps every scenario the main spec has.
- proposal.md has ## Why, ## What Changes, ## Capabilities, ## Impact; tasks.md has "## 1. Group" headers and "- [ ] 1.1 Task" checkboxes.

Rules:
- Keep the structure, the headings and every sentence that is already fine, word for word. Do not reorder.
- Keep requirement names as they are (MODIFIED, REMOVED and archive match requirements by name) unless told to rename.
- Every requirement states its behaviour with SHALL or MUST and has scenarios with WHEN and THEN; add the failure or edge scenarios it lacks.
- Replace vague words (fast, quickly, appropriate, user-friendly) with measurable criteria.
- Follow the project context and rules from config.yaml.
- The other files are context: do not rewrite them. Line numbers in listings are not part of the files: never write them.`;

/** `lessons`: what this project's decisions taught (accepted and rejected proposals), followed like instructions. */
export function improveInstructions(lessons: readonly string[] = []): string {
  const kept = lessons.map((lesson) => lesson.trim()).filter((lesson) => lesson !== '');
  if (kept.length === 0) return IMPROVER;
  return `${IMPROVER}\n\nLessons from earlier proposals in this project; follow them:\n${kept.map((lesson) => `- ${lesson}`).join('\n')}`;
}

/** What the model answers for a whole document. Summary first: writing it is the model's plan. */
export const documentAnswerSchema = z.object({
  summary: z.string().min(1).describe('One or two sentences: what you changed and why'),
  document: z
    .string()
    .min(1)
    .describe(
      'The complete new text of the document, every line of it, as plain markdown without line numbers or a code fence',
    ),
});

/** What the model answers for one requirement. */
export const requirementAnswerSchema = z.object({
  summary: z.string().min(1).describe('One or two sentences: what you changed and why'),
  requirement: z
    .string()
    .min(1)
    .describe(
      'The complete new requirement block: its "### Requirement: <name>" header, its statement and all its scenarios, as plain markdown',
    ),
});

/** A finding to fix: at least a message; the rest helps locate it. */
export type FindingToFix = Pick<ReviewFinding, 'message'> & Partial<Omit<ReviewFinding, 'message'>>;

/**
 * The findings as a list the model can act on. The target is listed without line numbers (they would leak
 * into the answer), so a finding on the target quotes its line instead.
 */
export function describeFindings(findings: readonly FindingToFix[], targetFile: string, targetText: string): string {
  const lines = documentLines(targetText);
  return findings
    .map((finding) => {
      const where: string[] = [];
      if (finding.file && finding.file !== targetFile) where.push(`in ${finding.file}`);
      if (finding.requirement) where.push(`requirement "${finding.requirement}"`);
      const quoted =
        finding.line !== undefined && finding.file === targetFile ? lines[finding.line - 1]?.trim() : undefined;
      if (quoted) where.push(`at the line "${quoted.slice(0, 160)}"`);
      const label = [finding.severity, finding.category].filter(Boolean).join(', ');
      const suggestion = finding.suggestion ? ` Suggested fix: ${finding.suggestion}` : '';
      return `- ${label ? `[${label}] ` : ''}${where.length > 0 ? `${where.join(', ')}: ` : ''}${finding.message}${suggestion}`;
    })
    .join('\n');
}

/** The closing request: what to fix, then what to answer with. */
export function improveTask(options: {
  readonly file: string;
  readonly requirement?: { readonly name: string; readonly block: string };
  readonly findings: readonly FindingToFix[];
  readonly instruction?: string;
  readonly targetText: string;
  /** `edits` for a long document: find/replace changes instead of the whole text, which small models truncate. */
  readonly answer?: 'document' | 'edits';
}): string {
  const asks: string[] = [];
  if (options.findings.length > 0)
    asks.push(`Fix these review findings:\n${describeFindings(options.findings, options.file, options.targetText)}`);
  if (options.instruction?.trim()) asks.push(`Instruction from the author: ${options.instruction.trim()}`);
  if (asks.length === 0)
    asks.push('Fix whatever makes it ambiguous, untestable, incomplete or inconsistent with the rest of the change.');
  if (options.requirement) {
    return [
      `Improve only the requirement "${options.requirement.name}" of ${options.file}. Its current block:`,
      options.requirement.block,
      ...asks,
      `Answer with "requirement": the complete new block from "### Requirement: ${options.requirement.name}" through its last scenario, and "summary".`,
    ].join('\n\n');
  }
  const answer =
    options.answer === 'edits'
      ? `Answer with "edits": the changes to ${options.file}, each a "find" (an exact excerpt of its current text, a few whole lines that occur only once) and its "replace"; and "summary". Do not retype the parts that stay as they are.`
      : `Answer with "document": the complete new text of ${options.file}, and "summary".`;
  return [`Improve ${options.file}.`, ...asks, answer].join('\n\n');
}
