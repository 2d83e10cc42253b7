import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayProcess } from '../../helpers/gateway-process.js';

export interface StreamedEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a gateway's `GET /control/events` with fetch, as the tray window's browser backend does,
 * parsing each server-sent event. `next` waits for the first not yet taken that matches.
 */
export async function openEventStream(gateway: GatewayProcess) {
  const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
  const controller = new AbortController();
  const response = await fetch(new URL('/control/events', gateway.url), { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const received: StreamedEvent[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event !== undefined && data !== undefined) received.push({ event, data: JSON.parse(data) });
          else comments.push(block);
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  let taken = 0;

  return {
    response,
    received,
    comments,
    /** The next event (after those already taken) that matches, waiting up to `timeoutMs`. */
    async next<T = unknown>(type: string, matches: (data: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = received.findIndex((item, i) => i >= taken && item.event === type && matches(item.data as T));
        if (index >= 0) {
          taken = index + 1;
          return received[index].data as T;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${type}" event; got ${received.slice(taken).map((item) => item.event).join(', ') || 'nothing'}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}
