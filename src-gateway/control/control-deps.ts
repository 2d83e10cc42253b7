import type Database from 'better-sqlite3';
import type { ApprovalBroker } from '../approvals/approval-broker.js';
import type { ProtectionPause } from '../approvals/protection-pause.js';
import type { ConnectionRegistry } from '../connections/connection-registry.js';
import type { Logger } from '../logger.js';
import type { ToolPins } from '../pinning/tool-pins.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ClientTokens } from '../store/client-tokens.js';
import type { OrgMode } from '../sync/org-mode.js';
import type { ControlEventBus } from './control-events.js';

/** An agent session open right now, as the control API reports it. */
export interface OpenSession {
  id: string;
  server: string;
  client: string;
}

/** Everything the control API's handlers reach; built once by `startGateway`. */
export interface ControlDeps {
  dataDir: string;
  version: string;
  startedAt: number;
  /** The gateway's base URL, known once it listens. */
  url(): string;
  db: Database.Database;
  events: ControlEventBus;
  approvals: ApprovalBroker;
  protection: ProtectionPause;
  policy: PolicyStore;
  pins: ToolPins;
  tokens: ClientTokens;
  connections: ConnectionRegistry;
  secrets: SecretStore;
  openSessions(): OpenSession[];
  /** Null when the config has no `org` section. */
  org: OrgMode | null;
  logger: Logger;
}
