import type Database from 'better-sqlite3';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApprovalBroker } from './approvals/approval-broker.js';
import { ApprovalRecords } from './approvals/approval-records.js';
import { ProtectionPause } from './approvals/protection-pause.js';
import type { Config } from './config/config-schema.js';
import { openConnectionRegistry } from './connections/file-connection-registry.js';
import { createControlApi } from './control/control-api.js';
import { CONTROL_TOKEN_FILE } from './control/contract.js';
import { ControlEventBus } from './control/control-events.js';
import { publishLiveEvents } from './control/live-events.js';
import { createHttpFront, type HttpFront } from './front/http-front.js';
import type { Logger } from './logger.js';
import type { GatewayServices } from './pipeline/pipeline-types.js';
import { PIPELINE } from './pipeline/stages.js';
import { CallAdmission } from './pipeline/call-admission.js';
import { ToolPins } from './pinning/tool-pins.js';
import { addAlwaysAllowRule } from './policy/local-rules.js';
import { PolicyStore } from './policy/policy-store.js';
import { ClientTokens } from './store/client-tokens.js';
import { keyFromSecret, seal } from './store/sealed-originals.js';
import { openSecretStore } from './secrets/open-secret-store.js';
import type { SecretStore } from './secrets/secret-store.js';
import { resolveSecretRefs } from './upstream/secret-refs.js';
import { AuditSpool } from './store/audit-spool.js';
import { SpoolingMessageLog } from './store/spooling-message-log.js';
import { startSearchIndexing } from './store/search-index.js';
import { LockWait } from './store/lock-wait.js';
import { openDatabase } from './store/open-database.js';
import { writePrivateFile } from './store/private-file.js';
import { PACKAGE_VERSION } from './package-root.js';
import { startOrgMode } from './sync/org-mode.js';

/** Written to the data dir while a gateway runs, so `airlock connect` and scripts can find it. */
export const RUNTIME_FILE = 'runtime.json';

export interface RuntimeInfo {
  url: string;
  pid: number;
}

export interface RunningGateway {
  url: string;
  port: number;
  db: Database.Database;
  front: HttpFront;
  approvals: ApprovalBroker;
  policy: PolicyStore;
  events: ControlEventBus;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  /** The config file the servers came from; null for the embedded default. */
  configFile?: string | null;
  dataDir: string;
  logger: Logger;
}

/**
 * Seals originals with the key from `keychain:originals-key`. Without that secret, nothing is kept
 * and the gateway says so once: the masked record is still written, so nothing is lost for audit.
 */
function originalSealer(logger: Logger, secrets: SecretStore): (text: string) => string | undefined {
  let key: Buffer | undefined;
  let warned = false;
  return (text) => {
    try {
      key ??= keyFromSecret(resolveSecretRefs('keychain:originals-key', secrets));
    } catch (error) {
      if (!warned) logger.warn(`the policy keeps originals of masked messages, but ${(error as Error).message}: none are kept`);
      warned = true;
      return undefined;
    }
    return seal(text, key);
  };
}

/** Opens the store, starts the agents' HTTP front and announces where it listens. */
export async function startGateway({ config, configFile = null, dataDir, logger }: GatewayOptions): Promise<RunningGateway> {
  const startedAt = Date.now();
  const db = openDatabase(dataDir, { maxBytes: config.limits.maxStoreBytes });
  const events = new ControlEventBus();
  const secrets = openSecretStore({ dataDir, logger });
  const connections = openConnectionRegistry({ config, configFile, dataDir, secrets, logger });
  const policy = new PolicyStore({ file: config.policy, dataDir, logger, watch: true });
  const approvals = new ApprovalBroker(new ApprovalRecords(db));
  const protection = new ProtectionPause();
  const pins = new ToolPins(db);
  const tokens = new ClientTokens(db);
  const org = config.org ? startOrgMode({ org: config.org, secrets, logger, events, policy, dataDir, db }) : null;
  const services: GatewayServices = {
    policy: () => policy.current(),
    masking: () => policy.masking(),
    sealOriginal: originalSealer(logger, secrets),
    secrets,
    pins,
    approvals,
    protection,
    signedIn: () => org?.identity.signedIn() ?? null,
    allowAlways(call) {
      addAlwaysAllowRule(dataDir, call);
      policy.reload();
    },
    admission: new CallAdmission(config.limits.maxInFlightRequests, config.limits.requestTimeoutSeconds * 1000),
  };
  const log = new SpoolingMessageLog(db, publishLiveEvents({ db, events, approvals, protection, policy, pins, logger }), { outbox: config.org !== undefined, lockWait: new LockWait(db) }, {
    spool: new AuditSpool(dataDir, config.limits.maxSpoolBytes),
    mode: () => policy.current().policy.auditFailure,
    onStateChange: (state, { entries, error }) => {
      if (state === 'spooling') logger.error('the store refuses writes; audit records go to the spool until it takes them again', error);
      else if (state === 'replayed') logger.info(`the store takes writes again: ${entries} spooled audit records replayed`);
      else logger.error(`${entries} spooled audit records cannot be replayed`, error);
    },
  });
  let url = '';
  const front: HttpFront = createHttpFront({
    config,
    log,
    tokens,
    stages: PIPELINE,
    services,
    connections,
    control: createControlApi({
      dataDir,
      version: PACKAGE_VERSION,
      startedAt,
      url: () => url,
      db,
      events,
      approvals,
      protection,
      policy,
      pins,
      tokens,
      connections,
      secrets,
      openSessions: () => [...front.sessions.values()].map(({ id, server, client }) => ({ id, server, client })),
      org,
      logger,
    }),
    logger,
  });
  const { host, port } = config.listen;
  front.server.listen(port, host);
  try {
    await Promise.race([once(front.server, 'listening'), once(front.server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    org?.stop();
    policy.close();
    db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${host} is already in use. Is Airlock already running? Choose another with --port.`);
    }
    throw error;
  }
  const actualPort = (front.server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const runtimeFile = join(dataDir, RUNTIME_FILE);
  writePrivateFile(runtimeFile, JSON.stringify({ url, pid: process.pid } satisfies RuntimeInfo) + '\n');

  const stopIndexing = startSearchIndexing(db, logger);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      front.server.close();
      await front.closeSessions('gateway stopped');
      front.server.closeAllConnections();
      rmSync(runtimeFile, { force: true });
      rmSync(join(dataDir, CONTROL_TOKEN_FILE), { force: true });
      org?.stop();
      policy.close();
      stopIndexing();
      log.close();
      db.close();
    })());

  return { url, port: actualPort, db, front, approvals, policy, events, stop };
}
