import { homedir } from 'node:os';
import { airlockTarget, applyConnect, applyUndo, listAgentApps, planConnect, planUndo } from '../../clients/agent-apps.js';
import { findClient } from '../../clients/all-clients.js';
import { ClientConfigError, type ClientPlace } from '../../clients/client-spec.js';
import { defaultDataDir } from '../../config/platform-paths.js';
import { airlockCommand } from '../../package-root.js';
import { SecretStoreError } from '../../secrets/secret-store.js';
import { readLocalToken } from '../../store/local-token.js';
import type { AgentAppChangeView, AgentAppTarget } from '../contract.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/**
 * One-click "connect an agent" for the tray window: the agent apps of the user the gateway runs as
 * (its home dir), what connecting one would change, writing it with a backup, and undoing that.
 * The CLI's `airlock connect-client` does the same through the same module.
 */
export function agentAppHandlers({ dataDir, url, logger, connections, secrets }: ControlDeps) {
  const place = (): ClientPlace => ({ home: homedir(), env: process.env, platform: process.platform });

  function plan(id: string, body: AgentAppTarget) {
    const spec = findClient(id);
    if (!spec) return fail('not-found', `there is no agent app "${id}" (GET /control/agent-apps lists them)`);
    const token = readLocalToken(dataDir);
    if (!token) return fail('conflict', 'the "local" client has no token; restart the gateway to create one');
    // The stdio form (`airlock connect`) must find this gateway's data dir unless it is the default.
    const ownDataDir = dataDir === defaultDataDir({ ...process.env, AIRLOCK_DATA_DIR: undefined }) ? undefined : dataDir;
    const entry = airlockTarget({ base: url(), token, server: body.server, self: airlockCommand(), dataDir: ownDataDir });
    try {
      const importTo = body.import ? { connections, secrets } : undefined;
      return { ok: true as const, spec, token, importTo, change: planConnect(spec, place(), entry, importTo) };
    } catch (error) {
      if (error instanceof ClientConfigError) return fail('invalid', error.message);
      throw error;
    }
  }

  /** The window shows the change, not the token: it stays in the file (and the CLI's own diff). */
  const shown = (view: AgentAppChangeView, token: string): AgentAppChangeView => ({ ...view, diff: view.diff.replaceAll(token, `${token.slice(0, 8)}…`) });

  return {
    listAgentApps: () => ok(listAgentApps(place())),

    previewAgentApp: ({ params, body }) => {
      const planned = plan(params.id, body);
      return planned.ok ? ok(shown(planned.change.view, planned.token)) : planned;
    },

    connectAgentApp: ({ params, body }) => {
      const planned = plan(params.id, body);
      if (!planned.ok) return planned;
      let written: AgentAppChangeView;
      try {
        written = applyConnect(planned.change, new Date(), planned.importTo);
      } catch (error) {
        // An import that fails stops the change before the app's config is touched.
        if (error instanceof SecretStoreError) return fail('unavailable', `nothing written: ${error.message}`);
        return fail('conflict', `nothing written to ${planned.change.view.configPath}: ${(error as Error).message}`);
      }
      for (const imported of planned.change.imports) logger.info(`imported "${imported.name}" from ${planned.spec.label} as an Airlock connection`);
      if (written.written) logger.info(`connected ${planned.spec.label} to Airlock: wrote ${written.configPath}`);
      return ok(shown(written, planned.token));
    },

    undoAgentApp: ({ params }) => {
      const spec = findClient(params.id);
      if (!spec) return fail('not-found', `there is no agent app "${params.id}" (GET /control/agent-apps lists them)`);
      const undo = planUndo(spec, place());
      if (!undo) return fail('not-found', `there is no backup of ${spec.configPath(place())} to restore`);
      const restored = applyUndo(undo);
      if (restored.written) logger.info(`restored ${restored.configPath} from ${undo.backup}`);
      const token = readLocalToken(dataDir);
      return ok(token ? shown(restored, token) : restored);
    },
  } satisfies Partial<ControlHandlers>;
}
