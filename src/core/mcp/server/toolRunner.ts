import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { ImproveTargetError } from '../../ai/improve/improveTarget';
import { isLlmError } from '../../ai/llmError';
import { ChangeNotFoundError } from '../../ai/prompt/changeContext';
import type { Logger } from '../../logger';
import { errorResult, ToolRefusal } from './toolResults';
import { errorMessage } from '../../errorMessage';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Wraps a tool handler: times it, logs the outcome, and turns anything thrown into an `isError` answer, so a
 * bug or a bad argument costs the agent one failed call and never the connection.
 */
export function instrumented<Args>(
  logger: Logger,
  name: string,
  handler: (args: Args, extra: ToolExtra) => Promise<CallToolResult>,
): (args: Args, extra: ToolExtra) => Promise<CallToolResult> {
  return async (args, extra) => {
    const started = Date.now();
    const elapsed = () => `${Date.now() - started} ms`;
    try {
      const result = await handler(args, extra);
      if (extra.signal.aborted) logger.info(`MCP ${name}: cancelled after ${elapsed()}`);
      else logger.info(`MCP ${name}: ${result.isError ? 'refused' : 'ok'} in ${elapsed()}`);
      return result;
    } catch (error) {
      if (extra.signal.aborted) {
        logger.info(`MCP ${name}: cancelled after ${elapsed()}`);
        return errorResult(`${name} was cancelled.`);
      }
      const message = describeToolError(name, error);
      if (isExpected(error)) logger.info(`MCP ${name}: refused in ${elapsed()}: ${message}`);
      else logger.error(`MCP ${name}: failed in ${elapsed()}`, error);
      return errorResult(message);
    }
  };
}

function isExpected(error: unknown): boolean {
  return (
    error instanceof ToolRefusal ||
    error instanceof ChangeNotFoundError ||
    error instanceof ImproveTargetError ||
    isLlmError(error)
  );
}

export function describeToolError(name: string, error: unknown): string {
  if (isLlmError(error)) return [error.message, error.hint].filter((part) => part !== '').join(' ');
  if (isExpected(error)) return (error as Error).message;
  return `${name} failed: ${errorMessage(error)}`;
}
