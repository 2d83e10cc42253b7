import { z } from 'zod';
import { ApprovalDecisionSchema } from '../approvals/approval-types.js';
import type { PendingApproval } from '../approvals/approval-types.js';
import type { HeldTool, PinSummary } from '../pinning/tool-pins.js';

/**
 * The control API, declared once: every route with its method, path, and the zod schemas of its
 * query and body. The gateway's router, the CLI, the tray window's HTTP backend and (in the desktop
 * app) the preload bridge all code against this file. Handlers answer `{ok: true, data}` or
 * `{ok: false, code, message}`; `RouteData` names each route's `data`.
 *
 * The renderer imports this file for types only (`import type`), so zod never ships to the page.
 */

// ---- shared pieces -----------------------------------------------------------------------------

/** A non-negative integer that arrives as a query string. */
const QueryInt = z.coerce.number().int().min(0);
const Limit = z.coerce.number().int().min(1).max(500).default(50);
const NameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'use letters, digits, "_", "." and "-" (max 64)');

/** What a call came to, as the Activity and History views badge it. */
export const CallStatusSchema = z.enum(['allowed', 'masked', 'denied', 'waiting', 'pending', 'failed', 'withdrawn']);
export type CallStatus = z.infer<typeof CallStatusSchema>;

// ---- history -----------------------------------------------------------------------------------

/**
 * Filters for the sessions list. `tool` and `decision` match sessions with at least one such
 * message; `q` is full-text search over the recorded (masked) message bodies; `from`/`to` bound
 * `started_at` (ms since epoch, inclusive). Paging is by an opaque `cursor` from the previous page.
 */
export const SessionsQuerySchema = z.strictObject({
  server: z.string().min(1).optional(),
  tool: z.string().min(1).optional(),
  client: z.string().min(1).optional(),
  decision: z.enum(['allowed', 'masked', 'denied', 'approved', 'failed']).optional(),
  from: QueryInt.optional(),
  to: QueryInt.optional(),
  q: z.string().min(1).max(200).optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: Limit,
});
export type SessionsQuery = z.infer<typeof SessionsQuerySchema>;

