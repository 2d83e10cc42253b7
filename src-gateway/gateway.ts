import type Database from 'better-sqlite3';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApprovalBroker } from './approvals/approval-broker.js';
import { ApprovalRecords } from './approvals/approval-records.js';
import type { Config } from './config/config-schema.js';
import { createControlApi } from './control/control-api.js';
import { CONTROL_TOKEN_FILE } from './control/contract.js';
import { createHttpFront, type HttpFront } from './front/http-front.js';
import type { Logger } from './logger.js';
import type { GatewayServices } from './pipeline/pipeline-types.js';
import { PIPELINE } from './pipeline/stages.js';
import { ToolPins } from './pinning/tool-pins.js';
import { addAlwaysAllowRule } from './policy/local-rules.js';
import { PolicyStore } from './policy/policy-store.js';
import { ClientTokens } from './store/client-tokens.js';
import { keyFromSecret, seal } from './store/sealed-originals.js';
import { resolveSecretRefs } from './upstream/secret-refs.js';
import { MessageLog } from './store/message-log.js';
import { openDatabase } from './store/open-database.js';

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
  stop(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  dataDir: string;
  logger: Logger;
}

/**
 * Seals originals with the key from `keychain:originals-key`. Without that secret, nothing is kept
 * and the gateway says so once: the masked record is still written, so nothing is lost for audit.
 */
function originalSealer(logger: Logger): (text: string) => string | undefined {
  let key: Buffer | undefined;
  let warned = false;
  return (text) => {
    try {
      key ??= keyFromSecret(resolveSecretRefs('keychain:originals-key'));
    } catch (error) {
      if (!warned) logger.warn(`the policy keeps originals of masked messages, but ${(error as Error).message}: none are kept`);
      warned = true;
      return undefined;
    }
    return seal(text, key);
  };
}

/** Opens the store, starts the agents' HTTP front and announces where it listens. */
export async function startGateway({ config, dataDir, logger }: GatewayOptions): Promise<RunningGateway> {
  const db = openDatabase(dataDir);
  const policy = new PolicyStore({ file: config.policy, dataDir, logger, watch: true });
  const approvals = new ApprovalBroker(new ApprovalRecords(db));
  const services: GatewayServices = {
    policy: () => policy.current(),
    masking: () => policy.masking(),
    sealOriginal: originalSealer(logger),
    pins: new ToolPins(db),
    approvals,
    allowAlways(call) {
      addAlwaysAllowRule(dataDir, call);
      policy.reload();
    },
  };
  const front = createHttpFront({
    config,
    log: new MessageLog(db),
    tokens: new ClientTokens(db),
    stages: PIPELINE,
    services,
    control: createControlApi({ dataDir, approvals, policy }),
    logger,
  });
  const { host, port } = config.listen;
  front.server.listen(port, host);
  try {
    await Promise.race([once(front.server, 'listening'), once(front.server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    policy.close();
    db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${host} is already in use. Is Airlock already running? Choose another with --port.`);
    }
    throw error;
  }
  const actualPort = (front.server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const runtimeFile = join(dataDir, RUNTIME_FILE);
  writeFileSync(runtimeFile, JSON.stringify({ url, pid: process.pid } satisfies RuntimeInfo) + '\n', { mode: 0o600 });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      front.server.close();
      await front.closeSessions('gateway stopped');
      front.server.closeAllConnections();
      rmSync(runtimeFile, { force: true });
      rmSync(join(dataDir, CONTROL_TOKEN_FILE), { force: true });
      policy.close();
      db.close();
    })());

  return { url, port: actualPort, db, front, approvals, policy, stop };
}
