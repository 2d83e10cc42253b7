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

export type ServerConfig = StdioServer | HttpServer;

/**
 * Picks the server kind by its key (`command` or `url`) before validating, so an error names the
 * field inside the server (`servers.x.args`) instead of "matches neither kind".
 */
const ServersSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const servers: Record<string, ServerConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const named = ServerNameSchema.safeParse(name);
    if (!named.success) ctx.addIssue({ code: 'custom', path: [name], message: named.error.issues[0].message });
    const fields = typeof value === 'object' && value !== null ? value : {};
    const schema = 'command' in fields ? StdioServerSchema : 'url' in fields ? HttpServerSchema : undefined;
    if (!schema) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'a server needs either "command" (stdio) or "url" (Streamable HTTP)' });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) servers[name] = parsed.data;
    else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [name, ...issue.path], message: issue.message });
  }
  return servers;
});

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
  /**
   * A session with no open request or stream for this long is ended and its server stopped, so
   * agents that vanish without DELETE do not leave servers running. Connected agents keep a GET
   * stream open and are never idle.
   */
  sessionIdleSeconds: z.number().positive().default(900),
});

export const ConfigSchema = z.strictObject({
  listen: ListenSchema.prefault({}),
  /** The policy file (JSON or YAML), relative to the config file; without it, the embedded default policy. */
  policy: z.string().min(1).optional(),
  servers: ServersSchema.default({}),
  limits: LimitsSchema.prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;

export function isStdioServer(server: ServerConfig): server is StdioServer {
  return 'command' in server;
}
