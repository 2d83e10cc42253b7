import { z } from 'zod';

/** A downstream MCP server the gateway launches as a child process and speaks to over stdio. */
export const StdioServerSchema = z.strictObject({
  command: z.string().min(1, 'command must not be empty'),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().min(1).optional(),
});
export type StdioServer = z.infer<typeof StdioServerSchema>;

/** A downstream MCP server reached over Streamable HTTP. */
export const HttpServerSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
  headers: z.record(z.string(), z.string()).default({}),
});
export type HttpServer = z.infer<typeof HttpServerSchema>;

export const ServerSchema = z.union([StdioServerSchema, HttpServerSchema], {
  error: 'a server needs either "command" (stdio) or "url" (Streamable HTTP), and no unknown fields',
});
export type ServerConfig = z.infer<typeof ServerSchema>;

/** Server names appear in URLs (`/servers/<name>/mcp`), so they are kept URL-safe. */
export const ServerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'server names use letters, digits, "_", "." and "-" (max 64)');

export const ListenSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(7400),
});

export const LimitsSchema = z.strictObject({
  /** Largest request body an agent may POST; bigger ones get 413. */
  maxBodyBytes: z.number().int().positive().default(4 * 1024 * 1024),
  /** Events kept per agent session for `Last-Event-ID` resumption. */
  resumableEvents: z.number().int().min(0).default(1000),
});

export const ConfigSchema = z.strictObject({
  listen: ListenSchema.prefault({}),
  servers: z.record(ServerNameSchema, ServerSchema).default({}),
  limits: LimitsSchema.prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;

export function isStdioServer(server: ServerConfig): server is StdioServer {
  return 'command' in server;
}
