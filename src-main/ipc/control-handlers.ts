import type { ControlConnection } from '../control-connection.js';
import type { InvokeHandlers } from './validated-ipc.js';

/**
 * The invoke handlers of the tray window: each forwards to the gateway through main's connection,
 * which adds the control token. Arguments arrive already checked by the dispatcher.
 */
export function controlIpcHandlers(connection: Pick<ControlConnection, 'request' | 'exportSession'>): InvokeHandlers {
  return {
    'control:request': (request) => connection.request(request.method, request.path, { query: request.query, body: request.body }),
    'control:export': ({ sessionId }) => connection.exportSession(sessionId),
  };
}
