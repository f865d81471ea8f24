import type { RecordedChatRequest, StandInReply } from './standInTypes';

/**
 * Improve answers that are well-formed JSON but bad content, as small local models send them: truncated
 * rewrites, dropped sections, re-ticked tasks, the listing's line numbers copied in. Each mode rewrites the
 * document the request asks about (read back from the prompt, where it is listed without line numbers).
 */
export const DAMAGE_MODES = [
  'wipe',
  'dropSection',
  'dropTask',
  'tickTasks',
  'dropRequirement',
  'fenced',
  'numbered',
  'thinkRemnant',
  'noop',
  'editsMissingAnchor',
] as const;

export type DamageMode = (typeof DAMAGE_MODES)[number];

/** The line a harmless improvement appends to the first statement, so cleaned answers still change something. */
export const CLARIFICATION = ' (a logout or a 30-minute timeout ends it)';

/** The workspace-relative file an improve request asks for, from its task ("Improve <file>."), also in a repair round. */
export function requestedFile(request: RecordedChatRequest): string {
  for (const message of [...request.messages].reverse()) {
    if (message.role !== 'user') continue;
    const file =
      /^Improve (\S+)\.$/m.exec(message.content)?.[1] ??
      /^Improve only the requirement "[^"]*" of (\S+)\./m.exec(message.content)?.[1];
    if (file !== undefined) return file;
  }
  return '';
}

/** A repair round: the client sent the model's first answer back with what was wrong with it. */
export function isRepairRound(request: RecordedChatRequest): boolean {
  return request.messages.some((message) => message.role === 'assistant');
}

/** The text of `file` as the prompt lists it (unnumbered for the improve target). */
export function listedText(request: RecordedChatRequest, file: string): string | undefined {
  const start = `<file path="${file}"`;
  for (const message of request.messages) {
    const at = message.content.indexOf(start);
    if (at < 0) continue;
    const body = message.content.slice(message.content.indexOf('\n', at) + 1);
    const end = body.indexOf('\n</file>');
    return end < 0 ? undefined : `${body.slice(0, end)}\n`;
  }
  return undefined;
}

/** `text` with `mode`'s damage done (the text itself for the modes that leave it alone). */
export function damage(mode: DamageMode, text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  switch (mode) {
    case 'wipe':
      return 'Improved.\n';
    case 'dropSection':
      return dropSectionNamed(lines, '## Impact').join('\n') + '\n';
    case 'dropTask': {
      const last = lines
        .map((line, index) => (/^\s*[-*]\s*\[[ xX]\]/.test(line) ? index : -1))
        .filter((index) => index >= 0)
        .at(-1);
      return `${lines.filter((_, index) => index !== last).join('\n')}\n`;
    }
    case 'tickTasks':
      return `${lines.map((line) => line.replace(/^(\s*[-*]\s*)\[ \]/, '$1[x]')).join('\n')}\n`;
    case 'dropRequirement':
      return `${dropLastRequirement(lines).join('\n')}\n`;
    case 'fenced':
      return `\`\`\`markdown\n${clarified(lines).join('\n')}\n\`\`\`\n`;
    case 'numbered':
      return `${clarified(lines)
        .map((line, index) => `${index + 1}: ${line}`)
        .join('\n')}\n`;
    case 'thinkRemnant':
      // The transport strips <think> blocks; what slips through is the reasoning written as plain text.
      return `Okay, let me improve the document while keeping everything else.\n\n${clarified(lines).join('\n')}\n`;
    case 'noop':
    case 'editsMissingAnchor':
      return text;
  }
}

/** A reply handler for improve requests answering with `mode`'s damage of the requested document. */
export function damagingImprove(mode: DamageMode): (request: RecordedChatRequest) => StandInReply {
  return (request) => {
    const file = requestedFile(request);
    const text = listedText(request, file) ?? '';
    if (mode === 'editsMissingAnchor') {
      return JSON.stringify({
        summary: `Clarified ${file}.`,
        edits: [{ find: 'A sentence this document never had.', replace: 'A better sentence.' }],
      });
    }
    return JSON.stringify({ summary: `Improved ${file}.`, document: damage(mode, text) });
  };
}

/** The lines with the first statement (a line that is no heading, list item or blank) clarified. */
function clarified(lines: readonly string[]): string[] {
  const index = lines.findIndex((line) => line.trim() !== '' && !/^(#|\s*[-*])/.test(line));
  return lines.map((line, at) => (at === index ? `${line}${CLARIFICATION}` : line));
}

function dropSectionNamed(lines: readonly string[], header: string): string[] {
  const start = lines.findIndex((line) => line.trim() === header);
  if (start < 0) return [...lines];
  const next = lines.findIndex((line, index) => index > start && /^##?\s/.test(line));
  return [...lines.slice(0, start), ...(next < 0 ? [] : lines.slice(next))];
}

function dropLastRequirement(lines: readonly string[]): string[] {
  const start = lines
    .map((line, index) => (/^###\s+Requirement:/.test(line) ? index : -1))
    .filter((index) => index >= 0)
    .at(-1);
  if (start === undefined) return [...lines];
  const next = lines.findIndex((line, index) => index > start && /^#{2,3}\s/.test(line));
  return [...lines.slice(0, start), ...(next < 0 ? [] : lines.slice(next))];
}
