import { format } from 'node:util';

/**
 * The workbench sends its own log and the extension host's console (mocha's reporter) through the same
 * `codeAutomationLog` channel at the same level, so the workbench's routine start-up chatter is recognised
 * by its text. Seen with code-server 4.100.3 and 4.117.0; an unknown line is printed, never lost.
 */
const WORKBENCH_CHATTER = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket \(/,
  /^Creation of workbench contribution /,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore: /,
  /^Started local extension host/,
  /^\[reconnection-grace-time\] /,
];

/** Turns a `codeAutomationLog` message (console-style arguments, or text) into one printable string. */
export function formatLogMessage(message: unknown): string {
  if (Array.isArray(message)) return format(...(message as unknown[]));
  return typeof message === 'string' ? message : JSON.stringify(message);
}

export function isWorkbenchChatter(text: string): boolean {
  return WORKBENCH_CHATTER.some((pattern) => pattern.test(text));
}
