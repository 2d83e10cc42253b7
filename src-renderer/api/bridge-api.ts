import type { ControlEvent, JsonRouteName, RouteData, RouteInput } from '../../src-gateway/control/contract.js';
import type { AirlockBridge, IpcResult } from '../../src-main/ipc/contract.js';
import { ApiError, type AirlockApi } from './airlock-api.js';
import { routeRequest } from './http-api.js';

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.data;
  throw new ApiError(result.code, result.message, result.status);
}

/**
 * The API in the desktop app: every call goes over the preload bridge to main, which holds the
 * control token and forwards to the gateway; live events are pushed by main from its own feed.
 */
export function createBridgeApi(bridge: AirlockBridge): AirlockApi {
  return {
    async call<K extends JsonRouteName>(name: K, input?: RouteInput): Promise<RouteData[K]> {
      const { method, path, query } = routeRequest(name, input);
      return unwrap(await bridge.request({ method, path, query, body: input?.body })) as RouteData[K];
    },

    async exportSession(sessionId: string): Promise<string> {
      return unwrap(await bridge.exportSession(sessionId));
    },

    subscribe(onEvent: (event: ControlEvent) => void, onConnection?: (connected: boolean) => void): () => void {
      const offEvent = bridge.onEvent(onEvent);
      const offConnection = onConnection ? bridge.onConnection(onConnection) : () => {};
      // Main pushes changes only; a window opened later asks once whether the gateway answers now.
      if (onConnection) void bridge.request({ method: 'GET', path: '/control/health' }).then((health) => onConnection(health.ok));
      return () => {
        offEvent();
        offConnection();
      };
    },
  };
}