/** A session's messages in order, a page at a time: `after` is the last message id already seen. */
export const MessagesQuerySchema = z.strictObject({
  after: QueryInt.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type MessagesQuery = z.infer<typeof MessagesQuerySchema>;

export const ActivityQuerySchema = z.strictObject({
  /** Calls recorded before this request message id (for scrolling back). */
  before: QueryInt.optional(),
  limit: Limit,
});
export type ActivityQuery = z.infer<typeof ActivityQuerySchema>;

export const StatsQuerySchema = z.strictObject({
  /** The window the charts cover, in minutes back from now. */
  minutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
});
export type StatsQuery = z.infer<typeof StatsQuerySchema>;

export interface SessionView {
  id: string;
  server: string;
  client: string;
  /** The agent's name and version from initialize, e.g. "Claude Code 2.1". */
  agent: string | null;
  protocolVersion: string | null;
  startedAt: number;
  endedAt: number | null;
  endReason: string | null;
  /** The signed-in user the session ran as (org mode), and their groups then. */
  user: string | null;
  groups: string[];
  messageCount: number;
  callCount: number;
  deniedCount: number;
  maskedCount: number;
}

export interface MaskEventView {
  detector: string;
  count: number;
  /** JSON pointers into the message where values were replaced; never the values. */
  pointers: string[];
}

export interface MessageView {
  id: number;
  sessionId: string;
  ts: number;
  direction: 'to-server' | 'to-agent';
  kind: 'request' | 'response' | 'error' | 'notification';
  rpcId: string | null;
  method: string | null;
  tool: string | null;
  size: number;
  durationMs: number | null;
  outcome: string;
  /** For requests: allow, deny or approve; for responses: masked when masking replaced something. */
  decision: string | null;
  ruleId: string | null;
  /** The message as recorded: masked, parsed from JSON. */
  body: unknown;
  masks: MaskEventView[];
}

/** One call (a request and its answer, if any), as Activity shows it. `id` is the request's message id. */
export interface CallView {
  id: number;
  sessionId: string;
  server: string;
  client: string;
  method: string;
  tool: string | null;
  ts: number;
  status: CallStatus;
  decision: string | null;
  ruleId: string | null;
  durationMs: number | null;
  /** Detectors that masked something in the answer. */
  detectors: string[];
}

export interface StatsView {
  minutes: number;
  /** One entry per minute of the window, oldest first; `minute` is its start (ms since epoch). */
  callsPerMinute: Array<{ minute: number; count: number }>;
  decisions: Record<'allowed' | 'masked' | 'denied' | 'approved' | 'failed', number>;
  topTools: Array<{ server: string; tool: string; count: number }>;
}

export interface HealthView {
  version: string;
  pid: number;
  url: string;
  startedAt: number;
  openSessions: number;
  pendingApprovals: number;
  heldTools: number;
  policy: PolicyStatusView;
  protection: ProtectionView;
}

// ---- live events (server-sent, GET /control/events) ---------------------------------------------

/** Each SSE message has `event: <type>` and `data: <JSON of the payload>`. */
export interface ControlEvents {
  /** A call was recorded or its answer arrived (upsert by `id`). */
  call: CallView;
  'approval-pending': PendingApproval;
  'approval-resolved': { id: string; decision: string; channel: string };
  'session-opened': SessionView;
  'session-closed': { id: string; reason: string };
  'policy-reloaded': PolicyStatusView;
  'connections-changed': { names: string[] };
  'tool-held': HeldTool;
  'protection-changed': ProtectionView;
  /** Sign-in, the org policy bundle or the audit outbox changed. */
  'org-changed': OrgStatusView;
}
export type ControlEventType = keyof ControlEvents;
export type ControlEvent = { [K in ControlEventType]: { type: K; data: ControlEvents[K] } }[ControlEventType];

// ---- approvals ----------------------------------------------------------------------------------

export const DecideApprovalSchema = z.strictObject({
  decision: ApprovalDecisionSchema,
  reason: z.string().max(1000).optional(),
  /** Where the person answered, recorded with the decision: the tray window, a desktop notification, or another tool. */
  channel: z.enum(['control-api', 'window', 'notification']).default('control-api'),
  /** The approval's `binding` as the person saw it; when given, a decision for any other call is refused. */
  binding: z.string().regex(/^[0-9a-f]{64}$/, 'a binding is 64 hex digits').optional(),
});
export type DecideApproval = z.infer<typeof DecideApprovalSchema>;

// ---- policy -------------------------------------------------------------------------------------

export const PolicyCheckSchema = z.strictObject({
  server: z.string().min(1),
  method: z.string().min(1).default('tools/call'),
  tool: z.string().optional(),
  arguments: z.unknown().optional(),
  client: z.string().default('local'),
  groups: z.array(z.string()).default([]),
});
export type PolicyCheck = z.infer<typeof PolicyCheckSchema>;

/** A draft policy (the text of a policy file) to validate without applying it. */
export const PolicyDraftSchema = z.strictObject({
  text: z.string().max(1024 * 1024),
  format: z.enum(['yaml', 'json']).default('yaml'),
});
export type PolicyDraft = z.infer<typeof PolicyDraftSchema>;

/**
 * A local rule to add (e.g. "block calls like this" from a recorded call). The rule is validated
 * with the policy file's own rule schema; it goes first among the local rules.
 */
export const AddLocalRuleSchema = z.strictObject({
  // Not z.record: it drops a "__proto__" key, silently widening the rule; the rule schema refuses it.
  rule: z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object (a policy rule)'),
});
export type AddLocalRule = z.infer<typeof AddLocalRuleSchema>;

export type RuleSource = 'local' | 'file' | 'default' | 'org';

export interface RuleView {
  id: string;
  source: RuleSource;
  action: 'allow' | 'deny' | 'approve';
  description?: string;
  reason?: string;
  /** The rule's `match` as written. */
  match: Record<string, unknown>;
  timeoutSeconds?: number;
  onTimeout?: 'deny' | 'allow';
}

export interface PolicyStatusView {
  source: string | null;
  error?: string;
  loadedAt: number;
  ruleCount: number;
}

export interface PolicyView {
  status: PolicyStatusView;
  /** In the order they are evaluated; the first match wins. */
  rules: RuleView[];
  /** What happens when no rule matches. */
  defaultAction: 'allow' | 'deny' | 'approve';
}

export interface PolicyCheckView {
  action: 'allow' | 'deny' | 'approve';
  rule: string;
  reason?: string;
}

export interface PolicyValidationView {
  valid: boolean;
  ruleCount: number;
  /** Each problem with the path it is at, e.g. `rules.2.match.tool`. */
  errors: Array<{ path: string; message: string }>;
}

// ---- masking ------------------------------------------------------------------------------------

/**
 * A masking preview: a text or any JSON value, masked as it would be for this server and tool.
 * `detectors`, when given, limits the preview to those detectors (to see what toggling them does).
 */
export const MaskPreviewSchema = z
  .strictObject({
    text: z.string().max(4 * 1024 * 1024).optional(),
    value: z.unknown().optional(),
    server: z.string().default(''),
    tool: z.string().optional(),
    client: z.string().default('local'),
    groups: z.array(z.string()).default([]),
    detectors: z.array(z.string().min(1)).optional(),
  })
  .refine((body) => (body.text === undefined) !== (body.value === undefined), { message: 'give exactly one of text and value' });
export type MaskPreview = z.infer<typeof MaskPreviewSchema>;

export interface MaskFindingView {
  detector: string;
  /** JSON pointer of the string (empty for a plain text), and the span replaced within it. */
  pointer: string;
  start: number;
  end: number;
  replacement: string;
}

export interface MaskPreviewView {
  masked: unknown;
  findings: MaskFindingView[];
  /** True when the policy turns masking off for this target. */
  maskingOff?: boolean;
}

export interface DetectorView {
  name: string;
  description: string;
  /** Whether the policy's masking rules use it for the default target. */
  enabled: boolean;
}

// ---- connections (downstream servers) ------------------------------------------------------------

/**
 * A server to add or replace. Values in `secrets` go to the OS secret store under
 * `<connection>.<key>` and the config keeps only `keychain:<connection>.<key>` references: for a
 * stdio server each secret becomes an environment variable, for an HTTP server a header.
 * Secret values are never returned by any route.
 */
export const ConnectionInputSchema = z.strictObject({
  name: NameSchema,
  server: z.union([
    z.strictObject({
      command: z.string().min(1, 'command must not be empty'),
      args: z.array(z.string()).default([]),
      env: z.record(z.string(), z.string()).default({}),
      cwd: z.string().min(1).optional(),
    }),
    z.strictObject({
      url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
      headers: z.record(z.string(), z.string()).default({}),
    }),
  ]),
  secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a secret key is an env var or header name'), z.string().min(1).max(16 * 1024)).default({}),
});
export type ConnectionInput = z.infer<typeof ConnectionInputSchema>;

export interface ConnectionView {
  name: string;
  kind: 'stdio' | 'http';
  /** `config`: from the config file (edit it there); `local`: added here, editable. */
  source: 'config' | 'local';
  /** The server's config with secret references, never secret values. */
  server: Record<string, unknown>;
  /** Names of the secrets this connection references. */
  secretKeys: string[];
  /** The agent URL for this server. */
  agentUrl: string;
  openSessions: number;
  lastTest: ConnectionTestView | null;
  /** Tools hidden and refused until a person approves their changed or shadowing definition. */
  heldTools: HeldTool[];
}

export interface ConnectionTestView {
  ok: boolean;
  at: number;
  durationMs: number;
  serverInfo?: { name: string; version: string };
  error?: string;
  tools: Array<{ name: string; description?: string; pin: PinSummary['state'] | 'new' }>;
}

// ---- clients and their tokens -------------------------------------------------------------------

export const CreateClientSchema = z.strictObject({ name: NameSchema });
export type CreateClient = z.infer<typeof CreateClientSchema>;

export interface ClientView {
  name: string;
  createdAt: number;
  activeTokens: number;
  revokedTokens: number;
  lastSeenAt: number | null;
}

/** The token is in this answer once and never again. */
export interface CreatedClientView {
  name: string;
  token: string;
}

// ---- protection pause ---------------------------------------------------------------------------

/**
 * Pausing protection stops asking: calls a rule would hold for approval are allowed (and recorded as
 * allowed by `paused`) until `pausedUntil`. Deny rules, masking and recording keep working.
 */
export const PauseProtectionSchema = z.strictObject({
  minutes: z.number().int().min(1).max(24 * 60).default(15),
});
export type PauseProtection = z.infer<typeof PauseProtectionSchema>;

export interface ProtectionView {
  /** Ms since epoch when protection resumes by itself; null when it is on. */
  pausedUntil: number | null;
}

// ---- agent apps (MCP clients whose config Airlock can point at itself) ---------------------------

/**
 * What to write into an agent app's MCP config: the aggregate endpoint (`/mcp`, every server in one
 * entry) unless `server` names one connection.
 */
export const AgentAppTargetSchema = z.strictObject({
  server: NameSchema.optional(),
  /**
   * Also move the servers the app reaches directly into Airlock: each becomes a connection (its
   * inline secrets go to the keychain) and its entry leaves the app's config, in the same change.
   */
  import: z.boolean().default(false),
});
export type AgentAppTarget = z.infer<typeof AgentAppTargetSchema>;

export interface AgentAppView {
  /** `claude-desktop`, `claude-code`, `cursor`, `vscode`, `windsurf`. */
  id: string;
  label: string;
  configPath: string;
  /** The app (or its config folder) exists on this machine. */
  installed: boolean;
  /** Names of the app's MCP entries that go through Airlock. */
  airlockEntries: string[];
  /** Servers the app reaches directly, not through Airlock (importable as connections). */
  directServers: string[];
  /** A backup exists, so `undoAgentApp` can restore the file as it was. */
  canUndo: boolean;
  /** Why the config could not be read, if it could not. */
  error?: string;
}

export interface AgentAppChangeView {
  id: string;
  configPath: string;
  /** A unified diff of the change, the bearer token in it shortened; empty when there is nothing to change. */
  diff: string;
  /** The config had comments, which rewriting drops (the backup keeps them). */
  dropsComments: boolean;
  /** Set once written: where the original was saved. */
  backupPath?: string;
  written: boolean;
  /**
   * The servers the app reaches directly: with `import`, the ones without `skip` become Airlock
   * connections (`secretKeys` go to the keychain) and leave the app's config.
   */
  imports: Array<{ name: string; secretKeys: string[]; skip?: string }>;
}

// ---- org mode (sign-in, policy bundle, audit shipping) -------------------------------------------

/** `device`: a code to enter on another device (CLI, headless); `browser`: the system browser with a loopback redirect. */
export const OrgLoginSchema = z.strictObject({
  flow: z.enum(['device', 'browser']).default('device'),
});
export type OrgLogin = z.infer<typeof OrgLoginSchema>;

/** What the person signing in must do next. */
export type OrgLoginView =
  | { flow: 'device'; verificationUri: string; verificationUriComplete?: string; userCode: string; expiresAt: number }
  | { flow: 'browser'; authorizationUrl: string; expiresAt: number };

export interface OrgIdentityView {
  subject: string;
  name?: string;
  email?: string;
  groups: string[];
  /** When the access token expires (it is refreshed silently before then). */
  expiresAt: number;
}

export interface OrgPolicyView {
  /** The bundle's own version string, of the bundle in force; null before the first good one. */
  version: string | null;
  etag: string | null;
  /** When the bundle in force was fetched, and when the hub was last asked. */
  fetchedAt: number | null;
  checkedAt: number | null;
  /** Why the last fetch failed; the last good bundle stays in force meanwhile. */
  error?: string;
  ruleCount: number;
  /** Set when this Airlock is older than the org requires: calls are refused until it is updated. */
  requiresVersion?: string;
  mandatoryDetectors: string[];
}

export interface OrgAuditView {
  /** Records committed but not yet acknowledged by the hub. */
  unshipped: number;
  oldestUnshippedAt: number | null;
  lastShippedAt: number | null;
  lastError?: string;
  /** Records dropped unshipped because `org.audit.maxUnshipped` was reached (0 unless configured). */
  dropped: number;
}

export interface OrgStatusView {
  /** False when the config has no `org` section: Airlock works alone. */
  configured: boolean;
  issuer?: string;
  hub?: string;
  /** Null when signed out. */
  identity: OrgIdentityView | null;
  /** A sign-in in progress, if any. */
  pendingLogin: OrgLoginView | null;
  /** Why the last sign-in or token refresh failed, until one succeeds (the details are in the gateway log). */
  loginError?: string;
  policy: OrgPolicyView | null;
  audit: OrgAuditView | null;
}

// ---- the routes ---------------------------------------------------------------------------------

interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `:name` segments are URL-decoded path parameters. */
  path: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Answered with something other than JSON (an SSE stream, a JSONL download). */
  raw?: true;
}

export const CONTROL_ROUTES = {
  health: { method: 'GET', path: '/control/health' },
  stats: { method: 'GET', path: '/control/stats', query: StatsQuerySchema },
  events: { method: 'GET', path: '/control/events', raw: true },

  activity: { method: 'GET', path: '/control/activity', query: ActivityQuerySchema },
  listSessions: { method: 'GET', path: '/control/sessions', query: SessionsQuerySchema },
  getSession: { method: 'GET', path: '/control/sessions/:id' },
  listMessages: { method: 'GET', path: '/control/sessions/:id/messages', query: MessagesQuerySchema },
  exportSession: { method: 'GET', path: '/control/sessions/:id/export', raw: true },

  listApprovals: { method: 'GET', path: '/control/approvals' },
  decideApproval: { method: 'POST', path: '/control/approvals/:id/decision', body: DecideApprovalSchema },

  policyStatus: { method: 'GET', path: '/control/policy' },
  checkPolicy: { method: 'POST', path: '/control/policy/check', body: PolicyCheckSchema },
  validatePolicy: { method: 'POST', path: '/control/policy/validate', body: PolicyDraftSchema },
  addLocalRule: { method: 'POST', path: '/control/policy/local-rules', body: AddLocalRuleSchema },
  removeLocalRule: { method: 'DELETE', path: '/control/policy/local-rules/:id' },

  listDetectors: { method: 'GET', path: '/control/mask/detectors' },
  previewMasking: { method: 'POST', path: '/control/mask/preview', body: MaskPreviewSchema },

  listConnections: { method: 'GET', path: '/control/connections' },
  addConnection: { method: 'POST', path: '/control/connections', body: ConnectionInputSchema },
  updateConnection: { method: 'PUT', path: '/control/connections/:name', body: ConnectionInputSchema },
  removeConnection: { method: 'DELETE', path: '/control/connections/:name' },
  testConnection: { method: 'POST', path: '/control/connections/:name/test' },
  approveTool: { method: 'POST', path: '/control/connections/:name/tools/:tool/approve' },
  rejectTool: { method: 'POST', path: '/control/connections/:name/tools/:tool/reject' },

  listClients: { method: 'GET', path: '/control/clients' },
  createClient: { method: 'POST', path: '/control/clients', body: CreateClientSchema },
  revokeClient: { method: 'DELETE', path: '/control/clients/:name' },

  protection: { method: 'GET', path: '/control/protection' },
  pauseProtection: { method: 'POST', path: '/control/protection/pause', body: PauseProtectionSchema },
  resumeProtection: { method: 'DELETE', path: '/control/protection/pause' },

  listAgentApps: { method: 'GET', path: '/control/agent-apps' },
  previewAgentApp: { method: 'POST', path: '/control/agent-apps/:id/preview', body: AgentAppTargetSchema },
  connectAgentApp: { method: 'POST', path: '/control/agent-apps/:id/connect', body: AgentAppTargetSchema },
  undoAgentApp: { method: 'POST', path: '/control/agent-apps/:id/undo' },

  orgStatus: { method: 'GET', path: '/control/org' },
  orgLogin: { method: 'POST', path: '/control/org/login', body: OrgLoginSchema },
  orgLogout: { method: 'POST', path: '/control/org/logout' },
  orgSyncNow: { method: 'POST', path: '/control/org/sync' },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof CONTROL_ROUTES;

/** The `data` each JSON route answers with. */
export interface RouteData {
  health: HealthView;
  stats: StatsView;
  activity: { items: CallView[]; pending: PendingApproval[] };
  listSessions: { items: SessionView[]; nextCursor: string | null };
  getSession: SessionView;
  listMessages: { items: MessageView[]; nextAfter: number | null };
  listApprovals: PendingApproval[];
  decideApproval: { id: string; decision: string };
  policyStatus: PolicyView;
  checkPolicy: PolicyCheckView;
  validatePolicy: PolicyValidationView;
  addLocalRule: RuleView;
  removeLocalRule: { id: string };
  listDetectors: DetectorView[];
  previewMasking: MaskPreviewView;
  listConnections: ConnectionView[];
  addConnection: ConnectionView;
  updateConnection: ConnectionView;
  removeConnection: { name: string };
  testConnection: ConnectionTestView;
  approveTool: { server: string; tool: string };
  rejectTool: { server: string; tool: string };
  listClients: ClientView[];
  createClient: CreatedClientView;
  /** `message` says what to do next when revoking the token something else relies on (the `local` client's). */
  revokeClient: { name: string; revoked: number; message?: string };
  protection: ProtectionView;
  pauseProtection: ProtectionView;
  resumeProtection: ProtectionView;
  listAgentApps: AgentAppView[];
  /** The change `connectAgentApp` would make, not written. */
  previewAgentApp: AgentAppChangeView;
  connectAgentApp: AgentAppChangeView;
  undoAgentApp: AgentAppChangeView;
  orgStatus: OrgStatusView;
  /** Starts a sign-in; it completes in the background (watch `org-changed` or poll `orgStatus`). */
  orgLogin: OrgLoginView;
  orgLogout: OrgStatusView;
  /** Fetches the policy bundle and ships the outbox now, instead of at the next interval. */
  orgSyncNow: OrgStatusView;
}
export type JsonRouteName = keyof RouteData;

/** What a caller passes for a route: path params, query and body, each only where the route has them. */
export interface RouteInput {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** Error codes and the HTTP status each is answered with. */
export const ERROR_STATUS = {
  'bad-request': 400,
  invalid: 400,
  unauthorized: 401,
  'not-found': 404,
  'not-pending': 404,
  conflict: 409,
  'read-only': 409,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export type ControlResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** Fills a route's `:params` into its path. */
export function routePath(name: RouteName, params: Record<string, string> = {}): string {
  return CONTROL_ROUTES[name].path.replace(/:([a-z]+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`route ${name} needs the parameter "${key}"`);
    return encodeURIComponent(value);
  });
}

/** The file, in the data dir, holding the control token of the running gateway (user-only). */
export const CONTROL_TOKEN_FILE = 'control-token';
