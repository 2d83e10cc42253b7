// The gateway's memory after a forced garbage collection, for the load figures. Resident memory right
// after a run mostly counts garbage V8 has not collected yet (an idle process seldom collects), so
// "after" alone cannot tell retained memory from a leak.
import { WebSocket } from 'undici';
import type { GatewayProcess } from '../helpers/gateway-process.js';

/**
 * Environment for `startGatewayProcess` that makes `gc()` callable and opens the inspector on a
 * free loopback port (printed to the gateway's stderr, where `memoryAfterGc` finds it). Load runs only.
 */
export const GC_ENV = { NODE_OPTIONS: '--expose-gc --inspect=127.0.0.1:0' };

export interface MemoryAfterGc {
  rssMiB: number;
  heapUsedMiB: number;
}

const EXPRESSION = `(async () => {
  for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 50)); }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
})()`;

/** Collects garbage in the gateway (through its inspector) three times, then reads its memory. */
export async function memoryAfterGc(gateway: GatewayProcess): Promise<MemoryAfterGc> {
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(gateway.output())?.[0];
  if (!url) throw new Error('the gateway has no inspector; start it with GC_ENV');
  const socket = new WebSocket(url);
  try {
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    const reply = new Promise<{ rss: number; heapUsed: number }>((resolve, reject) => {
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { id?: number; result?: { result?: { value?: { rss: number; heapUsed: number } } } };
        if (message.id !== 1) return;
        const value = message.result?.result?.value;
        if (value) resolve(value);
        else reject(new Error(`the gateway could not collect garbage: ${String(event.data).slice(0, 200)}`));
      });
    });
    socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression: EXPRESSION, awaitPromise: true, returnByValue: true } }));
    const { rss, heapUsed } = await reply;
    const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return { rssMiB: mib(rss), heapUsedMiB: mib(heapUsed) };
  } finally {
    socket.close();
  }
}
