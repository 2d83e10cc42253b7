import { LOCAL_CLIENT } from '../../store/local-token.js';
import type { ClientView } from '../contract.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/**
 * The agents' clients and their bearer tokens: listed with when each was last seen, created (the
 * token is in that one answer and nowhere else, not even the log), and revoked.
 */
export function clientHandlers({ tokens, db }: ControlDeps) {
  const lastSessions = db.prepare('SELECT client, MAX(started_at) AS last FROM sessions GROUP BY client');

  function clients(): ClientView[] {
    const lastSeen = new Map((lastSessions.all() as Array<{ client: string; last: number }>).map((row) => [row.client, row.last]));
    const byName = new Map<string, ClientView>();
    // Oldest token first, so a client's createdAt is its first token's.
    for (const row of tokens.all()) {
      let view = byName.get(row.name);
      if (!view) {
        view = { name: row.name, createdAt: row.created_at, activeTokens: 0, revokedTokens: 0, lastSeenAt: lastSeen.get(row.name) ?? null };
        byName.set(row.name, view);
      }
      if (row.revoked_at === null) view.activeTokens++;
      else view.revokedTokens++;
    }
    return [...byName.values()];
  }

  return {
    listClients: () => ok(clients()),

    createClient: ({ body }) => ok({ name: body.name, token: tokens.create(body.name) }),

    revokeClient: ({ params: { name } }) => {
      if (!tokens.all().some((row) => row.name === name)) return fail('not-found', `there is no client "${name}" (GET /control/clients lists them)`);
      const revoked = tokens.revoke(name);
      if (name !== LOCAL_CLIENT) return ok({ name, revoked });
      return ok({
        name,
        revoked,
        message:
          `The "${LOCAL_CLIENT}" token that the default setup and \`airlock connect\` use no longer works. ` +
          'Restart the gateway (`npm start` or `npx airlock gateway`) to create a new one; it is printed at start, so paste it into your agents\' configs.',
      });
    },
  } satisfies Partial<ControlHandlers>;
}
