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
  /**
   * Lets this server's URL reach link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10,
   * …), which the SSRF guard otherwise refuses. Only for a server that really lives there.
   */
  allowLinkLocal: z.boolean().optional(),
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
  /**
   * The most the store may grow to (SQLite `max_page_count`); beyond it writes fail as "database
   * full" and the policy's `auditFailure` mode decides. Absent: only the disk limits it.
   */
  maxStoreBytes: z.number().int().min(64 * 1024).optional(),
  /**
   * The most audit records may take in the spool (policy `auditFailure: spool`) while the store
   * refuses writes; the spool is also held in memory for its replay. Beyond it calls are refused as
   * in `fail-closed`, until the store takes the spool back.
   */
  maxSpoolBytes: z.number().int().min(64 * 1024).default(64 * 1024 * 1024),
  /**
   * A call the server has not answered in this time (each progress notification starts it again)
   * is answered with a timeout error and cancelled upstream with `notifications/cancelled`.
   */
  requestTimeoutSeconds: z.number().positive().default(300),
  /**
   * Requests that may wait on servers at once, across every session; beyond it new calls get an
   * overload error at once instead of piling up behind a slow or hung server.
   */
  maxInFlightRequests: z.number().int().positive().default(2000),
  /**
   * Bytes an agent's SSE stream may have waiting to be read; an agent that stops reading is
   * disconnected beyond it (what it missed stays replayable with `Last-Event-ID`, within
   * `resumableEvents`).
   */
  maxBufferedStreamBytes: z.number().int().positive().default(8 * 1024 * 1024),
});

/**
 * Org mode: sign in with the org's OIDC provider, pull its policy bundle from the hub and ship the
 * audit log there. Absent: Airlock works alone, as before.
 */
export const OrgSchema = z.strictObject({
  /** The OIDC issuer; its `/.well-known/openid-configuration` is discovered. */
  issuer: z.url({ protocol: /^https$/, error: 'issuer must be an https:// URL' }),
  /** Airlock's client id at the provider: a public client (PKCE, no secret). */
  clientId: z.string().min(1).default('airlock'),
  scopes: z.string().default('openid offline_access email profile groups'),
  /** The resource indicator (RFC 8707) asked for, so access tokens carry the hub's audience. */
  audience: z.string().min(1).optional(),
  /** The ID token claim that lists the user's groups (what `group` in policy rules matches). */
  groupsClaim: z.string().min(1).default('groups'),
  /** The org hub's base URL: `GET <hub>/policy/bundle`, `POST <hub>/v1/logs` (OTLP/HTTP). */
  hub: z.url({ protocol: /^https$/, error: 'hub must be an https:// URL' }),
  /** Where the policy bundle is, when not `<hub>/policy/bundle` (e.g. a static file server). */
  policyUrl: z.url({ protocol: /^https$/, error: 'policyUrl must be an https:// URL' }).optional(),
  /** Where audit batches go, when not `<hub>/v1/logs`: an OpenTelemetry Collector's OTLP/HTTP logs endpoint. */
  logsUrl: z.url({ protocol: /^https$/, error: 'logsUrl must be an https:// URL' }).optional(),
  /** A PEM file of extra CA certificates to trust for the issuer and the hub (a private PKI). */
  caFile: z.string().min(1).optional(),
  /** The shortest policy poll interval, whatever the hub's Cache-Control says. */
  policyPollFloorSeconds: z.number().int().min(5).default(60),
  audit: z
    .strictObject({
      /** Records per OTLP batch. */
      batchSize: z.number().int().min(1).max(5000).default(500),
      /** Warn once this many records wait to be shipped. */
      warnUnshipped: z.number().int().min(1).default(100_000),
      /**
       * Drop the oldest unshipped records beyond this many (after a warning). 0, the default,
       * never drops an unshipped record: the outbox grows until the hub is back.
       */
      maxUnshipped: z.number().int().min(0).default(0),
    })
    .prefault({}),
});
export type OrgConfig = z.infer<typeof OrgSchema>;

export const ConfigSchema = z.strictObject({
  listen: ListenSchema.prefault({}),
  /** The policy file (JSON or YAML), relative to the config file; without it, the embedded default policy. */
  policy: z.string().min(1).optional(),
  servers: ServersSchema.default({}),
  limits: LimitsSchema.prefault({}),
  org: OrgSchema.optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

export function isStdioServer(server: ServerConfig): server is StdioServer {
  return 'command' in server;
}
