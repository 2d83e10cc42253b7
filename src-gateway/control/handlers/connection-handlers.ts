import { isStdioServer, type ServerConfig } from '../../config/config-schema.js';
import { probeConnection } from '../../connections/connection-probe.js';
import { ConnectionError, type Connection } from '../../connections/connection-registry.js';
import { secretKeys, secretName, settingsOf, storeSecrets, withSettings } from '../../connections/connection-secrets.js';
import { SECRET_NAME } from '../../secrets/secret-store.js';
import type { ConnectionInput, ConnectionTestView, ConnectionView } from '../contract.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/** How long a connection test may take, start to tools/list's last page. */
const TEST_TIMEOUT_MS = 15_000;

type Failure = ReturnType<typeof fail>;

/**
 * The downstream servers: listed with what the tray window shows about each, added and edited
 * (secrets go to the secret store, the config keeps references), tested, and their held tools
 * approved or rejected.
 */
export function connectionHandlers({ connections, secrets, pins, events, openSessions, url }: ControlDeps) {
  /** The last test of each connection, until it changes. */
  const lastTests = new Map<string, ConnectionTestView>();

  /** Views of these connections; sessions and held tools are read once for all of them. */
  function views(list: Connection[]): ConnectionView[] {
    const sessions = openSessions();
    const held = pins.held();
    return list.map(({ name, server, source }) => ({
      name,
      kind: isStdioServer(server) ? 'stdio' : 'http',
      source,
      server: { ...server },
      secretKeys: secretKeys(server),
      agentUrl: `${url()}/servers/${name}/mcp`,
      openSessions: sessions.filter((session) => session.server === name).length,
      lastTest: lastTests.get(name) ?? null,
      heldTools: held.filter((tool) => tool.server === name),
    }));
  }

  /** Adds or replaces a local connection; the secrets are stored only when the change will go through. */
  function save(change: 'add' | 'update', input: ConnectionInput) {
    const { name } = input;
    const problem = secretProblem(input);
    if (problem) return problem;
    try {
      connections.check(name, change);
    } catch (error) {
      return refusal(error);
    }
    const refs = Object.fromEntries(Object.keys(input.secrets).map((key) => [key, `keychain:${secretName(name, key)}`]));
    const kept = change === 'update' ? keptSecretRefs(connections.get(name)!, input) : {};
    const server = withSettings(input.server, { ...kept, ...refs });

    let undo: () => void;
    try {
      undo = storeSecrets(secrets, Object.fromEntries(Object.entries(input.secrets).map(([key, value]) => [secretName(name, key), value])));
    } catch (error) {
      return fail('unavailable', `the secrets could not be stored in ${secrets.description}, so the connection was not saved: ${(error as Error).message}`);
    }
    let saved: Connection;
    try {
      saved = change === 'add' ? connections.add(name, server) : connections.update(name, server);
    } catch (error) {
      undo();
      return refusal(error);
    }
    lastTests.delete(name);
    events.publish('connections-changed', { names: [name] });
    return ok(views([saved])[0]);
  }

  return {
    listConnections: () => ok(views(connections.list())),

    addConnection: ({ body }) => save('add', body),

    updateConnection: ({ params, body }) => {
      if (params.name !== body.name) {
        return fail('invalid', `body.name "${body.name}" differs from "${params.name}" in the path; to rename, remove the connection and add it under the new name`);
      }
      return save('update', body);
    },

    removeConnection: ({ params }) => {
      try {
        connections.remove(params.name);
      } catch (error) {
        return refusal(error);
      }
      lastTests.delete(params.name);
      events.publish('connections-changed', { names: [params.name] });
      return ok({ name: params.name });
    },

    testConnection: async ({ params }) => {
      const server = connections.get(params.name);
      if (!server) return fail('not-found', `no connection "${params.name}"`);
      const result = await probeConnection(params.name, server, { pins, secrets, timeoutMs: TEST_TIMEOUT_MS });
      // Changed or removed while the test ran: the result describes a config that is gone.
      if (connections.get(params.name) === server) lastTests.set(params.name, result);
      return ok(result);
    },

    approveTool: ({ params }) => {
      if (!pins.approve(params.name, params.tool)) return notHeld(params.name, params.tool);
      return ok({ server: params.name, tool: params.tool });
    },

    rejectTool: ({ params }) => {
      if (!pins.reject(params.name, params.tool)) return notHeld(params.name, params.tool);
      return ok({ server: params.name, tool: params.tool });
    },
  } satisfies Partial<ControlHandlers>;
}

/**
 * A secret must have a valid store name and must not also be given as a plain value; the
 * reference it will become (as the tray window sends back what it was shown) is not a plain value.
 */
function secretProblem({ name, server, secrets }: ConnectionInput): Failure | undefined {
  const plain = new Map(Object.entries(settingsOf(server)).map(([key, value]) => [comparable(server, key), value]));
  for (const key of Object.keys(secrets)) {
    const stored = secretName(name, key);
    if (!SECRET_NAME.test(stored)) return fail('invalid', `secrets.${key}: "${stored}" is too long for a secret name; use a shorter connection name or key`);
    const value = plain.get(comparable(server, key));
    if (value !== undefined && value !== `keychain:${stored}`) {
      return fail('invalid', `"${key}" is given both as a secret and as a plain ${'command' in server ? 'env' : 'header'} value; keep one`);
    }
  }
  return undefined;
}

/** Header names are case-insensitive; environment variable names are not. */
function comparable(server: ConnectionInput['server'], key: string): string {
  return 'command' in server ? key : key.toLowerCase();
}

/**
 * The secret references an edit keeps: a person never sees a secret again, so an edit that neither
 * re-enters a secret nor sets its key to a plain value keeps it. Only within the same kind of server.
 */
function keptSecretRefs(current: ServerConfig, input: ConnectionInput): Record<string, string> {
  if (isStdioServer(current) !== 'command' in input.server) return {};
  const given = new Set([...Object.keys(settingsOf(input.server)), ...Object.keys(input.secrets)].map((key) => comparable(input.server, key)));
  const settings = settingsOf(current);
  return Object.fromEntries(secretKeys(current).filter((key) => !given.has(comparable(input.server, key))).map((key) => [key, settings[key]]));
}

function refusal(error: unknown): Failure {
  if (error instanceof ConnectionError) return fail(error.code, error.message);
  throw error;
}

function notHeld(server: string, tool: string): Failure {
  return fail('not-found', `no tool "${tool}" of "${server}" is waiting for a decision (not held, or already decided)`);
}
