import { z } from 'zod';
import type { McpServerConfig } from './mcpServersConfig';

/** The shape of mcpServersConfig.ts's entries as a schema, typed by the union it checks so the two cannot drift. */
const timeoutMs = z.number().int().positive().optional();

const stdioServerSchema = z.object({
  type: z.literal('stdio'),
  command: z.string().min(1, 'command must not be empty'),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  cwd: z.string().optional(),
  timeoutMs,
});

const httpServerSchema = z.object({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs,
});

export const serverSchema: z.ZodType<McpServerConfig> = z.discriminatedUnion(
  'type',
  [stdioServerSchema, httpServerSchema],
  { error: 'type must be "stdio" (with a command) or "http" (with a url)' },
);
