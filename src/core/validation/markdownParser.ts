import { buildCodeFenceMask, startsWithHash } from './codeFence';
import { extractRequirementText, hasScenarioBody } from './requirementText';

/**
 * The main-spec reader behind `openspec validate <spec>`: a header tree, from which the Purpose text and the
 * requirements under `## Requirements` are taken. Each level-3 child of that section is a requirement and
 * each of its level-4 children with a body is a scenario, whatever their header says.
 */
export interface Section {
  level: number;
  title: string;
  content: string;
  children: Section[];
}

export interface ParsedScenario {
  rawText: string;
}

export interface ParsedRequirement {
  text: string;
  scenarios: ParsedScenario[];
}

export interface ParsedSpec {
  name: string;
  overview: string;
  requirements: ParsedRequirement[];
  metadata: { version: string; format: 'openspec' };
}

const HEADER = /^(#{1,6})\s+(.+)$/;
const HEADER_START = /^(#{1,6})\s+/;

export class MarkdownParser {
  private readonly lines: string[];
  /** Per line, the level of a header that ends a section (`#` to `######` then whitespace), else 0. */
  private readonly boundaryLevels: Int8Array;

  constructor(content: string) {
    this.lines = MarkdownParser.normalizeContent(content).split('\n');
    const fenced = buildCodeFenceMask(this.lines);
    this.boundaryLevels = new Int8Array(this.lines.length);
    this.lines.forEach((line, i) => {
      if (!fenced[i] && startsWithHash(line)) this.boundaryLevels[i] = HEADER_START.exec(line)?.[1]?.length ?? 0;
    });
  }

  /** A BOM would keep a first-line header from matching. */
  static normalizeContent(content: string): string {
    return content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  }

  /** Throws when the Purpose (or its text) or the Requirements section is missing; the validator reports that. */
  parseSpec(name: string): ParsedSpec {
    const sections = this.parseSections();
    const purpose = findSection(sections, 'Purpose')?.content || '';
    const requirementsSection = findSection(sections, 'Requirements');
    if (!purpose) throw new Error('Spec must have a Purpose section');
    if (!requirementsSection) throw new Error('Spec must have a Requirements section');
    return {
      name,
      overview: purpose.trim(),
      requirements: parseRequirements(requirementsSection),
      metadata: { version: '1.0.0', format: 'openspec' },
    };
  }

  parseSections(): Section[] {
    const sections: Section[] = [];
    const stack: Section[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      if (this.boundaryLevels[i] === 0) continue;
      const headerMatch = HEADER.exec(this.lines[i] ?? '');
      if (!headerMatch) continue;
      const level = (headerMatch[1] ?? '').length;
      const section: Section = {
        level,
        title: (headerMatch[2] ?? '').trim(),
        content: this.getContentUntilNextHeader(i + 1, level),
        children: [],
      };
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= level) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(section);
      else sections.push(section);
      stack.push(section);
    }
    return sections;
  }

  private getContentUntilNextHeader(startLine: number, currentLevel: number): string {
    let end = startLine;
    while (end < this.lines.length) {
      const level = this.boundaryLevels[end] ?? 0;
      if (level !== 0 && level <= currentLevel) break;
      end++;
    }
    return this.lines.slice(startLine, end).join('\n').trim();
  }
}

/** Depth-first, case-insensitive: the first section with that title at any level. */
export function findSection(sections: readonly Section[], title: string): Section | undefined {
  for (const section of sections) {
    if (section.title.toLowerCase() === title.toLowerCase()) return section;
    const child = findSection(section.children, title);
    if (child) return child;
  }
  return undefined;
}

function parseRequirements(section: Section): ParsedRequirement[] {
  return section.children.map((child) => ({
    text: extractRequirementText(child.title, child.content.split('\n')),
    scenarios: child.children
      .filter((scenario) => hasScenarioBody(scenario.content))
      .map((scenario) => ({ rawText: scenario.content })),
  }));
}
